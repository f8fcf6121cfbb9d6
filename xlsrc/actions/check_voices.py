"""Every check the workbook can fail has a voice on the command line: for each row of the
Checks sheet, the rule codes `calloff validate` reports when that check is FALSE, each issue
at the cell to fix. Most checks are the formulas' half of a rule validate already runs (an
unknown Area, a date outside the term); the rest are judged here (`check_issues`): the areas'
allocation against the cap, and each invoice on the Invoices sheet, as `calloff invoice-check`
judges it (what the sheet's Result column and the two invoice checks show).

tests/test_check_voices.py plants each check FALSE, reading the Checks rows from a built
workbook: a new check without a voice here fails it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xlsrc.actions.workbook_data import WorkbookData
from xlsrc.model import fmt, layout
from xlsrc.model.errors import UserDataError
from xlsrc.model.issues import Issue
from xlsrc.model.rules import (
    ACTIVITY_UNKNOWN,
    ADVISOR_UNKNOWN,
    ALLOCATION_OVER_CAP,
    AREA_OVER_ALLOCATION,
    AREA_UNKNOWN,
    CAP_EXCEEDED,
    CELL_UNREADABLE,
    CONTRACT_FACT_CHANGED,
    DATE_AFTER_BREAK,
    DATE_BEFORE_START,
    DATE_INVALID,
    DATE_OUTSIDE_TERM,
    DATE_TEXT,
    DAYS_INVALID,
    DAYS_TEXT,
    DECISION_BREAKS_RULE,
    DECISION_INVALID,
    FORMULA_LIKE_TEXT,
    GROSS_NOT_NET_PLUS_VAT,
    MONTH_INVOICED_TWICE,
    MONTH_OUTSIDE_TERM,
    NAME_NOT_EXACT,
    NET_DIFFERS,
    OVER_CAP,
    RATE_LINE_INVALID,
    REQUIRED,
    RULES,
    TRACKER_ERRORS,
    VAT_DIFFERS,
    Rule,
    issue,
)


def _codes(*rules: Rule) -> frozenset[str]:
    return frozenset(r.code for r in rules)


_ROW_ERRORS = frozenset(r.code for r in RULES if r.scope == "row" and r.severity == "error")
_CONTRACT_ROWS = _codes(DECISION_INVALID, DECISION_BREAKS_RULE, RATE_LINE_INVALID)
_INVOICE = frozenset(r.code for r in RULES if r.scope == "invoice") - {TRACKER_ERRORS.code}

# Checks sheet row (its defined name) -> the rule codes that speak when it is FALSE.
VOICES: dict[str, frozenset[str]] = {
    # A Cost or Month formula typed over, or a row the Budget cannot count (errors at it).
    "CheckTrackerEqualsBudget": _ROW_ERRORS,
    "CheckDaysEqualBudget": _ROW_ERRORS,
    "CheckEveryRowCounts": _ROW_ERRORS,
    "CheckInTerm": _codes(DATE_BEFORE_START, DATE_OUTSIDE_TERM, DATE_AFTER_BREAK),
    "CheckBreak": _codes(DATE_AFTER_BREAK, DATE_OUTSIDE_TERM),
    "CheckWithinCap": _codes(CAP_EXCEEDED),
    "CheckDaysValid": _codes(DAYS_INVALID, DAYS_TEXT, FORMULA_LIKE_TEXT),
    "CheckRowsComplete": _codes(REQUIRED, DATE_INVALID, DATE_TEXT),
    "CheckAreasKnown": _codes(AREA_UNKNOWN, NAME_NOT_EXACT),
    "CheckAdvisorsKnown": _codes(ADVISOR_UNKNOWN, NAME_NOT_EXACT),
    "CheckActivitiesKnown": _codes(ACTIVITY_UNKNOWN, NAME_NOT_EXACT),
    "CheckDecisions": _CONTRACT_ROWS,
    "CheckRates": _CONTRACT_ROWS | _codes(CONTRACT_FACT_CHANGED),
    "CheckContractRows": _CONTRACT_ROWS,
    "CheckInvoicesWithinCap": _codes(OVER_CAP, CELL_UNREADABLE),
    "CheckInvoicesPass": _INVOICE | _codes(CELL_UNREADABLE),
    "CheckAllocationFitsCap": _codes(ALLOCATION_OVER_CAP),
}
# The warnings validate voices the same way (the other warnings rows are the Guide's and the
# Budget's to show; validate has no issue for them).
WARNING_VOICES: dict[str, frozenset[str]] = {
    "WarnAreasWithinAllocation": _codes(AREA_OVER_ALLOCATION),
}

_COLUMN = {  # an invoice difference -> the Invoices column to fix
    NET_DIFFERS.code: "Net",
    VAT_DIFFERS.code: "VAT",
    GROSS_NOT_NET_PLUS_VAT.code: "Gross",
    MONTH_INVOICED_TWICE.code: "Month",
    OVER_CAP.code: "Net",
    MONTH_OUTSIDE_TERM.code: "Month",
}


def check_issues(data: WorkbookData, today: dt.date) -> list[Issue]:
    """The checks validate judges here: every invoice, and each area's days against its
    allocation (the allocation against the cap is judged with the terms,
    xlsrc.edges.fileio.terms_reader)."""
    return _invoices(data, today) + over_allocation(data, today)


def allocation_words(area: str, used: Decimal, allocated: Decimal) -> str:
    """ "Oxfordshire: 51 days recorded against an allocation of 50": the words of the Checks'
    WarnAreasWithinAllocation Result (xlsrc.edges.workbook.sheets.checks)."""
    return f"{area}: {_number(used)} days recorded against an allocation of {_number(allocated)}"


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def over_allocation(data: WorkbookData, today: dt.date) -> list[Issue]:
    """A warning at the Areas row of each area whose days recorded (rows that count, as the
    Budget's days by area) are more than its days allocated."""
    areas_row: dict[str, int] = {}
    if data.has(layout.AREAS_TABLE):
        headers, rows, first = data.book.table(layout.AREAS_TABLE)
        if "Short name" in headers:
            at = headers.index("Short name")
            areas_row = {str(r[at]): first + n for n, r in enumerate(rows) if r[at]}
    out = []
    for area in data.totals(today).areas:
        if area.days > area.days_allocated:
            words = allocation_words(area.area, area.days, area.days_allocated)
            out.append(
                issue(
                    AREA_OVER_ALLOCATION,
                    layout.CONTRACT,
                    areas_row.get(area.area, 0),
                    "Days allocated",
                    area.area,
                    f"{words}: agree more days for {area.area} (calloff decide) or move the"
                    " work to an area with days left",
                )
            )
    return out


def _invoices(data: WorkbookData, today: dt.date) -> list[Issue]:
    if not data.has(layout.INVOICES_TABLE) or not data.invoices:
        return []
    try:
        ledger = data.ledger(today)
    except UserDataError:  # cannot happen with the ledger's counting rule; said elsewhere
        return []
    by_code = {r.code: r for r in RULES}
    out = []
    for invoice in ledger.invoices:
        for diff in ledger.check(invoice).differences:
            if diff.code not in _COLUMN:
                continue
            rule: Rule = by_code[diff.code]
            column = _COLUMN[diff.code]
            message = f"Invoice for {fmt.month(invoice.month)}: {diff.message}"
            out.append(issue(rule, layout.INVOICES, invoice.row or 0, column, None, message))
    return out
