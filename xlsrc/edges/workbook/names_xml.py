"""Defined names straight from xl/workbook.xml, without loading the whole workbook."""

from __future__ import annotations

import re
import zipfile

from defusedxml import ElementTree

from xlsrc.model.writes import column_number

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REF = re.compile(
    r"^'?(?P<sheet>[^'!]+(?:''[^'!]*)*)'?!\$?(?P<c1>[A-Z]+)\$?(?P<r1>\d+)"
    r"(?::\$?(?P<c2>[A-Z]+)\$?(?P<r2>\d+))?$"
)


def defined_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Workbook-level names -> their reference text, e.g. {'Cap': "Contract!$B$21"}."""
    root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    out: dict[str, str] = {}
    for node in root.iterfind("m:definedNames/m:definedName", NS):
        if node.get("localSheetId") is None and node.text:
            out[node.get("name", "")] = node.text
    return out


def parse_ref(text: str) -> tuple[str, int, int, int, int] | None:
    """ "'Sheet'!$B$3:$B$9" -> (sheet, first row, first col, last row, last col), 0-based."""
    match = _REF.match(text.strip())
    if not match:
        return None
    c1 = column_number(match["c1"]) - 1
    r1 = int(match["r1"]) - 1
    c2 = column_number(match["c2"]) - 1 if match["c2"] else c1
    r2 = int(match["r2"]) - 1 if match["r2"] else r1
    return match["sheet"].replace("''", "'"), r1, c1, r2, c2
