"""Evidence sheet: per month, the evidence behind each Annex A rating and the agreed next
steps, so a return built at any time shows what was recorded for its own month.

One row per month and measure; a blank Measure means every success measure of the outcome.
"""

from __future__ import annotations

from openpyxl import Workbook

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.sheets import common
from xlsrc.edges.workbook.sheets.inputs import Field, input_table
from xlsrc.model import layout
from xlsrc.model.terms.models import Terms

FIELDS = [
    Field("Month", styles.MONTH),
    Field("Area", choices="AreaList"),
    Field("Outcome", choices="OutcomeList"),
    Field("Measure", choices="MeasureList"),
    Field("Evidence", wrap=True),
    Field("Agreed next steps", wrap=True),
]
# Within an A4 landscape page at full size (LibreOffice adds a blank page after a sheet it
# shrinks to fit this one).
WIDTHS = {"A": 11, "B": 13, "C": 10, "D": 9, "E": 55, "F": 42}


def build(wb: Workbook, terms: Terms, capacity: int = layout.EVIDENCE_CAPACITY) -> None:
    ws = wb.create_sheet(layout.EVIDENCE)
    styles.title(
        ws,
        f"Annex A evidence by month — {terms.contract.id}",
        "Each month: the evidence for a success measure's rating and the agreed next steps "
        "(leave Measure blank for every measure of the outcome). A month's return shows its "
        "own month's rows. Roles and advisor IDs only, never names.",
    )
    input_table(
        ws, name=layout.EVIDENCE_TABLE, top=layout.HEADER_ROW, fields=FIELDS, capacity=capacity
    )
    styles.widths(ws, WIDTHS)
    common.finish(ws, terms, freeze=f"A{layout.FIRST_DATA_ROW}")
