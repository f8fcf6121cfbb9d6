"""Writing validate's result into the package itself: every part of the workbook it does not
change is copied as it is, and only what changes is rewritten, as text edits of the parts'
XML (no document model, no openpyxl):

- the Issues sheet: the summary cell, the rows under the header (values, styles, heights,
  links) and its table's range, written as `write_issues` writes them with openpyxl;
- the Tracker input cells' fills (`highlight_tracker`'s rules): a cell's style index changes
  to the same style with the highlight, or without ours;
- the cached value of every formula of the sheets whose inputs changed (the Issues sheet, a
  Tracker edited without recalculating, and every sheet reading them:
  xlsrc.edges.formulas.cache decides which, from the fingerprints the last save recorded);
- those fingerprints (docProps/custom.xml), and styles.xml when a style is new to the file.

It saves through the same atomic save (xlsrc.edges.fileio.atomic.write_file: temp file,
fsync, backup, replace); the caller holds the writer lock. A package it cannot edit safely
(shared or array formulas, no Issues sheet or table, a Tracker input cell without a cell
element, text XML cannot hold) raises `NotPlain` before anything is written, and the caller
saves with openpyxl as before. A package without custom properties (saved by openpyxl alone)
gets docProps/custom.xml for the fingerprints, as the openpyxl save adds it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from xlsrc.edges.fileio.atomic import write_file
from xlsrc.edges.formulas.cache import (
    FINGERPRINT_PROPERTY,
    Computed,
    Kept,
    cell_value,
    compute_book,
    fingerprint_properties,
    fingerprints_from,
    kept_from,
)
from xlsrc.edges.formulas.package_cells import (
    CELL,
    TABLE_REL,
    NotPlain,
    SheetPart,
    attributes,
    position,
    read_package_book,
    rels_name,
    sheet_parts,
)
from xlsrc.edges.formulas.values import from_python
from xlsrc.edges.formulas.workbook_cells import Book, Formula, TableInfo
from xlsrc.model import layout, textfit
from xlsrc.model.entry import INPUT_COLUMNS
from xlsrc.model.issues import Issue
from xlsrc.model.writes import (
    HIGHLIGHTS,
    column_letter,
    column_number,
    issue_link,
    issue_values,
    tracker_cells,
)

__all__ = ["NotPlain", "write_validation"]

_DEFAULT_WIDTH = 8.43  # xlsrc.edges.workbook.styles.DEFAULT_WIDTH (that module loads openpyxl)
_LINK_COLOR = "0563C1"  # xlsrc.edges.fileio.issues_writer.LINK_FONT
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # xlsrc.edges.workbook.cells
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ISSUES_COLUMNS = [h.upper() for h in layout.ISSUES_HEADERS]
_MESSAGE_COLUMN = 7  # the Issues table's Message column wraps (issues_writer._write_row)


def write_validation(path: Path, issues: list[Issue], summary: str) -> None:
    """Write validate's Issues sheet, highlights and fresh cached values into `path`."""
    with zipfile.ZipFile(path) as archive:
        package = _Package(archive)
        parts = {p.title: p for p in sheet_parts(package.read)}
        if layout.ISSUES not in parts or layout.TRACKER not in parts:
            raise NotPlain("no Issues or Tracker sheet")
        book = read_package_book(package.read, package.names)
        _print_areas_hold(package.read("xl/workbook.xml"), book)
        issues_table = _table_part(package, parts[layout.ISSUES], layout.ISSUES_TABLE)
        shown = book.tables.get(layout.ISSUES_TABLE.upper())
        if shown is None or sorted(shown.columns, key=shown.columns.__getitem__) != _ISSUES_COLUMNS:
            raise NotPlain("the Issues table's columns are not validate's")
        tracker = book.tables.get(layout.TRACKER_TABLE.upper())
        if tracker is None or tracker.sheet != layout.TRACKER:
            raise NotPlain("no Tracker table")
        styles = _Styles(package.read("xl/styles.xml"))
        rows = _issue_rows(issues, styles, _widths(package.read(parts[layout.ISSUES].part)))
        _put_issues(book, summary, rows)
        kept = kept_from(path)
        computed = compute_book(
            book,
            None if kept is None else Kept(kept.values, frozenset({layout.ISSUES})),
            _recorded(package, list(parts)),
        )
        package.replace(
            parts[layout.ISSUES].part,
            _issues_sheet(package.read(parts[layout.ISSUES].part), summary, rows, computed),
        )
        last = layout.HEADER_ROW + max(1, len(issues))
        package.replace(issues_table, _table_range(package.read(issues_table), last))
        fills = _tracker_fills(package.read(parts[layout.TRACKER].part), tracker, issues, styles)
        for title, part in parts.items():
            if title in computed.changed or (title == layout.TRACKER and fills):
                values = computed.values.get(title, {})
                body = package.read(part.part)
                new = _cells(body, values, fills if title == layout.TRACKER else {})
                if new != body:
                    package.replace(part.part, new)
        if styles.added:
            package.replace("xl/styles.xml", styles.xml())
        if _CUSTOM not in package.names:
            _add_custom_part(package)
        package.replace(_CUSTOM, _properties(package.read(_CUSTOM), computed, list(parts)))
        write_file(path, package.write)


