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

from xlsrc.actions.workbook_data import WorkbookData
from xlsrc.model import fmt, layout
from xlsrc.model.errors import UserDataError
from xlsrc.model.issues import Issue
from xlsrc.model.rules import ALLOCATION_OVER_CAP as ALLOCATION
from xlsrc.model.rules import RULES, TRACKER_ERRORS, Rule, issue

_ROW_ERRORS = frozenset(r.code for r in RULES if r.scope == "row" and r.severity == "error")
_CONTRACT_ROWS = frozenset({"DECISION-INVALID", "DECISION-BREAKS-RULE", "RATE-LINE-INVALID"})
_INVOICE = frozenset(r.code for r in RULES if r.scope == "invoice") - {TRACKER_ERRORS.code}

# Checks sheet row (its defined name) -> the rule codes that speak when it is FALSE.
VOICES: dict[str, frozenset[str]] = {
    # A Cost or Month formula typed over, or a row the Budget cannot count (errors at it).
    "CheckTrackerEqualsBudget": _ROW_ERRORS,
    "CheckDaysEqualBudget": _ROW_ERRORS,
    "CheckEveryRowCounts": _ROW_ERRORS,
    "CheckInTerm": frozenset({"DATE-BEFORE-START", "DATE-OUTSIDE-TERM", "DATE-AFTER-BREAK"}),
    "CheckBreak": frozenset({"DATE-AFTER-BREAK", "DATE-OUTSIDE-TERM"}),
    "CheckWithinCap": frozenset({"CAP-EXCEEDED"}),
    "CheckDaysValid": frozenset({"DAYS-INVALID", "DAYS-TEXT", "FORMULA-LIKE-TEXT"}),
    "CheckRowsComplete": frozenset({"REQUIRED", "DATE-INVALID", "DATE-TEXT"}),
    "CheckAreasKnown": frozenset({"AREA-UNKNOWN", "NAME-NOT-EXACT"}),
    "CheckAdvisorsKnown": frozenset({"ADVISOR-UNKNOWN", "NAME-NOT-EXACT"}),
    "CheckActivitiesKnown": frozenset({"ACTIVITY-UNKNOWN", "NAME-NOT-EXACT"}),
    "CheckDecisions": _CONTRACT_ROWS,
    "CheckRates": _CONTRACT_ROWS | {"CONTRACT-FACT-CHANGED"},
    "CheckContractRows": _CONTRACT_ROWS,
    "CheckInvoicesWithinCap": frozenset({"OVER-CAP", "CELL-UNREADABLE"}),
    "CheckInvoicesPass": _INVOICE | {"CELL-UNREADABLE"},
    "CheckAllocationFitsCap": frozenset({ALLOCATION.code}),
}

_COLUMN = {  # an invoice difference -> the Invoices column to fix
    "NET-DIFFERS": "Net",
    "VAT-DIFFERS": "VAT",
    "GROSS-NOT-NET-PLUS-VAT": "Gross",
    "MONTH-INVOICED-TWICE": "Month",
    "OVER-CAP": "Net",
    "MONTH-OUTSIDE-TERM": "Month",
}


def check_issues(data: WorkbookData, today: dt.date) -> list[Issue]:
    """The checks validate judges here: the allocation against the cap, every invoice."""
    return [*_allocation(data), *_invoices(data, today)]


def _allocation(data: WorkbookData) -> list[Issue]:
    terms = data.terms
    days = sum((a.days_allocated for a in terms.areas), start=terms.money.cap * 0)
    rate = terms.effective.rate_now
    if days * rate <= terms.money.cap:
        return []
    row = data.book.table(layout.AREAS_TABLE)[2] if data.has(layout.AREAS_TABLE) else 0
    message = (
        f"The areas are allocated {fmt.days(days)} days; at the day rate now"
        f" ({fmt.money(rate)}) they cost {fmt.money(days * rate)}, more than the"
        f" {fmt.money(terms.money.cap)} cap. Reduce an area's Days allocated (the Areas"
        " table, a decision: calloff decide allocation) so they fit"
    )
    return [issue(ALLOCATION, layout.CONTRACT, row, "Days allocated", days, message)]


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
