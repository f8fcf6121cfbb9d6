"""Cached values: every formula cell of a saved workbook carries the value Python computed.

openpyxl writes each formula cell with an empty value (`<f>…</f><v></v>`), which Protected
View, pandas, calamine and any reader that does not recalculate show as blank. `package`
saves the workbook to bytes and fills each `<v>` with the engine's value (number, text `str`,
boolean `b` or error `e`), as Excel writes them. Recalculation on load stays on, so Excel
recomputes once editing is enabled.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from defusedxml import ElementTree
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from xlsrc.calc.book import Formula, read_book
from xlsrc.calc.engine import Engine
from xlsrc.calc.values import Uncomputable, XlError

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# A formula cell as openpyxl writes it: attributes, formula, empty value.
_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v\s*(?:/>|></v>)</c>')
_TYPE = re.compile(rb'\st="[^"]*"')


@dataclass
class Computed:
    values: dict[str, dict[str, object]] = field(default_factory=dict)  # sheet -> ref -> value
    uncomputable: dict[str, str] = field(default_factory=dict)  # "Sheet!A1" -> why


def compute(wb: Workbook) -> Computed:
    """The value of every formula cell of `wb`, as Excel would compute it."""
    book = read_book(wb)
    engine = Engine(book)
    out = Computed()
    for sheet, grid in book.cells.items():
        values: dict[str, object] = {}
        for (row, col), raw in grid.items():
            if not isinstance(raw, Formula):
                continue
            ref = f"{get_column_letter(col)}{row}"
            try:
                values[ref] = engine.cell(sheet, row, col)
            except Uncomputable as exc:
                out.uncomputable[f"{sheet}!{ref}"] = str(exc)
        out.values[sheet] = values
    return out


def package(wb: Workbook) -> bytes:
    """The workbook saved as .xlsx/.xlsm bytes, each formula cell with its cached value."""
    computed = compute(wb)
    raw = io.BytesIO()
    wb.save(raw)
    return with_cached_values(raw.getvalue(), computed)


def with_cached_values(data: bytes, computed: Computed) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = _sheet_parts(src)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                body = src.read(info)
                sheet = parts.get(info.filename)
                if sheet is not None and computed.values.get(sheet):
                    body = _fill(body, computed.values[sheet])
                dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name -> sheet title."""
    root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iter(f"{{{_REL}}}Relationship"):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(part)
    return {
        targets[s.get(_R_ID)]: s.get("name", "")
        for s in root.iter(f"{{{_MAIN}}}sheet")
        if s.get(_R_ID) in targets
    }


def _fill(body: bytes, values: dict[str, object]) -> bytes:
    def replace(m: re.Match[bytes]) -> bytes:
        ref = m.group(1).decode()
        if ref not in values:
            return m.group(0)
        kind, text = cell_value(values[ref])
        attrs = _TYPE.sub(b"", m.group(2))
        if kind:
            attrs += b' t="' + kind.encode() + b'"'
        return (
            b'<c r="'
            + m.group(1)
            + b'"'
            + attrs
            + b"><f>"
            + m.group(3)
            + b"</f><v>"
            + escape(text).encode("utf-8")
            + b"</v></c>"
        )

    return _CELL.sub(replace, body)


def cell_value(value: object) -> tuple[str, str]:
    """(cell type attribute, <v> text) for a computed value, as Excel writes it."""
    if value is None:
        return "", "0"
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, float):
        return "", repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, XlError):
        return "e", value.code
    return "str", str(value)
