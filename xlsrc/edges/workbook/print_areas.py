"""Print what a sheet holds, not the empty rows kept ready for typing.

The input tables (Tracker, Evidence, Plans, Report, Risks, Invoices, Decisions) are pre-sized:
Excel cannot grow a table on a protected sheet, so each carries tens or hundreds of empty rows.
Printed whole they fill pages holding only the marking, the headers and the footer. Every save
(xlsrc.edges.fileio.atomic and .xlsm) fits each visible sheet's print area: a table's empty rows
after its last typed row are left out (its header and one row are always kept), everything else
on the sheet is kept; a sheet with several tables gets one range per part, each starting a page
(a gap shorter than MIN_GAP_ROWS is printed rather than broken).

A row counts as typed when any cell of it holds a value that is not a formula (a pre-filled
month is a value; a Month or Cost formula over an empty row is not). Tables with no cell a person
types into (every cell locked) are printed whole. Rows typed in Excel below the print area are
added back when the workbook is printed through LibreOffice (lo_worker extends each range over
the typed rows after it) and by the next calloff command that saves the workbook.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

PrintRange = tuple[int, int]  # first and last row
# Empty rows between two parts of a sheet are left out only when there are this many: each
# range starts a new page, and a short gap costs less paper than a page break.
MIN_GAP_ROWS = 20


def fit_print_areas(wb: Workbook) -> None:
    """Each visible sheet's print area fitted to its content (module docstring)."""
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" or not ws.tables:
            continue
        ranges = print_rows(ws)
        if ranges is None:
            continue
        last_col = get_column_letter(max(ws.max_column, 1))
        ws.print_area = [f"A{first}:{last_col}{last}" for first, last in ranges]


def print_rows(ws: Worksheet) -> list[PrintRange] | None:
    """The row ranges to print, top to bottom; None when the whole sheet prints (no table has
    empty rows to leave out)."""
    tails = sorted(d for d in (_empty_tail(ws, ref) for ref in _table_refs(ws)) if d)
    dropped = [
        (start, end) for start, end in tails if end >= ws.max_row or end - start + 1 >= MIN_GAP_ROWS
    ]
    if not dropped:
        return None
    ranges, first = [], 1
    for start, end in dropped:
        if start > first:
            ranges.append((first, start - 1))
        first = max(first, end + 1)
    if first <= ws.max_row:
        ranges.append((first, ws.max_row))
    return ranges


def _table_refs(ws: Worksheet) -> list[str]:
    return [table.ref for table in ws.tables.values()]


def _empty_tail(ws: Worksheet, ref: str) -> PrintRange | None:
    """The table's rows after its last typed row (its header and first row kept), if any and
    if people type into it at all."""
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    typed_into = False
    last_typed = min_row + 1  # the header and one row, even when the table is empty
    for row in ws.iter_rows(min_row=min_row + 1, max_row=max_row, min_col=min_col, max_col=max_col):
        for cell in row:
            if not cell.protection.locked:
                typed_into = True
            value = cell.value
            if value is None or value == "" or cell.data_type == "f":
                continue
            last_typed = max(last_typed, cell.row)
    if not typed_into or last_typed >= max_row:
        return None
    return last_typed + 1, max_row
