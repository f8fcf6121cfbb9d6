"""Cached values: every formula cell of a saved workbook carries the value Python computed.

openpyxl writes each formula cell with an empty value (`<f>…</f><v></v>`), which Protected
View, pandas, calamine and any reader that does not recalculate show as blank. `package`
saves the workbook to bytes and fills each `<v>` with the engine's value (number, text `str`,
boolean `b` or error `e`), as Excel writes them. Recalculation on load stays on, so Excel
recomputes once editing is enabled.

A caller that changed only some sheets of a workbook it loaded (validate writes the Issues
sheet and fills) passes `Kept`: the file's own cached values (`cached_values`) stand for every
formula cell they cover, and only the formula cells they do not cover (no cached value in the
file, or on a changed sheet) are computed, from those values, provided the formulas that read
a changed sheet or call TODAY() still give the values the file caches (`_seed`); otherwise
everything is computed, as without `Kept`.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from defusedxml import ElementTree
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from xlsrc.edges.formulas.interpreter import Engine
from xlsrc.edges.formulas.values import Uncomputable, XlError
from xlsrc.edges.formulas.workbook_cells import Book, Formula, read_book

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# A formula cell as openpyxl writes it: attributes, formula, empty value.
_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v\s*(?:/>|></v>)</c>')
_TYPE = re.compile(rb'\st="[^"]*"')
# A formula cell with a cached value, as any program writes it (Excel's shared formulas too).
_CACHED = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)<v>([^<]*)</v>')
_KIND = re.compile(rb'\st="([^"]*)"')
_MANUAL = re.compile(rb'<(?:\w+:)?calcPr\b[^>]*\scalcMode="manual"')

Grid = dict[tuple[int, int], object]  # (row, column) -> value


@dataclass(frozen=True)
class Kept:
    """Cached values a save may keep: `values` read from the file the workbook was loaded
    from; `changed` the sheets the caller wrote since (their formulas are always computed)."""

    values: dict[str, Grid]
    changed: frozenset[str]


@dataclass
class Computed:
    values: dict[str, dict[str, object]] = field(default_factory=dict)  # sheet -> ref -> value
    uncomputable: dict[str, str] = field(default_factory=dict)  # "Sheet!A1" -> why


def compute(wb: Workbook, kept: Kept | None = None) -> Computed:
    """The value of every formula cell of `wb`, as Excel would compute it (module docstring
    for `kept`)."""
    book = read_book(wb)
    engine = Engine(book)
    if kept is not None and not _seed(engine, book, kept):
        engine = Engine(book)  # the kept values do not hold: compute everything
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


def _seed(engine: Engine, book: Book, kept: Kept) -> bool:
    """Give the engine the kept values; True when they hold.

    The roots are the formulas that read a changed sheet (by its name, a table on it or a
    defined name pointing at it) or call a volatile function (TODAY, NOW, RAND): every other
    formula reads only what the caller left as it was, and through the roots. The roots are
    computed afresh from the kept values; if each gives the value the file caches, nothing
    downstream of them moved either (the first root to move would show it), so every kept
    value holds. Otherwise (or a root without a cached value) False: compute everything."""
    roots = _roots(book, kept.changed)
    for sheet, grid in kept.values.items():
        if sheet in book.cells and sheet not in kept.changed:
            formulas = book.cells[sheet]
            engine.memo.update(
                ((sheet, row, col), value)
                for (row, col), value in grid.items()
                if isinstance(formulas.get((row, col)), Formula) and (sheet, row, col) not in roots
            )
    for sheet, row, col in roots:
        old = kept.values.get(sheet, {}).get((row, col), _NONE)
        if old is _NONE:
            return False
        try:
            new = engine.cell(sheet, row, col)
        except Uncomputable:
            return False
        if cell_value(new) != cell_value(old):
            return False
    return True


_NONE = object()
_VOLATILE = re.compile(r"\b(?:TODAY|NOW|RAND|RANDBETWEEN)\s*\(")


def _roots(book: Book, changed_sheets: frozenset[str]) -> set[tuple[str, int, int]]:
    """Formula cells, off the changed sheets, that read them or call a volatile function."""
    changed = {s.upper() for s in changed_sheets}
    words = set(changed)
    words |= {name for name, table in book.tables.items() if table.sheet.upper() in changed}
    words |= {
        name
        for name, (local, text) in book.names.items()
        if (local or "").upper() in changed or any(s in text.upper() for s in changed)
    }
    patterns = [_VOLATILE.pattern, *(re.escape(w) for w in sorted(words, key=len, reverse=True))]
    reads = re.compile("|".join(patterns))
    return {
        (sheet, row, col)
        for sheet, grid in book.cells.items()
        if sheet.upper() not in changed
        for (row, col), raw in grid.items()
        if isinstance(raw, Formula) and reads.search(raw.text.upper())
    }


def cached_values(data: bytes) -> dict[str, Grid]:
    """Sheet -> (row, column) -> the cached value of each formula cell that has one, in the
    engine's types (numbers float, text, booleans, errors), read from a saved workbook.

    Nothing from a workbook set to calculate manually: a program saving it need not have
    recalculated, so its values may be stale."""
    out: dict[str, Grid] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if _MANUAL.search(archive.read("xl/workbook.xml")):
            return {}
        for part, sheet in _sheet_parts(archive).items():
            grid: Grid = {}
            for ref, attrs, text in _CACHED.findall(archive.read(part)):
                kind = _KIND.search(attrs)
                value = _typed(kind[1] if kind else b"n", html.unescape(text.decode("utf-8")))
                if value is not None:
                    grid[_position(ref.decode())] = value
            out[sheet] = grid
    return out


def _position(ref: str) -> tuple[int, int]:
    """ "B12" -> (12, 2)."""
    letters = ref.rstrip("0123456789")
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(ref[len(letters) :]), column


def _typed(kind: bytes, text: str) -> object:
    """A cached <v> as the engine holds it; None when there is none (openpyxl writes an empty
    <v> with no type) or for a kind taken as no value. Empty text typed "str" is ""."""
    if kind == b"n":
        try:
            return float(text)
        except ValueError:
            return None
    if kind == b"str":
        return text
    if kind == b"b":
        return text == "1"
    if kind == b"e":
        return XlError(text)
    return None  # "s" (shared string) or "inlineStr": computed again


def package(wb: Workbook, kept: Kept | None = None) -> bytes:
    """The workbook saved as .xlsx/.xlsm bytes, each formula cell with its cached value."""
    computed = compute(wb, kept)
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
