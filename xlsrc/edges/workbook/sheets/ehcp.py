"""EHCP sheet: EHC plan timeliness, two measures kept apart.

- EHCPMonthly: each area's own monthly figure (new plans issued, of which within 20 weeks)
  against its trajectory; the percentage is a locked formula.
- SEN2Annual: DfE's published annual SEN2 figure (% within 20 weeks excluding exceptions, by
  calendar year) and the date it was published: a return shows the latest figure published by
  its month's end. A different measure: never compared with or added to the monthly one.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.sheets.grid import Column, month_area_table
from xlsrc.model import layout
from xlsrc.model.terms.models import Terms

MONTHLY = [
    Column("New EHC plans issued", 15, styles.INT),
    Column("Issued within 20 weeks", 15, styles.INT),
    Column(
        "% within 20 weeks",
        14,
        styles.PCT,
        formula='=IF(OR(NOT(ISNUMBER(C{r})),NOT(ISNUMBER(D{r})),C{r}=0),"",ROUND(D{r}/C{r},4))',
    ),
    Column("Trajectory %", 13, styles.PCT),
    Column("Source / note", 40),
]
SEN2_HEADERS = (
    "Calendar year",
    "Area",
    "% within 20 weeks (SEN2, excl. exceptions)",
    "Published on",
    "Source / note",
)
SEN2_COL = 9  # column I: the annual table sits beside the monthly one, apart


def build(wb: Workbook, terms: Terms) -> None:
    ws = wb.create_sheet(layout.EHCP)
    styles.title(
        ws,
        f"EHCP timeliness — {terms.contract.id}",
        "Left: each area's own monthly figures against its trajectory. Right: the published "
        "SEN2 annual figure. Different measures: never compare or combine them.",
    )
    first, last = month_area_table(
        ws, terms, name=layout.EHCP_TABLE, top=layout.HEADER_ROW, columns=MONTHLY
    )
    whole = DataValidation(
        type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
    )
    whole.error = "A count of plans: a whole number, 0 or more."
    pct = DataValidation(
        type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True
    )
    pct.error = "A percentage between 0% and 100%."
    for dv in (whole, pct):
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
    whole.add(f"C{first}:D{last}")
    pct.add(f"F{first}:F{last}")
    _sen2(ws, terms, pct)
    ws.freeze_panes = f"C{layout.FIRST_DATA_ROW}"
    styles.protect(ws)
    styles.print_setup(
        ws,
        landscape=True,
        title_rows=f"{layout.HEADER_ROW}:{layout.HEADER_ROW}",
        marking=terms.contract.protective_marking,
        contract_id=terms.contract.id,
    )


def _sen2(ws: Any, terms: Terms, pct: DataValidation) -> None:
    top = layout.HEADER_ROW
    for i, header in enumerate(SEN2_HEADERS):
        put(ws, top, SEN2_COL + i, header)
    styles.header_row(ws, top, list(SEN2_HEADERS), start_col=SEN2_COL)
    r = top
    for year in range(terms.dates.start.year - 1, terms.latest_possible_end.year + 1):
        for area in terms.areas:
            r += 1
            put(ws, r, SEN2_COL, year).protection = styles.LOCKED
            put(ws, r, SEN2_COL + 1, area.short).protection = styles.LOCKED
            styles.input_cell(ws.cell(r, SEN2_COL + 2), styles.PCT)
            styles.input_cell(ws.cell(r, SEN2_COL + 3), styles.DATE)
            styles.input_cell(ws.cell(r, SEN2_COL + 4))
    first_col = get_column_letter(SEN2_COL)
    last_col = get_column_letter(SEN2_COL + len(SEN2_HEADERS) - 1)
    pct_col = get_column_letter(SEN2_COL + 2)
    pct.add(f"{pct_col}{top + 1}:{pct_col}{r}")
    table = Table(displayName=layout.SEN2_TABLE, ref=f"{first_col}{top}:{last_col}{r}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight11", showRowStripes=True)
    ws.add_table(table)
    for i, width in enumerate((10, 13, 24, 12, 24)):
        ws.column_dimensions[get_column_letter(SEN2_COL + i)].width = width
    ws.column_dimensions[get_column_letter(SEN2_COL - 1)].width = 4
