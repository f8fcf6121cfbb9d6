"""A sheet described as plain data (xlsrc.model.writes.SheetPicture) drawn into a workbook with
openpyxl: the command line's sink. The Excel buttons draw the same description through
xlwings (xlsrc.adapters.xl.write.add_sheet)."""

from __future__ import annotations

from functools import cache

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put
from xlsrc.model import writes
from xlsrc.model.writes import SheetPicture, Style


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
            seal=page.seal,
        )
        ws.print_area = page.area
        for last in page.row_breaks:  # a page ends after row `last`
            ws.row_breaks.append(Break(id=last))
    return ws


def _style(ws: Worksheet, row: int, column: int, style: Style) -> None:
    cell = ws.cell(row, column)
    if style.font is not None:
        cell.font = _font(style.font)
    if style.fill is not None:
        cell.fill = _fill(style.fill)
    if style.align is not None:
        cell.alignment = _alignment(style.align)
    if style.number_format is not None:
        cell.number_format = style.number_format


# One openpyxl object per distinct record: a return repeats a few styles over hundreds of cells.
@cache
def _font(f: writes.Font) -> Font:
    return Font(name=styles.FONT, bold=f.bold, italic=f.italic, size=f.size or 11, color=f.color)


@cache
def _fill(rgb: str) -> PatternFill:
    return PatternFill("solid", fgColor=rgb)


@cache
def _alignment(a: writes.Align) -> Alignment:
    return Alignment(
        horizontal=a.horizontal, vertical=a.vertical, wrap_text=a.wrap, indent=a.indent
    )
