"""A sheet described as plain data (xlsrc.writes.SheetPicture) drawn into a workbook with
openpyxl: the command line's sink. The Excel buttons draw the same description through
xlwings (xlsrc.xl.write.add_sheet)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.workbook import styles
from xlsrc.workbook.cells import put
from xlsrc.writes import SheetPicture, Style


def add_sheet(wb: Workbook, picture: SheetPicture, before: str | None = None) -> Worksheet:
    """Draw `picture` as a new sheet, placed before the sheet `before` when there is one."""
    index = wb.sheetnames.index(before) if before in wb.sheetnames else None
    ws = wb.create_sheet(picture.name, index=index)
    for r, row in enumerate(picture.rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                put(ws, r, c, value)  # data, never a formula
    for (r, c), style in picture.styles.items():
        _style(ws, r, c, style)
    for first_row, first_column, last_row, last_column in picture.merges:
        ws.merge_cells(
            start_row=first_row,
            start_column=first_column,
            end_row=last_row,
            end_column=last_column,
        )
    for letter, width in picture.column_widths.items():
        ws.column_dimensions[letter].width = width
    for r, height in picture.row_heights.items():
        ws.row_dimensions[r].height = height
    if picture.protected:
        styles.protect(ws)
    if picture.page is not None:
        page = picture.page
        styles.print_setup(
            ws,
            landscape=page.landscape,
            title_rows=None,
            marking=page.marking,
            contract_id=page.contract_id,
        )
        ws.print_area = page.area
    return ws


def _style(ws: Worksheet, row: int, column: int, style: Style) -> None:
    cell = ws.cell(row, column)
    if style.font is not None:
        f = style.font
        cell.font = Font(bold=f.bold, italic=f.italic, size=f.size, color=f.color)
    if style.fill is not None:
        cell.fill = PatternFill("solid", fgColor=style.fill)
    if style.align is not None:
        a = style.align
        cell.alignment = Alignment(
            horizontal=a.horizontal, vertical=a.vertical, wrap_text=a.wrap, indent=a.indent
        )
    if style.number_format is not None:
        cell.number_format = style.number_format
