"""What an engine needs from a workbook (xlsrc.edges.formulas.workbook_cells.Book), read
straight from the package's XML, without openpyxl: each sheet's cells, the defined names and
the tables, in the same types `read_book` gives from an openpyxl Workbook (numbers as float,
text, booleans, errors, formulas), so the fingerprints of xlsrc.edges.formulas.cache agree
whichever reader read the file.

What it does not read it refuses (`NotPlain`), and the caller falls back to openpyxl: shared
and array formulas (Excel writes them; openpyxl expands or keeps them as objects), dates
stored as ISO text, and anything the regular expressions below do not recognise.
"""

from __future__ import annotations

import html
import math
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

from defusedxml import ElementTree

from xlsrc.edges.formulas.values import XlError
from xlsrc.edges.formulas.workbook_cells import Book, Formula, TableInfo
from xlsrc.model.writes import column_number

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
TABLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"

# One cell: its attributes and what is inside it (nothing for <c .../>).
CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
ATTR = re.compile(rb'\s([\w:]+)="([^"]*)"')
_FORMULA = re.compile(rb"<f(\s[^>]*)?(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v(?:\s[^>]*)?>(.*?)</v>", re.S)
_TEXT = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>|<t(?:\s[^>]*)?/>", re.S)
_RPH = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_REF = re.compile(r"([A-Z]+)([0-9]+)")
_SPECIAL = re.compile(r"^_xlnm\.", re.IGNORECASE)


class NotPlain(Exception):
    """The package holds something this reader leaves to openpyxl."""


@dataclass(frozen=True)
class SheetPart:
    title: str
    part: str  # "xl/worksheets/sheet3.xml"


def position(ref: str) -> tuple[int, int]:
    """ "C15" -> (15, 3)."""
    m = _REF.fullmatch(ref)
    if m is None:
        raise NotPlain(f"cell reference {ref!r}")
    return int(m[2]), column_number(m[1])


def attributes(raw: bytes) -> dict[bytes, bytes]:
    return dict(ATTR.findall(raw))


def text_of(inner: bytes) -> str:
    """The text of an <si> or <is>: every run's <t>, phonetic runs left out."""
    inner = _RPH.sub(b"", inner)
    return "".join(html.unescape((m[1] or b"").decode("utf-8")) for m in _TEXT.finditer(inner))


def shared_strings(data: bytes | None) -> list[str]:
    if data is None:
        return []
    return [text_of(m[1] or b"") for m in re.finditer(rb"<si>(.*?)</si>|<si/>", data, re.S)]


def sheet_parts(read: Callable[[str], bytes]) -> list[SheetPart]:
    """The worksheets in workbook order (chart sheets and others left out)."""
    root = ElementTree.fromstring(read("xl/workbook.xml"))
    targets = _targets(read("xl/_rels/workbook.xml.rels"), "xl")
    out = []
    for sheet in root.iter(f"{{{MAIN}}}sheet"):
        part = targets.get(sheet.get(R_ID) or "")
        if part is None:
            raise NotPlain(f"sheet {sheet.get('name')!r} has no part")
        if part[1].endswith("/worksheet"):
            out.append(SheetPart(sheet.get("name", ""), part[0]))
    return out


