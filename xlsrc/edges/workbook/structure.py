"""Structural checks on a built .xlsx, read at the XML level: what Excel refuses and
LibreOffice silently repairs.

- every table's header cells equal its tableColumn names (else Excel "repairs" the file);
- data-validation ranges carry no sheet name, and lists point at defined names;
- every defined name points at an existing sheet;
- formulas use only functions Excel 2010 and LibreOffice both compute;
- sheets holding formulas are protected, and formula cells are locked;
- conditional formats are written as Excel writes them: `cellIs` rules take only the eight
  comparison operators (text rules are `beginsWith`/`containsText`/... rules with their text
  and formula), and each differential fill carries its colour in `bgColor`.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

from defusedxml import ElementTree
from openpyxl.utils import range_boundaries

from xlsrc.edges.workbook.names_xml import defined_names, parse_ref

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

# Functions newer than Excel 2010, or missing from LibreOffice 7.4.
FORBIDDEN = (
    "XLOOKUP",
    "XMATCH",
    "LET",
    "FILTER",
    "UNIQUE",
    "SORT",
    "SORTBY",
    "SEQUENCE",
    "LAMBDA",
    "IFS",
    "SWITCH",
    "MAXIFS",
    "MINIFS",
    "CONCAT",
    "TEXTJOIN",
    "RANDARRAY",
)
COMPARISONS = frozenset(
    {
        "lessThan",
        "lessThanOrEqual",
        "equal",
        "notEqual",
        "greaterThanOrEqual",
        "greaterThan",
        "between",
        "notBetween",
    }
)
TEXT_RULES = frozenset({"beginsWith", "endsWith", "containsText", "notContainsText"})
_FUNC = re.compile(r"\b([A-Z][A-Z0-9.]*)\(")


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    if rels_part not in archive.namelist():
        return {}
    root = ElementTree.fromstring(archive.read(rels_part))
    out = {}
    for rel in root.iterfind("rel:Relationship", NS):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        full = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[rel.get("Id", "")] = posixpath.normpath(full)
    return out


def sheets(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part path, in workbook order."""
    root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = _rels(archive, "xl/workbook.xml")
    return {s.get("name", ""): rels[s.get(R_ID, "")] for s in root.iterfind("m:sheets/m:sheet", NS)}


def _cells(root: Any) -> dict[str, tuple[str | None, str | None, str | None, str | None]]:
    """ref -> (type, value, formula, style index) for every cell of a sheet part."""
    out = {}
    for c in root.iterfind("m:sheetData/m:row/m:c", NS):
        v, f, inline = c.find("m:v", NS), c.find("m:f", NS), c.find("m:is/m:t", NS)
        value = v.text if v is not None else (inline.text if inline is not None else None)
        out[c.get("r", "")] = (c.get("t"), value, f.text if f is not None else None, c.get("s"))
    return out


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    return [
        "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
        for si in root.iterfind("m:si", NS)
    ]


def _locked_styles(archive: zipfile.ZipFile) -> list[bool]:
    """For each cellXfs index: is the cell locked (Excel's default is locked)."""
    root = ElementTree.fromstring(archive.read("xl/styles.xml"))
    out = []
    for xf in root.iterfind("m:cellXfs/m:xf", NS):
        prot = xf.find("m:protection", NS)
        out.append(prot is None or prot.get("locked") not in ("0", "false"))
    return out


def _dxf_fills(archive: zipfile.ZipFile) -> list[str | None]:
    """For each differential format: what is wrong with its fill, or None."""
    root = ElementTree.fromstring(archive.read("xl/styles.xml"))
    out: list[str | None] = []
    for dxf in root.iterfind("m:dxfs/m:dxf", NS):
        pattern = dxf.find("m:fill/m:patternFill", NS)
        problem = None
        if (
            pattern is not None
            and pattern.get("patternType") != "none"
            and pattern.find("m:bgColor", NS) is None
        ):
            problem = "differential fill without bgColor (Excel shows no colour)"
        out.append(problem)
    return out


