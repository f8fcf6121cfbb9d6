"""Guide sheet: what each sheet is for, how to fill the tracker, the master check, version."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.datavalidation import DataValidation

from xlsrc import __version__
from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import formula, put
from xlsrc.edges.workbook.names import define
from xlsrc.model import checks_summary as summary
from xlsrc.model import layout
from xlsrc.model.terms.effective import (
    BREAK_ROW,
    END_ROW,
    ENDED,
    ENDED_ON_DATE,
    FALLING_DUE,
    MAX_EXTENDED,
    NO_BREAK,
    NO_NOTICE,
    NOT_YET_DECIDED,
    NOT_YET_DUE,
    NOTICE_PASSED,
    PAST_DATE,
    WARN_MONTHS,
)
from xlsrc.model.terms.models import Terms

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
    (layout.CHECKS, "Output", "The workbook's own checks: each reads OK or says what is wrong."),
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


DUE_TOP = 9  # rows 6-7 hold the inputs of the Excel buttons (row 3 holds the buttons)
DUE_MORE = DUE_TOP + 5  # the line on calloff due, under the block's two rows
SHEETS_TOP = DUE_TOP + 7  # after the "Decisions falling due" block


def _when(date: str, notice: str | None) -> str:
    """The state of a decision still to take on AsOfDate (xlsrc.model.terms.effective._when)."""
    inner = f'"{FALLING_DUE}"'
    if notice is not None:
        inner = f'IF(AND(ISNUMBER({notice}),AsOfDate>{notice}),"{NOTICE_PASSED}",{inner})'
    return (
        f'IF(AsOfDate<EDATE({date},-{WARN_MONTHS}),"{NOT_YET_DUE}",'
        f'IF(AsOfDate>{date},"{PAST_DATE}",{inner}))'
    )


def _falling_due(wb: Workbook, ws: Any) -> None:
    """Each decision the contract manager must take (the break, the end), its date, the date
    notice is due by and its state on AsOfDate: the formulas of EffectiveTerm.due_rows."""
    top = DUE_TOP
    put(ws, top, 1, "Decisions falling due").font = styles.BOLD
    put(
        ws,
        top,
        3,
        f"Shown as falling due from {WARN_MONTHS} months before the date. Record a decision in"
        " the Decisions table (Contract sheet) or with calloff decide.",
    ).font = styles.SUBTITLE
    put(ws, top + 1, 1, "As of").font = styles.BOLD
    as_of = ws.cell(top + 1, 2)
    styles.input_cell(as_of, styles.DATE)
    define(wb, "AsOf", layout.GUIDE, as_of.coordinate)
    check = DataValidation(type="date", operator="greaterThan", formula1="0", allow_blank=True)
    check.error = "A date (dd/mm/yyyy), or leave it blank for today."
    check.showErrorMessage = True
    check.add(as_of.coordinate)
    ws.add_data_validation(check)
    styles.calc_cell(formula(ws, top + 1, 3, "=IF(ISNUMBER(AsOf),AsOf,TODAY())"), styles.DATE)
    ws.cell(top + 1, 3).alignment = Alignment(horizontal="left")
    define(wb, "AsOfDate", layout.GUIDE, f"C{top + 1}")
    put(
        ws, top + 1, 4, "Blank: today. Type a date to see the block as on that day."
    ).font = styles.SUBTITLE
    styles.header_row(ws, top + 2, ["Decision", "Date due", "Notice by", "State"])
    brk, end = top + 3, top + 4
    put(ws, brk, 1, BREAK_ROW).alignment = styles.WRAP
    styles.calc_cell(formula(ws, brk, 2, '=IF(ISNUMBER(BreakDate),BreakDate,"")'), styles.DATE)
    styles.calc_cell(put(ws, brk, 3, NO_NOTICE))
    styles.calc_cell(
        formula(
            ws,
            brk,
            4,
            f'=IF(NOT(ISNUMBER(BreakDate)),"{NO_BREAK}",IF(BreakState<>"{NOT_YET_DECIDED}",'
            f"BreakState,{_when('BreakDate', None)}))",
        )
    )
    put(ws, end, 1, END_ROW).alignment = styles.WRAP
    styles.calc_cell(formula(ws, end, 2, "=EffectiveEnd"), styles.DATE)
    styles.calc_cell(
        formula(
            ws,
            end,
            3,
            '=IF(OR(TermEnded="Yes",ExtensionMonths>=ExtensionMaxMonths),"",'
            "EDATE(EffectiveEnd,-ExtensionNoticeMonths))",
        ),
        styles.DATE,
    )
    styles.calc_cell(
        formula(
            ws,
            end,
            4,
            f'=IF(TermEnded="Yes","{ENDED}",IF(ExtensionMonths>=ExtensionMaxMonths,'
            f'"{MAX_EXTENDED}",IF(AsOfDate>EffectiveEnd,"{ENDED_ON_DATE}",'
            f"{_when('EffectiveEnd', f'C{end}')})))",
        )
    )
    for r in (brk, end):
        for c in (2, 3, 4):  # one line of sight: every cell of the row starts at its top
            ws.cell(r, c).alignment = styles.WRAP
        styles.fit_height(ws, r)
    more = DUE_MORE
    label = put(ws, more, 1, "Everything else that falls due")
    label.font, label.alignment = styles.BOLD, styles.WRAP
    note = put(
        ws,
        more,
        2,
        "Run calloff due WORKBOOK (add --json for programs): the next return and its due"
        " date, returns overdue, interim returns, these notice deadlines, advisors with no"
        " entries last month, months delivered but not invoiced.",
    )
    note.alignment = styles.WRAP
    ws.merge_cells(start_row=more, start_column=2, end_row=more, end_column=4)
    define(wb, "DueStates", layout.GUIDE, f"D{brk}:D{end}")
    states = f"D{brk}:D{end}"
    for text, fill in ((FALLING_DUE, styles.AMBER_MARK), (PAST_DATE, styles.RED_MARK)):
        ws.conditional_formatting.add(states, styles.begins_with_rule(f"D{brk}", text, fill))


def _not_met(kind: str) -> str:
    """How many of the Checks' or Warnings' Met cells are not TRUE (FALSE, an error, a blank)."""
    return f"(ROWS(MetOf{kind})-COUNTIF(MetOf{kind},TRUE))"


def state_formula() -> str:
    """OK, Warning or Not OK (xlsrc.model.checks_summary.state_of)."""
    return (
        f'=IF({_not_met("Checks")}>0,"{summary.NOT_OK}",'
        f'IF({_not_met("Warnings")}>0,"{summary.WARNING}","{summary.OK}"))'
    )


def words_formula() -> str:
    """The counts and the first thing to act on (xlsrc.model.checks_summary.words)."""
    n, w, total = _not_met("Checks"), _not_met("Warnings"), "ROWS(MetOfChecks)"
    first = (
        f' {summary.FIRST}"&IF(COUNTIF(MetOf{{0}},FALSE)>0,'
        f'INDEX(ResultOf{{0}},MATCH(FALSE,MetOf{{0}},0)),"{summary.UNCOMPUTED}")'
    )
    return (
        f'=IF({n}=0,"All "&{total}&" checks met",{n}&" of "&{total}&" checks not met")'
        f'&"; "&IF({w}=0,"no warnings",{w}&" warning"&IF({w}=1,"","s"))&"."'
        f'&IF({n}>0,"{first.format("Checks")},IF({w}>0,"{first.format("Warnings")},""))'
    )


def _state(wb: Workbook, ws: Any) -> None:
    """The state a contract manager reads first: OK, Warning or Not OK from the Checks sheet,
    the counts and the first thing to act on (xlsrc.model.checks_summary is its twin)."""
    label = put(ws, 4, 1, "State of the workbook")
    label.font, label.alignment = styles.BOLD, styles.TOP
    state = formula(ws, 4, 2, state_formula())
    styles.calc_cell(state)
    state.font, state.alignment = styles.BOLD, styles.TOP
    define(wb, "WorkbookState", layout.GUIDE, "B4")
    said = formula(ws, 4, 3, words_formula())
    styles.calc_cell(said)
    said.alignment = styles.WRAP
    ws.merge_cells(start_row=4, start_column=3, end_row=4, end_column=4)
    define(wb, "WorkbookStateWords", layout.GUIDE, "C4")
    ws.row_dimensions[4].height = 30  # two lines: the first thing to act on may be long
    for text, fill in (
        (summary.OK, styles.GREEN_MARK),
        (summary.WARNING, styles.AMBER_MARK),
        (summary.NOT_OK, styles.RED_MARK),
    ):
        ws.conditional_formatting.add("B4", styles.begins_with_rule("B4", text, fill))


def _button_inputs(wb: Workbook, ws: Any, terms: Terms) -> None:
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
    _state(wb, ws)
    put(ws, 5, 1, "Spend against cap").font = styles.BOLD
    styles.calc_cell(formula(ws, 5, 2, '=TEXT(CapUsedPct,"0.0%")&" used — "&AlertBand'))

    _button_inputs(wb, ws, terms)
    _falling_due(wb, ws)

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
    label = put(ws, row, 1, "Sheet protection")
    label.font, label.alignment = styles.BOLD, styles.WRAP
    put(
        ws, row, 2, "Protection has no password: it guards against slips, it is not security."
    ).alignment = styles.WRAP
    styles.widths(ws, {"A": 26, "B": 30, "C": 62, "D": 34})
    for r in (DUE_MORE, *range(SHEETS_TOP + 1, SHEETS_TOP + 1 + len(SHEETS)), row):
        styles.fit_height(ws, r)  # calloff due, the sheet list, the protection note (they wrap)
    styles.protect(ws)
    styles.print_setup(
        ws,
        landscape=False,
        title_rows=None,
        marking=terms.contract.protective_marking,
        contract_id=terms.contract.id,
    )