@dataclass
class _Package:
    archive: zipfile.ZipFile
    changed: dict[str, bytes] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    _read: dict[str, bytes] = field(default_factory=dict)

    @property
    def names(self) -> set[str]:
        return set(self.archive.namelist()) | set(self.added)

    def read(self, name: str) -> bytes:
        if name in self.changed:
            return self.changed[name]
        if name not in self._read:
            try:
                self._read[name] = self.archive.read(name)
            except KeyError:
                raise NotPlain(f"no part {name}") from None
        return self._read[name]

    def replace(self, name: str, body: bytes) -> None:
        self.changed[name] = body

    def add(self, name: str, body: bytes) -> None:
        """A part the package does not have yet, written after the others."""
        self.added.append(name)
        self.changed[name] = body

    def write(self, handle: BinaryIO) -> None:
        """Every part in its place and order: the unchanged ones as they are."""
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as out:
            for info in self.archive.infolist():
                body = self.changed.get(info.filename)
                if body is None:
                    body = self._read.get(info.filename) or self.archive.read(info)
                out.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
            for name in self.added:
                out.writestr(name, self.changed[name], compress_type=zipfile.ZIP_DEFLATED)


def _table_part(package: _Package, sheet: SheetPart, name: str) -> str:
    rels = rels_name(sheet.part)
    if rels in package.names:
        for rel in re.finditer(rb"<Relationship\b[^>]*>", package.read(rels)):
            attrs = attributes(rel[0])
            if attrs.get(b"Type", b"").decode() != TABLE_REL:
                continue
            target = attrs.get(b"Target", b"").decode()
            part = target.lstrip("/") if target.startswith("/") else _join(sheet.part, target)
            if re.search(rb'\sdisplayName="%s"' % re.escape(name.encode()), package.read(part)):
                return part
    raise NotPlain(f"sheet {sheet.title} has no table {name}")


def _join(part: str, target: str) -> str:
    import posixpath

    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def _recorded(package: _Package, titles: list[str]) -> dict[str, str]:
    if _CUSTOM not in package.names:
        return {}  # saved by a program that records none (openpyxl alone): all computed
    found = re.findall(
        rb'<property\b[^>]*\sname="'
        + re.escape(FINGERPRINT_PROPERTY.encode())
        + rb'\.(\d+)"[^>]*>\s*<vt:lpwstr\b[^>]*>([^<]*)</vt:lpwstr>',
        package.read(_CUSTOM),
    )
    text = "".join(v.decode() for _, v in sorted(found, key=lambda f: int(f[0])))
    return fingerprints_from(text, titles)


_PRINT_AREA = "_xlnm.Print_Area"
_AREA = re.compile(r"(?:'(?:[^']|'')*'|[^'!,]+)!\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)")