def structural_problems(path: str | Path) -> list[str]:
    problems: list[str] = []
    with zipfile.ZipFile(path) as archive:
        strings = _shared_strings(archive)
        locked = _locked_styles(archive)
        dxfs = _dxf_fills(archive)
        sheet_parts = sheets(archive)
        for name, ref in defined_names(archive).items():
            parsed = parse_ref(ref)
            if parsed is None or parsed[0] not in sheet_parts:
                problems.append(f"defined name {name} does not resolve: {ref}")
        for sheet, part in sheet_parts.items():
            root = ElementTree.fromstring(archive.read(part))
            cells = _cells(root)
            problems += _check_tables(archive, sheet, part, cells, strings)
            problems += _check_validations(sheet, root)
            problems += _check_formulas(sheet, root, cells, locked)
            problems += _check_conditional_formats(sheet, root, dxfs)
    return problems


def _text(cell: Any, strings: list[str]) -> str | None:
    kind, value, _, _ = cell
    if value is None:
        return None
    return strings[int(value)] if kind == "s" else value


def _check_tables(
    archive: zipfile.ZipFile,
    sheet: str,
    part: str,
    cells: dict[str, tuple[str | None, str | None, str | None, str | None]],
    strings: list[str],
) -> list[str]:
    problems = []
    for target in _rels(archive, part).values():
        if "/tables/" not in target:
            continue
        table = ElementTree.fromstring(archive.read(target))
        name = table.get("displayName")
        min_col, min_row, max_col, _ = range_boundaries(table.get("ref"))
        columns = [c.get("name") for c in table.iterfind("m:tableColumns/m:tableColumn", NS)]
        if len(columns) != max_col - min_col + 1:
            problems.append(
                f"{sheet}: table {name} has {len(columns)} columns for ref {table.get('ref')}"
            )
        for offset, column in enumerate(columns):
            from openpyxl.utils import get_column_letter

            ref = f"{get_column_letter(min_col + offset)}{min_row}"
            header = _text(cells.get(ref, (None, None, None, None)), strings)
            if header != column:
                problems.append(
                    f"{sheet}!{ref}: header {header!r} differs from table {name} column {column!r}"
                )
    return problems


def _check_validations(sheet: str, root: Any) -> list[str]:
    problems = []
    for dv in root.iterfind("m:dataValidations/m:dataValidation", NS):
        sqref = dv.get("sqref", "")
        if "!" in sqref:
            problems.append(f"{sheet}: data validation range {sqref!r} carries a sheet name")
        f1 = dv.find("m:formula1", NS)
        if dv.get("type") == "list" and f1 is not None and "!" in (f1.text or ""):
            problems.append(
                f"{sheet}: list validation {sqref} points across sheets directly "
                f"({f1.text}); use a defined name"
            )
    return problems


def _check_formulas(
    sheet: str,
    root: Any,
    cells: dict[str, tuple[str | None, str | None, str | None, str | None]],
    locked: Any,
) -> list[str]:
    problems = []
    has_formula = False
    for ref, (_, _, formula, style) in cells.items():
        if formula is None:
            continue
        has_formula = True
        used = set(_FUNC.findall(formula.upper()))
        bad = sorted(used & set(FORBIDDEN))
        if bad:
            problems.append(f"{sheet}!{ref}: uses {', '.join(bad)} (not in Excel 2010)")
        if not locked[int(style or 0)]:
            problems.append(f"{sheet}!{ref}: formula cell is not locked")
    protection = root.find("m:sheetProtection", NS)
    if has_formula and (protection is None or protection.get("sheet") not in ("1", "true")):
        problems.append(f"{sheet}: holds formulas but is not protected")
    return problems


def _check_conditional_formats(sheet: str, root: Any, dxfs: list[str | None]) -> list[str]:
    problems = []
    for block in root.iterfind("m:conditionalFormatting", NS):
        where = f"{sheet}!{block.get('sqref', '')}"
        for rule in block.iterfind("m:cfRule", NS):
            kind, operator = rule.get("type"), rule.get("operator")
            if kind == "cellIs" and operator not in COMPARISONS:
                problems.append(
                    f"{where}: conditional format cellIs with operator {operator!r} "
                    "(cellIs takes only comparisons; Excel reports a problem with the content)"
                )
            if kind in TEXT_RULES and (
                rule.get("text") is None or rule.find("m:formula", NS) is None
            ):
                problems.append(f"{where}: conditional format {kind} without its text and formula")
            dxf = rule.get("dxfId")
            if dxf is None:
                continue
            if not dxf.isdigit() or int(dxf) >= len(dxfs):
                problems.append(f"{where}: conditional format points at missing style {dxf}")
            elif dxfs[int(dxf)]:
                problems.append(f"{where}: conditional format {kind}: {dxfs[int(dxf)]}")
    return problems
