"""Report sheet: what a monthly return says beyond the figures, typed per month.

Four tables, one under the other: per month and area the summary judgement, narrative, DBV /
Safety Valve liaison and days planned for next month; next month's key dates; escalations and
asks of the Department (date raised, owner role); and per month the sign-off (prepared and
approved, by role and date) with the invoice and purchase order numbers.
"""

from __future__ import annotations

from openpyxl import Workbook

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.sheets.inputs import Field, input_table
from xlsrc.model import layout
from xlsrc.model.dates import months_in_range
from xlsrc.model.terms.models import Terms

AREA_FIELDS = [
    Field("Month", styles.MONTH),
    Field("Area"),
    Field("Summary judgement", wrap=True),
    Field("Narrative", wrap=True),
    Field("DBV / Safety Valve liaison", wrap=True),
    Field("Days planned next month", styles.DAYS),
    # Why the judgement stands beside a rating or recommendation it seems to contradict:
    # the return is not issued until a contradiction is resolved or acknowledged here.
    Field("Contradiction acknowledged", wrap=True),
]
KEY_DATE_FIELDS = [
    Field("Return month", styles.MONTH),
    Field("Area", choices="RiskAreaList"),
    Field("Date", styles.DATE),
    Field("Event", choices="EventList"),
    Field("Planned activity", wrap=True),
    Field("Days planned", styles.DAYS),
]
ASK_FIELDS = [
    Field("Raised", styles.DATE),
    Field("Area", choices="RiskAreaList"),
    Field("Escalation or ask of the Department", wrap=True),
    Field("Owner (role)", choices="OwnerRoleList"),
    Field("Status"),
    Field("Resolved on", styles.DATE),
]
SIGNOFF_FIELDS = [
    Field("Month", styles.MONTH),
    Field("Prepared by (role)", choices="OwnerRoleList"),
    Field("Prepared on", styles.DATE),
    Field("Approved by (role)", choices="OwnerRoleList"),
    Field("Approved on", styles.DATE),
    Field("Invoice number"),
    Field("Purchase order number"),
]
# Narrow enough that LibreOffice prints no blank page after the sheet (it did at the widths
# before, shrunk to fit the page).
WIDTHS = {"A": 11, "B": 17, "C": 34, "D": 40, "E": 24, "F": 12, "G": 16}


def build(wb: Workbook, terms: Terms) -> None:
    ws = wb.create_sheet(layout.REPORT)
    styles.title(
        ws,
        f"Monthly report inputs — {terms.contract.id}",
        "Per month: each area's summary judgement and narrative, next month's plan and key "
        "dates, escalations and asks of the Department, and the sign-off with the invoice "
        "and purchase order numbers. Roles only, never names.",
    )
    months = months_in_range(terms.dates.start, terms.latest_possible_end)
    last = input_table(
        ws,
        name=layout.AREA_REPORT_TABLE,
        top=layout.HEADER_ROW,
        fields=AREA_FIELDS,
        filled=[[m, a.short] for m in months for a in terms.areas],
    )
    last = input_table(
        ws,
        name=layout.KEY_DATES_TABLE,
        top=last + 3,
        fields=KEY_DATE_FIELDS,
        capacity=layout.KEY_DATES_CAPACITY,
        caption="Next month's plan and key dates (SIB, deep dives, stocktakes, DfE reviews)",
    )
    last = input_table(
        ws,
        name=layout.ASKS_TABLE,
        top=last + 3,
        fields=ASK_FIELDS,
        capacity=layout.ASKS_CAPACITY,
        caption="Escalations and asks of the Department",
    )
    input_table(
        ws,
        name=layout.SIGNOFF_TABLE,
        top=last + 3,
        fields=SIGNOFF_FIELDS,
        filled=[[m] for m in months],
        caption="Sign-off, invoice and purchase order numbers",
    )
    styles.widths(ws, WIDTHS)
    ws.freeze_panes = f"A{layout.FIRST_DATA_ROW}"
    styles.protect(ws)
    styles.print_setup(
        ws,
        landscape=True,
        title_rows=None,
        marking=terms.contract.protective_marking,
        contract_id=terms.contract.id,
    )