def _print_areas_hold(workbook: bytes, book: Book) -> None:
    """NotPlain when a visible sheet's print area leaves out a typed cell (rows typed past it
    in Excel, which does not grow it): the openpyxl save fits every print area to what its
    sheet holds (xlsrc.edges.workbook.print_areas, the one rule), so the file goes there rather
    than keep a print area that no longer prints what the sheet holds."""
    from defusedxml import ElementTree

    root = ElementTree.fromstring(workbook)
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    titles = [(s.get("name", ""), s.get("state", "visible")) for s in root.iter(f"{main}sheet")]
    for dn in root.iter(f"{main}definedName"):
        at = dn.get("localSheetId")
        if dn.get("name") != _PRINT_AREA or at is None or not at.isdigit():
            continue
        if int(at) >= len(titles):
            raise NotPlain("a print area of no sheet")
        title, state = titles[int(at)]
        if state != "visible" or title not in book.cells:
            continue
        text = (dn.text or "").strip()
        ranges = [
            (int(m[2]), column_number(m[1]), int(m[4]), column_number(m[3]))
            for m in _AREA.finditer(text)
        ]
        if not ranges or sum(len(m[0]) for m in _AREA.finditer(text)) + len(ranges) - 1 != len(
            text
        ):
            raise NotPlain(f"print area of {title} not read: {text[:40]!r}")
        for (row, col), value in book.cells[title].items():
            if isinstance(value, Formula) or value is None or value == "":
                continue
            if not any(r0 <= row <= r1 and c0 <= col <= c1 for r0, c0, r1, c1 in ranges):
                raise NotPlain(f"the print area of {title} leaves out row {row}")


# ---- styles: a cell's style index for the style it must have ---------------------------


