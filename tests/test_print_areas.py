"""Print areas fitted to what a sheet holds (xlsrc.edges.workbook.print_areas), without
LibreOffice: the empty rows of the pre-sized input tables are left out of the print."""

from __future__ import annotations

import openpyxl
from openpyxl.worksheet.table import Table

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.print_areas import MIN_GAP_ROWS, fit_print_areas, print_rows


def _sheet(tables: list[tuple[int, int, int]]) -> openpyxl.Workbook:
    """A sheet with a title and, per (header row, rows, typed rows), a table of input cells
    whose third column is a formula on every row (as the Tracker's Month and Cost are)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Title"
    for n, (top, rows, typed) in enumerate(tables):
        ws.cell(top, 1, "Date")
        ws.cell(top, 2, "Notes")
        ws.cell(top, 3, "Month")
        for r in range(top + 1, top + rows + 1):
            for c in (1, 2):
                styles.input_cell(ws.cell(r, c), None)
            ws.cell(r, 3, f'=IF(A{r}="","",A{r})')
            if r - top <= typed:
                ws.cell(r, 2, f"typed {r}")
        ws.add_table(Table(displayName=f"T{n}", ref=f"A{top}:C{top + rows}"))
    return wb


def test_a_table_prints_to_its_last_typed_row():
    wb = _sheet([(4, 400, 37)])
    assert print_rows(wb.active) == [(1, 4 + 37)]
    fit_print_areas(wb)
    assert wb.active.print_area == "'Sheet'!$A$1:$C$41"


def test_an_empty_table_prints_its_header_and_one_row():
    wb = _sheet([(4, 400, 0)])
    assert print_rows(wb.active) == [(1, 5)]


def test_a_full_table_and_a_sheet_without_input_cells_print_whole():
    assert print_rows(_sheet([(4, 40, 40)]).active) is None
    wb = _sheet([(4, 40, 3)])
    for row in wb.active.iter_rows(min_row=5):
        for cell in row:
            cell.protection = styles.LOCKED
    assert print_rows(wb.active) is None


def test_a_long_gap_between_tables_is_left_out_a_short_one_printed():
    long_gap = _sheet([(4, 200, 10), (210, 50, 2)])
    assert print_rows(long_gap.active) == [(1, 14), (205, 212)]
    short = MIN_GAP_ROWS - 1
    short_gap = _sheet([(4, 10 + short, 10), (20 + short, 50, 2)])
    assert print_rows(short_gap.active) == [(1, 20 + short + 2)]
