"""Results back into the open workbook, through range writes only.

The same description as the CLI's file writers (xlsrc.model.writes: what to write, as plain
data), applied cell block by cell block through xlwings so Excel keeps the file: Issues rows
and highlights, a return sheet (values, styles, merges, sizes), an Audit row, new Tracker
rows, the status line.

Text is never run: every string goes in with a leading apostrophe, which Excel (desktop and
web) takes as "this is text", so an advisor's note starting with "=" stays a note and
"1/2" stays "1/2" rather than becoming a date. The only formulas written are the adapter's
own HYPERLINK links, built from sheet names and cell addresses.

Reads happen before writes: with xlwings Lite (and the remote engine) writes are only sent
to Excel when the script returns, so nothing written here can be read back in the same run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from xlsrc.adapters.xl.book import XlBook
from xlsrc.core.returns.order import sheet_before
from xlsrc.edges.workbook.names_xml import parse_ref
from xlsrc.model import audit, layout
from xlsrc.model.entry import INPUT_COLUMNS, Entry
from xlsrc.model.errors import WorkbookFileError
from xlsrc.model.issues import Issue, Severity
from xlsrc.model.writes import (
    HIGHLIGHTS,
    Align,
    Font,
    SheetPicture,
    Style,
    cell_position,
    entry_values,
    issue_link,
    issue_values,
    tracker_cells,
)

T = TypeVar("T")
Block = tuple[int, int, int, int]  # first row, first column, last row, last column
STATUS_NAME = "ActionStatus"  # the cell the buttons write their one-line result into


def data(value: object) -> object:
    """One value for Range.value: text kept as text, money as a number, dates as dates."""
    if isinstance(value, str):
        return "'" + value if value else None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date | bool | int | float) or value is None:
        return value
    return "'" + str(value)


def put(sheet: Any, row: int, column: int, rows: list[list[object]]) -> None:
    """Write a block of values with its top-left cell at (row, column)."""
    if rows and rows[0]:
        sheet.range((row, column)).value = [[data(v) for v in r] for r in rows]


# Validate: the Issues table and the Tracker's highlights.


def previous_highlights(xb: XlBook) -> set[tuple[int, int]]:
    """Tracker cells the last run highlighted: the ones the Issues table lists now."""
    if layout.ISSUES_TABLE not in xb.table_names:
        return set()
    headers, rows, _ = xb.table(layout.ISSUES_TABLE)
    col = {h: headers.index(h) for h in ("Severity", "Sheet", "Row", "Column")}
    listed = []
    for r in rows:
        severity, sheet, row = r[col["Severity"]], r[col["Sheet"]], r[col["Row"]]
        if severity in HIGHLIGHTS and sheet == layout.TRACKER and isinstance(row, float):
            column = str(r[col["Column"]] or "")
            worst: Severity = "error" if severity == "error" else "warning"
            listed.append(Issue(sheet, int(row), column, None, "", worst, ""))
    return set(tracker_cells(listed))


def write_issues(xb: XlBook, issues: list[Issue], summary: str) -> None:
    """Replace the Issues table's rows with one row per issue, and the summary line."""
    if layout.ISSUES_TABLE not in xb.table_names:
        raise WorkbookFileError(
            f"{xb.path}: has no Issues sheet; run 'calloff validate' on the file once to add it"
        )
    table = xb.xl_table(layout.ISSUES_TABLE)
    sheet = table.parent
    first, before = _body(table)
    width = len(layout.ISSUES_HEADERS)
    rows = [[*(data(v) for v in issue_values(i)), _link(issue_link(i))] for i in issues]
    rows += [[None] * width] * max(0, before - len(rows))  # the last run's rows, emptied
    put(sheet, *cell_position(layout.ISSUES_SUMMARY_CELL), [[summary]])
    if rows:
        sheet.range((first, 1)).value = rows  # already data(), links are our formulas
    for offset, issue in enumerate(issues):
        sheet.range((first + offset, 1)).color = "#" + HIGHLIGHTS[issue.severity]
    if before > len(issues):
        sheet.range((first + len(issues), 1), (first + before - 1, 1)).color = None
    # An Excel table needs at least one data row: an empty run keeps one blank row.
    last = first + max(1, len(issues)) - 1
    table.resize(sheet.range((layout.HEADER_ROW, 1), (last, width)))


def highlight(xb: XlBook, issues: list[Issue], previous: set[tuple[int, int]]) -> int:
    """Clear the last run's highlights, fill each offending Tracker cell; return cells filled."""
    sheet = xb.sheet(layout.TRACKER)
    now = tracker_cells(issues)
    for row, column in sorted(previous - set(now)):
        sheet.range((row, column)).color = None
    for (row, column), severity in sorted(now.items()):
        sheet.range((row, column)).color = "#" + HIGHLIGHTS[severity]
    return len(now)


