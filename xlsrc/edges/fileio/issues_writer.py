"""Write what `calloff validate` found back into a workbook: the Issues table and highlights.

Both are replaced on every run, never piled up. The Issues sheet is output only. On the
Tracker only fills change, and only on input cells: the builder leaves those without a fill,
so a highlight is undone exactly by clearing it. Values, number formats, data types and
protection are never touched, so what people typed stays as it was.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.edges.fileio.tracker_writer import tracker_bounds
from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.sheets import issues as issues_sheet
from xlsrc.model import layout
from xlsrc.model.entry import INPUT_COLUMNS, check_table_columns
from xlsrc.model.issues import Issue
from xlsrc.model.terms.models import Terms
from xlsrc.model.writes import (
    HIGHLIGHTS,
    cell_position,
    issue_link,
    issue_values,
    tracker_cells,
)

HIGHLIGHT: dict[str, PatternFill] = {
    severity: PatternFill("solid", fgColor=rgb) for severity, rgb in HIGHLIGHTS.items()
}
NO_FILL = PatternFill()  # the fill the builder leaves on Tracker input cells
LINK_FONT = Font(color="0563C1", underline="single")


def write_issues(wb: Workbook, terms: Terms, issues: list[Issue], summary: str) -> None:
    """Replace the Issues table's rows with one row per issue, and the summary in A3."""
    ws = issues_worksheet(wb, terms)
    again = "Delete the sheet and run validate again to recreate it"
    check_table_columns(ws, layout.ISSUES_TABLE, layout.ISSUES_HEADERS, remedy=again)
    table = ws.tables[layout.ISSUES_TABLE]
    _clear_rows(ws)
    row, column = cell_position(layout.ISSUES_SUMMARY_CELL)
    put(ws, row, column, summary)
    for row, issue in enumerate(issues, start=layout.FIRST_DATA_ROW):
        _write_row(ws, row, issue)
    # An Excel table needs at least one data row: an empty run keeps one blank row.
    last = layout.HEADER_ROW + max(1, len(issues))
    table.ref = f"A{layout.HEADER_ROW}:{get_column_letter(len(layout.ISSUES_HEADERS))}{last}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref


def issues_worksheet(wb: Workbook, terms: Terms) -> Worksheet:
    """The Issues sheet; workbooks built before it existed get it now, before Lists.

    openpyxl adds sheets even when the workbook structure is protected (the lock only
    binds Excel's user interface), so an older file is upgraded rather than refused.
    """
    if layout.ISSUES in wb.sheetnames:
        return wb[layout.ISSUES]
    issues_sheet.build(wb, terms)
    if layout.LISTS in wb.sheetnames:
        wb.move_sheet(layout.ISSUES, wb.sheetnames.index(layout.LISTS) - len(wb.sheetnames) + 1)
    return wb[layout.ISSUES]


def highlight_tracker(wb: Workbook, issues: list[Issue]) -> int:
    """Clear the previous run's highlights, fill each offending cell; return cells filled.

    An error outranks a warning in the same cell. A cell the user filled with a colour of
    their own keeps it (the Issues sheet still lists the problem): it could not be undone.
    """
    ws = wb[layout.TRACKER]
    first, last = tracker_bounds(ws)
    ours = {_key(fill) for fill in HIGHLIGHT.values()}
    for cells in ws.iter_rows(min_row=first, max_row=last, max_col=len(INPUT_COLUMNS)):
        for cell in cells:
            if _key(cell.fill) in ours:
                cell.fill = NO_FILL
    filled = 0
    for (row, column), severity in tracker_cells(issues).items():
        if not first <= row <= last:
            continue
        cell = ws.cell(row, column)
        if cell.fill.patternType is None:
            cell.fill = HIGHLIGHT[severity]
            filled += 1
    return filled


def _key(fill: PatternFill) -> tuple[str | None, object]:
    return fill.patternType, fill.fgColor.rgb


def _clear_rows(ws: Worksheet) -> None:
    """Drop every row under the header: values, links, styles and heights of the last run."""
    if ws.max_row >= layout.FIRST_DATA_ROW:
        ws.delete_rows(layout.FIRST_DATA_ROW, ws.max_row - layout.FIRST_DATA_ROW + 1)
    for row in [r for r in ws.row_dimensions if r >= layout.FIRST_DATA_ROW]:
        del ws.row_dimensions[row]


def _write_row(ws: Worksheet, row: int, issue: Issue) -> None:
    values = issue_values(issue)
    for column, value in enumerate(values, start=1):
        put(ws, row, column, value).alignment = styles.WRAP if column == 7 else styles.TOP
    ws.cell(row, 1).fill = HIGHLIGHT[issue.severity]
    if (target := issue_link(issue)) is not None:
        text, location = target
        link = put(ws, row, len(values) + 1, text)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=location)
        link.font = LINK_FONT
        link.alignment = styles.TOP
    styles.fit_height(ws, row)