def _targets(rels: bytes, base: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (part name, relationship type)."""
    out = {}
    for rel in ElementTree.fromstring(rels).iter(f"{{{REL}}}Relationship"):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        out[rel.get("Id", "")] = (posixpath.normpath(part), rel.get("Type", ""))
    return out


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return f"{folder}/_rels/{name}.rels"


def sheet_cells(
    body: bytes, strings: list[str], dates: frozenset[bytes] = frozenset()
) -> dict[tuple[int, int], object]:
    """(row, column) -> value of every cell holding something, as `read_book` gives it
    (`dates`: the style indices that may show a date, `date_styles`)."""
    grid: dict[tuple[int, int], object] = {}
    start = body.find(b"<sheetData")
    end = body.find(b"</sheetData>")
    if start < 0 or end < 0:
        return grid
    for m in CELL.finditer(body, start, end):
        inner = m[2]
        if not inner:
            continue
        attrs = attributes(m[1])
        value = cell_value(attrs, inner, strings)
        if value is not None:
            beyond = isinstance(value, float) and abs(value) > _LAST_DATE
            if beyond and attrs.get(b"s", b"0") in dates:
                raise NotPlain(f"a date serial beyond 9999 ({value!r})")
            grid[position(attrs[b"r"].decode())] = value
    return grid


# Number formats openpyxl reads as dates: the built-in date and time formats, and a format
# code with a date or time letter outside quotes, brackets and escapes. Erring wide only sends
# a file to openpyxl, which decides (a serial beyond 9999 under a date format is #VALUE! there).
_BUILTIN_DATES = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_NOT_LETTERS = re.compile(rb'"[^"]*"|\\.|\[(?![hmsHMS]+\])[^\]]*\]|_.|\*.')


def date_styles(styles: bytes | None) -> frozenset[bytes]:
    """The cell style indices (as the `s` attribute spells them) whose number format may show
    a date, from styles.xml."""
    if styles is None:
        return frozenset()
    codes = {
        int(a[b"numFmtId"]): html.unescape(a.get(b"formatCode", b"").decode()).encode()
        for a in map(attributes, re.findall(rb"<numFmt\b([^>]*)", styles))
        if b"numFmtId" in a
    }
    xfs = re.search(rb"<cellXfs\b.*?</cellXfs>", styles, re.S)
    out = set()
    for n, xf in enumerate(re.findall(rb"<xf\b([^>]*)", xfs[0] if xfs else b"")):
        fmt = int(attributes(xf).get(b"numFmtId", b"0"))
        code = codes.get(fmt)
        if fmt in _BUILTIN_DATES or (
            code is not None and re.search(rb"[dmyhsDMYHS]", _NOT_LETTERS.sub(b"", code))
        ):
            out.add(str(n).encode())
    return frozenset(out)


def cell_value(attrs: dict[bytes, bytes], inner: bytes, strings: list[str]) -> object:
    """A cell's stored value as the engine holds it (a formula as Formula)."""
    f = _FORMULA.search(inner)
    if f is not None:
        if f[1] and b"t=" in f[1]:
            raise NotPlain("shared or array formula")
        return Formula(html.unescape((f[2] or b"").decode("utf-8")))
    kind = attrs.get(b"t", b"n")
    if kind == b"inlineStr":
        start = inner.find(b"<is>")
        return text_of(inner[start:]) if start >= 0 else None
    v = _VALUE.search(inner)
    if v is None:
        return None
    text = html.unescape(v[1].decode("utf-8"))
    if kind == b"n":
        return _number(text) if text else None
    if kind == b"s":
        return strings[int(text)]
    if kind == b"str":
        return text
    if kind == b"b":
        return text.strip() in ("1", "true")
    if kind == b"e":
        return XlError(text)
    raise NotPlain(f"cell type {kind.decode()!r}")


# The largest date serial Excel shows (31/12/9999); a date cell beyond it is #VALUE! to openpyxl.
_LAST_DATE = 2958465
_NONZERO = re.compile(r"[1-9]")


def _number(text: str) -> float:
    """A number cell's value; NotPlain for text openpyxl would not keep as typed (NaN, infinity,
    an underflow to 0; a serial beyond Excel's dates in a date-styled cell, `sheet_cells`), so
    the openpyxl path, which refuses such a cell in one line naming it
    (xlsrc.edges.fileio.tracker_writer.reading_cells_as_typed), decides."""
    try:
        number = float(text)
    except ValueError:
        raise NotPlain(f"number cell {text[:20]!r}") from None
    if not math.isfinite(number):
        raise NotPlain(f"number cell {text[:20]!r}")
    if number == 0 and _NONZERO.search(re.split("[eE]", text)[0]):
        raise NotPlain(f"number cell {text[:20]!r}")
    return number


def read_package_book(read: Callable[[str], bytes], names: set[str]) -> Book:
    """The Book of a package whose parts `read` gives (`names`: the parts there are)."""
    strings = shared_strings(
        read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else None
    )
    dates = date_styles(read("xl/styles.xml") if "xl/styles.xml" in names else None)
    sheets = sheet_parts(read)
    cells: dict[str, dict[tuple[int, int], object]] = {}
    tables: dict[str, TableInfo] = {}
    for sheet in sheets:
        cells[sheet.title] = sheet_cells(read(sheet.part), strings, dates)
        rels = rels_name(sheet.part)
        if rels not in names:
            continue
        for part, kind in _targets(read(rels), posixpath.dirname(sheet.part)).values():
            if kind == TABLE_REL:
                name, info = table_info(read(part), sheet.title)
                tables[name.upper()] = info
    return Book(
        cells,
        defined_names(read("xl/workbook.xml"), sheets),
        tables,
        {s.title.upper(): s.title for s in sheets},
    )


def table_info(data: bytes, sheet: str) -> tuple[str, TableInfo]:
    root = ElementTree.fromstring(data)
    first, last = (position(r) for r in root.get("ref", "").replace("$", "").split(":"))
    headers = [c.get("name", "") for c in root.iter(f"{{{MAIN}}}tableColumn")]
    header_rows = root.get("headerRowCount")
    return root.get("displayName", ""), TableInfo(
        sheet,
        first[0],
        first[1],
        last[0],
        last[1],
        1 if header_rows is None else int(header_rows),
        int(root.get("totalsRowCount") or 0),
        {n.upper(): first[1] + i for i, n in enumerate(headers)},
    )


def defined_names(workbook: bytes, sheets: list[SheetPart]) -> dict[str, tuple[str | None, str]]:
    """NAME -> (local sheet or None, text), as `read_book` reads them: a sheet's own names
    first, a workbook-wide name of the same spelling winning."""
    root = ElementTree.fromstring(workbook)
    titles = [s.title for s in sheets]
    local: list[tuple[str, str, str]] = []
    wide: list[tuple[str, str]] = []
    for dn in root.iter(f"{{{MAIN}}}definedName"):
        name, text = dn.get("name", ""), dn.text or ""
        if _SPECIAL.match(name) or not text:
            continue
        at = dn.get("localSheetId")
        if at is None:
            wide.append((name, text))
        elif int(at) < len(titles):
            local.append((titles[int(at)], name, text))
    names: dict[str, tuple[str | None, str]] = {}
    for title in titles:  # openpyxl binds each sheet's names in sheet order
        for sheet, name, text in local:
            if sheet == title:
                names.setdefault(name.upper(), (sheet, text))
    for name, text in wide:
        names[name.upper()] = (None, text)
    return names
