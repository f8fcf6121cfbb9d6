"""Guide sheet: what each sheet is for, how to fill the tracker, the master check, version."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from xlsrc import __version__, layout
from xlsrc.terms.models import Terms
from xlsrc.workbook import styles
from xlsrc.workbook.cells import formula, put
from xlsrc.workbook.names import define

SHEETS = (
    (
        layout.CONTRACT,
        "Input",
        "The contract terms: dates, cap, VAT, day rate, extension agreed, "
        "areas, advisors, Annex A outcomes. Every other sheet reads these by name.",
    ),
    (
        layout.TRACKER,
        "Input",
        "Advisors' call-off days: one row per advisor, date, area and "
        "activity. Month and Cost are calculated.",
    ),
    (
        layout.ANNEXA,
        "Input",
        "Annex A matrix: each outcome (in the order form's words) x success measure x area, "
        "a Red/Amber/Green rating per month, and the roll-up to outcome and area.",
    ),
    (
        layout.EVIDENCE,
        "Input",
        "Each month: the evidence behind an Annex A rating and the agreed next steps.",
    ),
    (
        layout.PLANS,
        "Input",
        "The area's improvement plans: actions and milestones, due dates, status, trajectory.",
    ),
    (
        layout.EHCP,
        "Input",
        "EHC plan timeliness: each area's monthly figure against its trajectory, and the "
        "published SEN2 annual figure, kept apart.",
    ),
    (
        layout.VCU,
        "Input",
        "Each month and area: the recommendation to VCU (sufficient / not sufficient / at "
        "risk) and why.",
    ),
    (
        layout.REPORT,
        "Input",
        "For each monthly return: summary judgement and narrative per area, next month's "
        "plan and key dates, escalations and asks, sign-off, invoice and PO numbers.",
    ),
    (
        layout.RISKS,
        "Input",
        "Risk register: likelihood x impact, owner by role, escalation to VCU.",
    ),
    (
        layout.INVOICES,
        "Input",
        "Invoices as received; each checked live against the Tracker "
        "(days x rate, VAT, gross, one per month, within the cap).",
    ),
    (
        layout.BUDGET,
        "Calculation",
        "Spend against the cap: totals, VAT, headroom, alert band, "
        "forecasts to the break and the end, scenarios, days by area and by month, a chart.",
    ),
    (layout.CHECKS, "Output", "TRUE/FALSE checks and the MasterCheck."),
    (layout.ISSUES, "Output", "Row-by-row problems found by Validate, each linked to its cell."),
    (
        layout.AUDIT,
        "Log",
        "Returns issued (each locks its month with a fingerprint) and the "
        "build, with the terms' fingerprint.",
    ),
)

HOW_TO = (
    "1. Go to the Tracker sheet and type in the first empty row (white cells only).",
    "2. Date: the day the work was done (dd/mm/yyyy), inside the contract term.",
    "3. Advisor: your advisor ID from the drop-down. Never your name.",
    "4. Area and Activity: pick from the drop-downs.",
    "5. Outcomes: the Annex A outcome ID(s) the work served, e.g. OX-PA3 or OX-PA3, OX-0.",
    "6. Days: 0.5 or 1. One advisor can record at most 1 day per date.",
    "7. Notes: what was done. No names, e-mail addresses or phone numbers: they are "
    "confidential under the order form.",
    "8. Check the Checks sheet (or run 'calloff validate') before the month's invoice.",
)


SHEETS_TOP = 10  # rows 6-8 hold the inputs of the Excel buttons (row 3 holds the buttons)


def _button_inputs(wb: Workbook, ws, terms: Terms) -> None:
    """The month the Build return / Check invoice buttons act on, and where buttons report."""
    put(ws, 6, 1, "Month for the buttons").font = styles.BOLD
    put(
        ws, 6, 3, "Build return and Check invoice act on this month (mmm yyyy)."
    ).font = styles.SUBTITLE
    month = ws.cell(6, 2)
    styles.input_cell(month, styles.MONTH)
    define(wb, "ActionMonth", layout.GUIDE, "B6")
    check = DataValidation(
        type="date",
        operator="between",
        formula1="StartDate",
        formula2="LatestEnd",
        allow_blank=True,
    )
    check.error = "A month inside the contract term (type the 1st of the month)."
    check.showErrorMessage = True
    check.add("B6")
    ws.add_data_validation(check)
    put(ws, 7, 1, "Last button").font = styles.BOLD
    status = ws.cell(7, 2)
    status.protection = styles.UNLOCKED  # the buttons write here, also where they cannot unprotect
    status.alignment = styles.WRAP
    ws.merge_cells(start_row=7, start_column=2, end_row=7, end_column=3)
    define(wb, "ActionStatus", layout.GUIDE, "B7")


def build(wb: Workbook, terms: Terms, terms_source: str) -> None:
    ws = wb.active
    ws.title = layout.GUIDE
    styles.title(
        ws,
        f"{terms.contract.title} — {terms.contract.id}",
        f"{terms.contract.supplier} for {terms.contract.authority}",
    )
    put(ws, 4, 1, "All checks").font = styles.BOLD
    status = formula(
        ws, 4, 2, '=IF(MasterCheck,"PASS: all checks pass","FAIL: see the Checks sheet")'
    )
    styles.calc_cell(status)
    status.font = styles.BOLD
    for text, fill in (("PASS", styles.GREEN_MARK), ("FAIL", styles.RED_MARK)):
        ws.conditional_formatting.add("B4", styles.begins_with_rule("B4", text, fill))
    put(ws, 5, 1, "Spend against cap").font = styles.BOLD
    styles.calc_cell(formula(ws, 5, 2, '=TEXT(CapUsedPct,"0.0%")&" used — "&AlertBand'))

    _button_inputs(wb, ws, terms)

    top = SHEETS_TOP
    styles.header_row(ws, top, ["Sheet", "Kind", "What it is for"])
    ws.row_dimensions[top].height = 16
    row = top + 1
    for name, kind, what in SHEETS:
        link = put(ws, row, 1, name)
        link.hyperlink = f"#'{name}'!A1"
        link.style = "Hyperlink"
        link.alignment = styles.TOP
        put(ws, row, 2, kind).alignment = styles.TOP
        put(ws, row, 3, what).alignment = styles.WRAP
        row += 1
    row += 1
    put(ws, row, 1, "How to fill the tracker").font = styles.BOLD
    for line in HOW_TO:
        row += 1
        put(ws, row, 1, line)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    row += 2
    put(ws, row, 1, "Colours").font = styles.BOLD
    row += 1
    styles.input_cell(put(ws, row, 1, "Yellow / white: you may type here"))
    row += 1
    styles.calc_cell(put(ws, row, 1, "Grey: a formula owns this cell (locked)"))
    row += 2
    put(ws, row, 1, "Version").font = styles.BOLD
    put(ws, row, 2, f"calloff {__version__}; terms {terms.contract.id} from {terms_source}")
    row += 1
    put(ws, row, 1, "Sheet protection").font = styles.BOLD
    put(
        ws, row, 2, "Protection has no password: it guards against slips, it is not security."
    ).alignment = styles.WRAP
    styles.widths(ws, {"A": 26, "B": 30, "C": 62})
    for r in range(SHEETS_TOP + 1, SHEETS_TOP + 1 + len(SHEETS)):
        styles.fit_height(ws, r)
    styles.protect(ws)
    styles.print_setup(
        ws,
        landscape=False,
        title_rows=None,
        marking=terms.contract.protective_marking,
        contract_id=terms.contract.id,
    )