class _Styles:
    """styles.xml's fonts, fills and cell formats, each known by what it means (not its
    index), so a style already in the file is found and a new one appended once."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.fonts = self._items(b"fonts", b"font")
        self.fills = self._items(b"fills", b"fill")
        self.xfs = self._items(b"cellXfs", b"xf")
        self.added = False
        self._xf_keys = {self._xf_key(x): n for n, x in reversed(list(enumerate(self.xfs)))}
        self._fill_keys = {_fill_key(f): n for n, f in reversed(list(enumerate(self.fills)))}

    def _items(self, group: bytes, tag: bytes) -> list[bytes]:
        m = re.search(rb"<%s\b[^>]*?(?:/>|>(.*?)</%s>)" % (group, group), self.data, re.S)
        if m is None:
            raise NotPlain(f"styles.xml has no {group.decode()}")
        return re.findall(rb"<%s\b(?:[^>]*/>|.*?</%s>)" % (tag, tag), m[1] or b"", re.S)

    def xml(self) -> bytes:
        out = self.data
        for group, items in (
            (b"fonts", self.fonts),
            (b"fills", self.fills),
            (b"cellXfs", self.xfs),
        ):
            new = b'<%s count="%d">%s</%s>' % (group, len(items), b"".join(items), group)
            found = re.search(rb"<%s\b[^>]*?(?:/>|>.*?</%s>)" % (group, group), out, re.S)
            if found is None:
                raise NotPlain(f"styles.xml has no {group.decode()}")
            out = out[: found.start()] + new + out[found.end() :]
        return out

    @staticmethod
    def _xf_key(xf: bytes) -> tuple[object, ...]:
        head = attributes(re.match(rb"<xf\b[^>]*", xf)[0])  # type: ignore[index]
        align = re.search(rb"<alignment\b([^>]*)", xf)
        protect = re.search(rb"<protection\b([^>]*)", xf)
        return (
            head.get(b"numFmtId", b"0"),
            head.get(b"fontId", b"0"),
            head.get(b"fillId", b"0"),
            head.get(b"borderId", b"0"),
            head.get(b"quotePrefix", b"0") in (b"1", b"true"),
            frozenset(attributes(align[1]).items()) if align else frozenset(),
            frozenset(attributes(protect[1]).items()) if protect else frozenset(),
        )

    def fill_of(self, xf: int) -> tuple[str | None, str | None]:
        if not 0 <= xf < len(self.xfs):
            raise NotPlain(f"style {xf} not in styles.xml")
        fill = int(self._xf_key(self.xfs[xf])[2])  # type: ignore[call-overload]
        return _fill_key(self.fills[fill]) if fill < len(self.fills) else (None, None)

    def fill_id(self, rgb: str | None) -> int:
        key = ("solid", _argb(rgb)) if rgb else (None, None)
        if key not in self._fill_keys:
            pattern = b"<patternFill />"
            if rgb:
                pattern = b'<patternFill patternType="solid"><fgColor rgb="%s" /></patternFill>' % (
                    _argb(rgb).encode()
                )
            self.fills.append(b"<fill>" + pattern + b"</fill>")
            self._fill_keys[key] = len(self.fills) - 1
            self.added = True
        return self._fill_keys[key]

    def link_font(self) -> int:
        font = b'<font><color rgb="%s" /><u val="single" /></font>' % _argb(_LINK_COLOR).encode()
        for n, f in enumerate(self.fonts):
            if re.sub(rb"\s+", b"", f) == re.sub(rb"\s+", b"", font):
                return n
        self.fonts.append(font)
        self.added = True
        return len(self.fonts) - 1

    def with_fill(self, xf: int, rgb: str | None) -> int:
        """The style `xf` with the fill `rgb` (None: no fill)."""
        fill = str(self.fill_id(rgb)).encode()
        new = re.sub(
            rb'(<xf\b[^>]*?\sfillId=")\d+"', rb"\g<1>" + fill + b'"', self.xfs[xf], count=1
        )
        return self._xf(new)

    def cell(self, *, fill: str | None, wrap: bool, quote: bool, link: bool) -> int:
        """A new cell's style with the alignment top (wrapped), a fill, a link's font."""
        font = self.link_font() if link else 0
        align = b'<alignment vertical="top"%s />' % (b' wrapText="1"' if wrap else b"")
        xf = (
            b'<xf numFmtId="0" fontId="%d" fillId="%d" borderId="0" applyAlignment="1"'
            b' pivotButton="0" quotePrefix="%d" xfId="0">%s</xf>'
        ) % (font, self.fill_id(fill), int(quote), align)
        return self._xf(xf)

    def _xf(self, xf: bytes) -> int:
        key = self._xf_key(xf)
        if key not in self._xf_keys:
            self.xfs.append(xf)
            self._xf_keys[key] = len(self.xfs) - 1
            self.added = True
        return self._xf_keys[key]


def _fill_key(fill: bytes) -> tuple[str | None, str | None]:
    pattern = re.search(rb'patternType="([^"]*)"', fill)
    color = re.search(rb'<fgColor\b[^>]*\srgb="([^"]*)"', fill)
    if pattern is None or pattern[1] == b"none":
        return None, None
    return pattern[1].decode(), _argb(color[1].decode()) if color else None


def _argb(rgb: str) -> str:
    return ("00" + rgb if len(rgb) == 6 else rgb).upper()


# ---- the Issues sheet ------------------------------------------------------------------


@dataclass
class _Cell:
    column: int
    value: object
    style: int


@dataclass
class _Row:
    number: int
    cells: list[_Cell]
    height: float | None
    link: tuple[str, str] | None  # (cell, location)


def _widths(sheet: bytes) -> dict[int, float]:
    out: dict[int, float] = {}
    for col in re.finditer(rb"<col\b([^>]*)/?>", sheet):
        a = attributes(col[1])
        width = (
            0.0 if a.get(b"hidden") in (b"1", b"true") else float(a.get(b"width", _DEFAULT_WIDTH))
        )
        for c in range(int(a[b"min"]), int(a[b"max"]) + 1):
            out[c] = width
    return out


def _issue_rows(issues: list[Issue], styles: _Styles, widths: dict[int, float]) -> list[_Row]:
    """Each issue's row as issues_writer._write_row and styles.fit_height make it."""
    rows = []
    for row, issue in enumerate(issues, start=layout.FIRST_DATA_ROW):
        values: list[object] = list(issue_values(issue))
        target = issue_link(issue)
        if target is not None:
            values.append(target[0])
        last = max((c for c, v in enumerate(values, start=1) if v not in (None, "")), default=0)
        height = 0.0
        cells = []
        for column, value in enumerate(values, start=1):
            if isinstance(value, str) and _ILLEGAL.search(value):
                raise NotPlain("text XML cannot hold")
            wrap = column == _MESSAGE_COLUMN
            needed = 0.0
            if isinstance(value, str) and value:
                room = textfit.column_points(widths.get(column, _DEFAULT_WIDTH))
                if not wrap:
                    spill = room + _empty_room(values, column, widths, max(last, len(values)))
                    if "\n" not in value and textfit.text_width(value) <= spill:
                        needed = textfit.row_height(1)
                    else:
                        wrap = True  # fit_height wraps text that cannot spill (in a table)
                if not needed:
                    needed = textfit.row_height(textfit.wrapped_lines(value, room))
            height = max(height, needed)
            style = styles.cell(
                fill=HIGHLIGHTS[issue.severity] if column == 1 else None,
                wrap=wrap,
                quote=isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS),
                link=target is not None and column == len(values),
            )
            cells.append(_Cell(column, value, style))
        link = (f"{column_letter(len(values))}{row}", target[1]) if target else None
        rows.append(_Row(row, cells, height if height > textfit.DEFAULT_ROW_PT else None, link))
    return rows