def _link(target: tuple[str, str] | None) -> str | None:
    """A HYPERLINK formula to the issue's cell (our own formula: sheet name and address)."""
    if target is None:
        return None
    text, location = (part.replace('"', '""') for part in target)
    return f'=HYPERLINK("#{location}","{text}")'


# Build return: the return sheet (the whole description) and its Audit row.

# Desktop Excel measures a column's width in characters (of the workbook's font), Office.js
# (xlwings Lite, xlwings Server) in points. Calibri 11 draws a digit 7 pixels wide with 5
# pixels of padding, and a pixel is 3/4 point at 96 dpi.
POINTS_ENGINES = ("remote", "officejs")


def points(characters: float) -> float:
    """A column width in characters as Office.js points."""
    return (characters * 7 + 5) * 0.75


def add_return_sheet(xb: XlBook, picture: SheetPicture) -> None:
    """The return as a new sheet among the Return sheets by month (before the Lists sheet when
    it is the latest: xlsrc.core.returns.order), drawn from the description the CLI
    draws (xlsrc.core.returns.sheet): values, number formats, fills, fonts, alignment, merged
    paragraphs, column widths, row heights and the print area. xlwings has no call for the
    rest of the page set-up (A4 portrait, fitted to the width, the marking in the header):
    xlsrc.adapters.xl.page sets it on Windows desktop Excel."""
    names = xb.sheet_names()
    if picture.name in names:
        raise WorkbookFileError(f"{xb.path}: a sheet named '{picture.name}' already exists")
    before = sheet_before(names, picture.name)
    at = len(names) if before is None else names.index(before)
    # Placed after its neighbour, not before the next sheet: xlwings' remote engine (and so
    # xlwings Lite) puts a sheet added `before=` one place too early.
    if at == 0:
        sheet = xb.xw.sheets.add(picture.name, before=xb.xw.sheets[0])
    else:
        sheet = xb.xw.sheets.add(picture.name, after=xb.xw.sheets[at - 1])
    xb.sheets_moved()
    put(sheet, 1, 1, picture.rows)
    for look, setter in LOOKS:
        values = {cell: v for cell, style in picture.styles.items() if (v := look(style))}
        for (first_row, first_column, last_row, last_column), value in blocks(values):
            setter(sheet.range((first_row, first_column), (last_row, last_column)), value)
    for (first_row, first_column, last_row, last_column), across in merge_blocks(picture.merges):
        sheet.range((first_row, first_column), (last_row, last_column)).merge(across)
    in_points = getattr(xb.xw.app.engine, "name", "") in POINTS_ENGINES
    for letter, width in picture.column_widths.items():
        sheet.range(f"{letter}:{letter}").column_width = points(width) if in_points else width
    for (first_row, _, last_row, _), height in blocks(
        {(row, 1): height for row, height in picture.row_heights.items()}
    ):
        sheet.range((first_row, 1), (last_row, 1)).row_height = height
    if picture.page is not None:
        sheet.page_setup.print_area = picture.page.area


def blocks(cells: dict[tuple[int, int], T]) -> list[tuple[Block, T]]:
    """Cells of one value as rectangles (first row, first column, last row, last column): runs
    along each row, then runs of the same columns down the rows; one write a block."""
    runs: dict[Block, T] = {}
    last: tuple[int, int, int, T] | None = None  # row, first column, last column, value
    for (row, column), value in sorted(cells.items(), key=lambda item: item[0]):
        if last and last[0] == row and last[2] == column - 1 and last[3] == value:
            del runs[(row, last[1], row, last[2])]
            last = (row, last[1], column, value)
        else:
            last = (row, column, column, value)
        runs[(row, last[1], row, column)] = value
    return _down(runs)


def merge_blocks(merges: list[Block]) -> list[tuple[Block, bool]]:
    """One-row merges of the same columns on consecutive rows as one block merged across
    (each row merged on its own, one call); any other merge as itself."""
    rows = [m for m in merges if m[0] == m[2]]
    joined = [(block, block[0] != block[2]) for block, _ in _down(dict.fromkeys(rows, True))]
    return joined + [(m, False) for m in merges if m[0] != m[2]]


def _down(runs: dict[Block, T]) -> list[tuple[Block, T]]:
    """Row runs (one row each) with the same columns and value on consecutive rows, joined."""
    blocks: list[tuple[Block, T]] = []
    latest: dict[tuple[int, int, T], int] = {}  # the block ending lowest, by columns and value
    for (row, first, _, last), value in sorted(runs.items(), key=lambda item: item[0]):
        at = latest.get((first, last, value))
        if at is not None and blocks[at][0][2] == row - 1:
            blocks[at] = ((blocks[at][0][0], first, row, last), value)
        else:
            latest[(first, last, value)] = len(blocks)
            blocks.append(((row, first, row, last), value))
    return blocks


