"""Results back into the open workbook, through range writes only.

The same description as the CLI's file writers (xlsrc.writes: what to write, as plain
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
from decimal import Decimal
from typing import Any

from xlsrc import layout
from xlsrc.errors import WorkbookFileError
from xlsrc.fileio.names_xml import parse_ref
from xlsrc.issues import Issue, Severity
from xlsrc.tracker.model import INPUT_COLUMNS, Entry
from xlsrc.writes import (
    HIGHLIGHTS,
    SheetPicture,
    Style,
    audit_values,
    cell_position,
    entry_values,
    issue_link,
    issue_values,
    tracker_cells,
)

from .book import XlBook

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
    """The return as a new sheet before the Lists sheet, drawn from the description the CLI
    draws (xlsrc.returns.sheet): values, number formats, fills, fonts, alignment, merged
    paragraphs, column widths, row heights and the print area. xlwings has no call for the
    rest of the page set-up (A4 portrait, fitted to the width, the marking in the header):
    xlsrc.xl.page sets it on Windows desktop Excel."""
    names = xb.sheet_names()
    if picture.name in names:
        raise WorkbookFileError(f"{xb.path}: a sheet named '{picture.name}' already exists")
    at = names.index(layout.LISTS) - 1 if layout.LISTS in names else len(names) - 1
    sheet = xb.xw.sheets.add(picture.name, after=xb.xw.sheets[at])
    put(sheet, 1, 1, picture.rows)
    for (first_row, first_column, last_row, last_column), style in style_blocks(picture.styles):
        _style(sheet.range((first_row, first_column), (last_row, last_column)), style)
    for first_row, first_column, last_row, last_column in picture.merges:
        sheet.range((first_row, first_column), (last_row, last_column)).merge()
    in_points = getattr(xb.xw.app.engine, "name", "") in POINTS_ENGINES
    for letter, width in picture.column_widths.items():
        sheet.range(f"{letter}:{letter}").column_width = points(width) if in_points else width
    for row, height in picture.row_heights.items():
        sheet.range((row, 1)).row_height = height
    if picture.page is not None:
        sheet.page_setup.print_area = picture.page.area


def style_blocks(styles: dict[tuple[int, int], Style]) -> list[tuple[Block, Style]]:
    """Cells of one style as rectangles (first row, first column, last row, last column): runs
    along each row, then runs of the same columns down the rows; one write a block."""
    runs: list[tuple[int, int, int, Style]] = []  # row, first column, last column, style
    for (row, column), style in sorted(styles.items()):
        if runs and runs[-1][0] == row and runs[-1][2] == column - 1 and runs[-1][3] == style:
            runs[-1] = (row, runs[-1][1], column, style)
        else:
            runs.append((row, column, column, style))
    blocks: list[tuple[Block, Style]] = []
    latest: dict[tuple[int, int, Style], int] = {}  # the block ending lowest, by its columns
    for row, first, last, style in runs:
        at = latest.get((first, last, style))
        if at is not None and blocks[at][0][2] == row - 1:
            top = blocks[at][0][0]
            blocks[at] = ((top, first, row, last), style)
        else:
            latest[(first, last, style)] = len(blocks)
            blocks.append(((row, first, row, last), style))
    return blocks


def _style(rng: Any, style: Style) -> None:
    if style.number_format is not None:
        rng.number_format = style.number_format
    if style.fill is not None:
        rng.color = "#" + style.fill
    if style.font is not None:
        font = style.font
        if font.bold is not None:
            rng.font.bold = font.bold
        if font.italic is not None:
            rng.font.italic = font.italic
        if font.size is not None:
            rng.font.size = font.size
        if font.color is not None:
            rng.font.color = "#" + font.color
    if style.align is not None:
        align = style.align
        if align.horizontal is not None:
            rng.horizontal_alignment = align.horizontal
        if align.vertical is not None:
            rng.vertical_alignment = align.vertical
        if align.wrap is not None:
            rng.wrap_text = align.wrap
        if align.indent:
            rng.adjust_indent(align.indent)


def append_row(xb: XlBook, table_name: str, values: list[object]) -> int:
    """Write one row after the table's last row and grow the table; return the row."""
    table = xb.xl_table(table_name)
    first, count = _body(table)
    row = first + count
    sheet, top = table.parent, table.header_row_range
    put(sheet, row, top.column, [values])
    table.resize(sheet.range((top.row, top.column), (row, top.column + len(values) - 1)))
    return row


def _body(table: Any) -> tuple[int, int]:
    """(first data row, number of data rows) of an xlwings Table; Excel's may have none."""
    body = table.data_body_range
    if body is None:
        return table.header_row_range.row + 1, 0
    return body.row, body.shape[0]


def append_audit(xb: XlBook, values: dict[str, object]) -> int:
    return append_row(xb, layout.AUDIT_TABLE, audit_values(values))


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