def _empty_room(values: list[object], column: int, widths: dict[int, float], last: int) -> float:
    room = 0.0
    for c in range(column + 1, last + 1):
        if c <= len(values) and values[c - 1] not in (None, ""):
            break
        room += textfit.column_points(widths.get(c, _DEFAULT_WIDTH))
    return room


def _put_issues(book: Book, summary: str, rows: list[_Row]) -> None:
    """The Issues sheet's cells in `book` as they will be written (its formulas' readers)."""
    grid = {
        key: value
        for key, value in book.cells[layout.ISSUES].items()
        if key[0] < layout.FIRST_DATA_ROW
    }
    grid[position(layout.ISSUES_SUMMARY_CELL)] = summary
    for row in rows:
        for cell in row.cells:
            if cell.value is not None:
                grid[(row.number, cell.column)] = from_python(cell.value)
    book.cells[layout.ISSUES] = grid
    table = book.tables.get(layout.ISSUES_TABLE.upper())
    if table is not None:
        last = layout.HEADER_ROW + max(1, len(rows))
        book.tables[layout.ISSUES_TABLE.upper()] = TableInfo(
            table.sheet,
            table.min_row,
            table.min_col,
            last,
            table.max_col,
            table.header_rows,
            table.totals_rows,
            table.columns,
        )