# Each property of a Style the sink sets, and how. Only what differs from a new sheet's cell
# (not bold, not italic, not wrapped, no indent, no fill) is set; each property is written in
# the largest blocks of cells sharing its value, so a return takes a few hundred calls.
def _font(style: Style) -> Font:
    return style.font or Font()


def _align(style: Style) -> Align:
    return style.align or Align()


LOOKS: tuple[tuple[Callable[[Style], Any], Callable[[Any, Any], None]], ...] = (
    (lambda s: s.number_format, lambda rng, v: setattr(rng, "number_format", v)),
    (lambda s: s.fill, lambda rng, v: setattr(rng, "color", "#" + v)),
    (lambda s: _font(s).bold, lambda rng, v: setattr(rng.font, "bold", v)),
    (lambda s: _font(s).italic, lambda rng, v: setattr(rng.font, "italic", v)),
    (lambda s: _font(s).size, lambda rng, v: setattr(rng.font, "size", v)),
    (lambda s: _font(s).color, lambda rng, v: setattr(rng.font, "color", "#" + v)),
    (lambda s: _align(s).horizontal, lambda rng, v: setattr(rng, "horizontal_alignment", v)),
    (lambda s: _align(s).vertical, lambda rng, v: setattr(rng, "vertical_alignment", v)),
    (lambda s: _align(s).wrap, lambda rng, v: setattr(rng, "wrap_text", v)),
    (lambda s: _align(s).indent, lambda rng, v: rng.adjust_indent(v)),
)


def append_row(xb: XlBook, table_name: str, values: list[object]) -> int:
    """Write one row after the table's last row and grow the table; return the row."""
    table = xb.xl_table(table_name)
    first, count = _body(table)
    row = first + count
    sheet, top = table.parent, table.header_row_range
    put(sheet, row, top.column, [values])
    table.resize(sheet.range((top.row, top.column), (row, top.column + len(values) - 1)))
    xb.written(table_name)
    return row


def _body(table: Any) -> tuple[int, int]:
    """(first data row, number of data rows) of an xlwings Table; Excel's may have none."""
    body = table.data_body_range
    if body is None:
        return table.header_row_range.row + 1, 0
    return body.row, body.shape[0]


def append_audit(xb: XlBook, values: dict[str, object]) -> int:
    """The Audit row the CLI writes (xlsrc.edges.fileio.audit_writer): stamped, chained."""
    headers, body, _ = xb.table_now(layout.AUDIT_TABLE)
    cells = audit.chained(headers, audit.last_digest(headers, body), audit.stamped(values))
    return append_row(xb, layout.AUDIT_TABLE, cells)


# Import trackers: new rows after the last used Tracker row, inside the table.


def append_tracker(xb: XlBook, entries: list[Entry]) -> list[int]:
    """Write entries after the last used Tracker row; return the worksheet rows written.

    The Tracker table is pre-sized; from Excel it is not grown (its formulas, drop-downs and
    formats would have to be copied too): when it is full, `calloff import` grows it.
    """
    if not entries:
        return []
    _, rows, first = xb.table(layout.TRACKER_TABLE)
    typed = len(INPUT_COLUMNS)
    used = [first + n for n, r in enumerate(rows) if any(v != "" for v in r[:typed])]
    start = (used[-1] if used else first - 1) + 1
    room = first + len(rows) - start
    if len(entries) > room:
        raise WorkbookFileError(
            f"{xb.path}: the Tracker table has room for {room} more row(s) and the import has"
            f" {len(entries)}; run 'calloff import' on the saved file, which grows the table"
        )
    values = [entry_values(e) for e in entries]
    put(xb.sheet(layout.TRACKER), start, 1, [[v[h] for h in INPUT_COLUMNS] for v in values])
    return list(range(start, start + len(entries)))


# The status line.


def status_cell(xb: XlBook) -> tuple[str, int, int] | None:
    """(sheet, row, column) of the workbook's ActionStatus cell; None when it has none."""
    parsed = parse_ref(xb.names[STATUS_NAME]) if STATUS_NAME in xb.names else None
    if parsed is None:
        return None
    sheet, row, column, _, _ = parsed
    return sheet, row + 1, column + 1


def status(xb: XlBook, text: str) -> bool:
    """Write `text` into the ActionStatus cell, if the workbook has one; say whether."""
    cell = status_cell(xb)
    if cell is None:
        return False
    sheet, row, column = cell
    put(xb.sheet(sheet), row, column, [[text]])
    return True
