"""VCU sheet: each month, per area, the recommendation to DfE's Vulnerable Children's Unit on
whether progress has been sufficient, and why (order form section 1)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.worksheet.datavalidation import DataValidation

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.sheets.grid import Column, month_area_table
from xlsrc.model import layout
from xlsrc.model.terms.models import Terms

COLUMNS = [Column("Recommendation", 16), Column("Reason", 80)]


def build(wb: Workbook, terms: Terms) -> None:
    ws = wb.create_sheet(layout.VCU)
    styles.title(
        ws,
        f"Recommendations to VCU — {terms.contract.id}",
        "Each month and area: is progress sufficient, not sufficient, or at risk — and why. "
        "Shown in the monthly return.",
    )
    first, last = month_area_table(
        ws, terms, name=layout.VCU_TABLE, top=layout.HEADER_ROW, columns=COLUMNS
    )
    rec = DataValidation(type="list", formula1="RecommendationList", allow_blank=True)
    rec.error = "Pick Sufficient, Not sufficient or At risk."
    rec.showErrorMessage = True
    rec.add(f"C{first}:C{last}")
    ws.add_data_validation(rec)
    for word, fill in (
        ("Sufficient", styles.GREEN_MARK),
        ("Not sufficient", styles.RED_MARK),
        ("At risk", styles.AMBER_MARK),
    ):
        ws.conditional_formatting.add(
            f"C{first}:C{last}", CellIsRule(operator="equal", formula=[f'"{word}"'], fill=fill)
        )
    for r in range(first, last + 1):
        ws.cell(r, 4).alignment = styles.WRAP
    ws.freeze_panes = f"C{layout.FIRST_DATA_ROW}"
    styles.protect(ws)
    styles.print_setup(
        ws,
        landscape=False,
        title_rows=f"{layout.HEADER_ROW}:{layout.HEADER_ROW}",
        marking=terms.contract.protective_marking,
        contract_id=terms.contract.id,
    )