def _issues_sheet(body: bytes, summary: str, rows: list[_Row], computed: Computed) -> bytes:
    start, end = body.find(b"<sheetData"), body.find(b"</sheetData>")
    if start < 0 or end < 0:
        raise NotPlain("Issues sheet has no sheetData")
    head = body[start:end]
    kept = []
    for row in re.finditer(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", head, re.S):
        number = int(attributes(row[1])[b"r"])
        if number < layout.FIRST_DATA_ROW:
            kept.append(_with_summary(row[0], summary) if number == 3 else row[0])
    data = b"<sheetData>" + b"".join(kept) + b"".join(_row_xml(r) for r in rows)
    body = body[:start] + data + body[end:]
    last_row = max([layout.HEADER_ROW, *(r.number for r in rows)])
    body = re.sub(
        rb'<dimension ref="[^"]*"\s*/>',
        b'<dimension ref="A1:%s%d" />'
        % (column_letter(len(layout.ISSUES_HEADERS)).encode(), last_row),
        body,
        count=1,
    )
    body = re.sub(rb"<hyperlinks>.*?</hyperlinks>|<hyperlinks\s*/>", b"", body, flags=re.S)
    links = b"".join(
        b'<hyperlink ref="%s" location=%s />' % (r.link[0].encode(), _attr(r.link[1]))
        for r in rows
        if r.link
    )
    if links:
        body = _insert_before(body, b"<hyperlinks>" + links + b"</hyperlinks>", _AFTER_LINKS)
    return _cells(body, computed.values.get(layout.ISSUES, {}), {})


_AFTER_LINKS = (
    b"<printOptions",
    b"<pageMargins",
    b"<pageSetup",
    b"<headerFooter",
    b"<rowBreaks",
    b"<colBreaks",
    b"<customProperties",
    b"<cellWatches",
    b"<ignoredErrors",
    b"<smartTags",
    b"<drawing",
    b"<legacyDrawing",
    b"<picture",
    b"<oleObjects",
    b"<controls",
    b"<webPublishItems",
    b"<tableParts",
    b"<extLst",
    b"</worksheet>",
)


def _insert_before(body: bytes, xml: bytes, tags: tuple[bytes, ...]) -> bytes:
    at = min(i for tag in tags if (i := body.find(tag)) >= 0)
    return body[:at] + xml + body[at:]


def _with_summary(row: bytes, summary: str) -> bytes:
    ref = layout.ISSUES_SUMMARY_CELL.encode()

    def cell(m: re.Match[bytes]) -> bytes:
        a = attributes(m[1])
        if a.get(b"r") != ref:
            return m[0]
        style = b' s="%s"' % a[b"s"] if b"s" in a else b""
        return b'<c r="%s"%s t="inlineStr">%s</c>' % (ref, style, _inline(summary))

    new = CELL.sub(cell, row)
    if new == row:
        raise NotPlain("no summary cell")
    return new


def _row_xml(row: _Row) -> bytes:
    height = b' ht="%s" customHeight="1"' % _number(row.height).encode() if row.height else b""
    cells = []
    for c in row.cells:
        ref = f"{column_letter(c.column)}{row.number}".encode()
        if c.value is None:
            cells.append(b'<c r="%s" s="%d" />' % (ref, c.style))
        elif isinstance(c.value, str):
            cells.append(
                b'<c r="%s" s="%d" t="inlineStr">%s</c>' % (ref, c.style, _inline(c.value))
            )
        else:
            number = _number(float(c.value))  # type: ignore[arg-type]
            cells.append(b'<c r="%s" s="%d" t="n"><v>%s</v></c>' % (ref, c.style, number.encode()))
    return b'<row r="%d"%s>%s</row>' % (row.number, height, b"".join(cells))


def _inline(text: str) -> bytes:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<is><t{space}>{escape(text)}</t></is>".encode()


def _attr(text: str) -> bytes:
    return quoteattr(text).encode()


def _number(value: float) -> str:
    return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _table_range(body: bytes, last: int) -> bytes:
    ref = f"A{layout.HEADER_ROW}:{column_letter(len(layout.ISSUES_HEADERS))}{last}".encode()
    body = re.sub(rb'(<table\b[^>]*?\sref=")[^"]*"', rb"\g<1>" + ref + b'"', body, count=1)
    return re.sub(rb'(<autoFilter\b[^>]*?\sref=")[^"]*"', rb"\g<1>" + ref + b'"', body, count=1)


# ---- the Tracker's fills and every sheet's cached values -------------------------------


def _tracker_fills(
    body: bytes, table: TableInfo, issues: list[Issue], styles: _Styles
) -> dict[str, int]:
    """Cell reference -> its new style index (`highlight_tracker`'s rules)."""
    first, last = table.min_row + table.header_rows, table.max_row
    ours = {("solid", _argb(rgb)) for rgb in HIGHLIGHTS.values()}
    wanted = {
        (row, column): severity
        for (row, column), severity in tracker_cells(issues).items()
        if first <= row <= last
    }
    found: set[tuple[int, int]] = set()
    out: dict[str, int] = {}
    start, end = body.find(b"<sheetData"), body.find(b"</sheetData>")
    for m in CELL.finditer(body, start, end):
        a = attributes(m[1])
        ref = a[b"r"].decode()
        row, column = position(ref)
        if not (first <= row <= last and column <= len(INPUT_COLUMNS)):
            continue
        found.add((row, column))
        style = int(a.get(b"s", b"0"))
        fill = styles.fill_of(style)
        severity = wanted.get((row, column))
        if severity is not None and (fill in ours or fill[0] is None):
            new = styles.with_fill(style, HIGHLIGHTS[severity])
        elif fill in ours:
            new = styles.with_fill(style, None)
        else:
            continue
        if new != style:
            out[ref] = new
    if set(wanted) - found:
        raise NotPlain("a Tracker cell to highlight has no cell element")
    return out


_F = re.compile(rb"<f\b[^>]*?(?:/>|>.*?</f>)", re.S)
_T = re.compile(rb'\st="[^"]*"')
_S = re.compile(rb'\ss="[^"]*"')


def _cells(body: bytes, values: dict[str, object], styles: dict[str, int]) -> bytes:
    """Each formula cell with its value in `values` as its cached value (none when it has no
    value there: it could not be computed); each cell in `styles` with that style."""
    start, end = body.find(b"<sheetData"), body.find(b"</sheetData>")
    if start < 0 or end < 0:
        return body

    def cell(m: re.Match[bytes]) -> bytes:
        attrs, inner = m[1], m[2] or b""
        ref = attributes(attrs).get(b"r", b"").decode()
        if ref in styles:
            attrs = _S.sub(b"", attrs) + b' s="%d"' % styles[ref]
        f = _F.search(inner)
        if f is None:
            return m[0] if ref not in styles else _element(attrs, inner)
        attrs = _T.sub(b"", attrs)
        if ref not in values:
            return _element(attrs, f[0])
        kind, text = cell_value(values[ref])
        if kind:
            attrs += b' t="%s"' % kind.encode()
        return _element(attrs, f[0] + b"<v>" + escape(text).encode("utf-8") + b"</v>")

    return body[:start] + CELL.sub(cell, body[start:end]) + body[end:]


def _element(attrs: bytes, inner: bytes) -> bytes:
    return b"<c" + attrs + (b">" + inner + b"</c>" if inner else b" />")


# ---- fingerprints ----------------------------------------------------------------------


def _properties(body: bytes, computed: Computed, titles: list[str]) -> bytes:
    """docProps/custom.xml with the new fingerprints; every other property kept, numbered
    again from 2 as Office numbers them."""
    found = re.findall(rb"<property\b.*?</property>", body, re.S)
    keep = [
        p
        for p in found
        if not re.search(rb'\sname="' + re.escape(FINGERPRINT_PROPERTY.encode()) + rb'\.\d+"', p)
    ]
    fmtid = b"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
    keep += [
        b'<property name="%s" fmtid="%s" pid="0"><vt:lpwstr>%s</vt:lpwstr></property>'
        % (name.encode(), fmtid, escape(text).encode())
        for name, text in fingerprint_properties(computed.fingerprints, titles)
    ]
    counter = iter(range(2, 2 + len(keep)))
    keep = [
        re.sub(rb'\spid="\d+"', lambda _m: b' pid="%d"' % next(counter), p, count=1) for p in keep
    ]
    body = _declares_vt(body)
    start = body.find(b"<property")
    end = body.rfind(b"</property>")
    if start < 0 or end < 0:
        close = body.rfind(b"</Properties>")
        if close < 0:
            raise NotPlain("docProps/custom.xml is not a property list")
        return body[:close] + b"".join(keep) + body[close:]
    return body[:start] + b"".join(keep) + body[end + len(b"</property>") :]


VT = b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM = "docProps/custom.xml"
_CUSTOM_TYPE = b"application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = (
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)


