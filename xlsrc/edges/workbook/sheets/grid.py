"""A month x area input table, pre-filled so people only type the figures.

Shared by the EHCP and VCU sheets: Month and Area are locked labels, the rest are inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import formula, put
from xlsrc.model.dates import months_in_range
from xlsrc.model.terms.models import Terms


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    fmt: str | None = None
    formula: str | None = None  # with {r} for the row; None means an input column


def month_area_table(
    ws: Worksheet,
    terms: Terms,
    *,
    name: str,
    top: int,
    columns: list[Column],
    style: str = "TableStyleLight9",
) -> tuple[int, int]:
    """Write the table with its header on row `top`; return (first, last) data rows."""
    headers = ["Month", "Area", *(c.header for c in columns)]
    styles.header_row(ws, top, headers)
    months = months_in_range(terms.dates.start, terms.latest_possible_end)
    r = top
    for month in months:
        for area in terms.areas:
            r += 1
            put(ws, r, 1, month).number_format = styles.MONTH
            put(ws, r, 2, area.short)
            for c in (1, 2):
                ws.cell(r, c).protection = styles.LOCKED
            for i, col in enumerate(columns, start=3):
                cell = ws.cell(r, i)
                if col.formula:
                    formula(ws, r, i, col.formula.format(r=r))
                    styles.calc_cell(cell, col.fmt)
                else:
                    styles.input_cell(cell, col.fmt)
    last_col = get_column_letter(len(headers))
    table = Table(displayName=name, ref=f"A{top}:{last_col}{r}")
    table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=True)
    ws.add_table(table)
    ws.column_dimensions["A"].width = 11
    ws.column_dimensions["B"].width = 13
    for i, col in enumerate(columns, start=3):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    return top + 1, r