def _add_custom_part(package: _Package) -> None:
    """An empty docProps/custom.xml for a package that has none (as openpyxl alone saves a
    workbook), with its content type and its relationship from the package, as openpyxl's
    save adds them."""
    types = package.read("[Content_Types].xml")
    rels = package.read("_rels/.rels")
    if b"/docProps/custom.xml" in types or _CUSTOM_REL in rels or b"</Types>" not in types:
        raise NotPlain("custom properties declared but not in the package")
    if b"</Relationships>" not in rels:
        raise NotPlain("_rels/.rels is not a relationship list")
    override = b'<Override PartName="/%s" ContentType="%s" />' % (_CUSTOM.encode(), _CUSTOM_TYPE)
    package.replace("[Content_Types].xml", types.replace(b"</Types>", override + b"</Types>", 1))
    ids = {int(n) for n in re.findall(rb'\sId="rId(\d+)"', rels)}
    rel = b'<Relationship Type="%s" Target="%s" Id="rId%d" />' % (
        _CUSTOM_REL,
        _CUSTOM.encode(),
        max(ids, default=0) + 1,
    )
    package.replace("_rels/.rels", rels.replace(b"</Relationships>", rel + b"</Relationships>", 1))
    package.add(
        _CUSTOM,
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'custom-properties" xmlns:vt="' + VT + b'"></Properties>',
    )


def _declares_vt(body: bytes) -> bytes:
    """`body` with the `vt:` prefix the new properties use bound on its root: openpyxl binds
    it on each value instead (<vt:lpwstr xmlns:vt=...>), Office and the builder on the root."""
    root = re.search(rb"<Properties\b[^>]*>", body)
    if root is None:
        raise NotPlain("docProps/custom.xml is not a property list")
    bound = re.search(rb'\sxmlns:vt="([^"]*)"', root.group())
    if bound is not None:
        if bound.group(1) != VT:
            raise NotPlain("docProps/custom.xml binds vt: to another namespace")
        return body
    at = root.start() + len(b"<Properties")
    return body[:at] + b' xmlns:vt="' + VT + b'"' + body[at:]


Reader = Callable[[str], bytes]
