"""Every rule code calloff reports, with its severity and a one-line summary: the one list.

Codes are stable: people search for them, programs read them from `--json`, and the rules
table in docs/rules.md is generated from `RULES` (tests/test_docs.py fails when they differ;
`python tests/tools/make_docs.py` regenerates it). Add a rule here first; `issue()` takes the
severity from this table so it is stated once.

Each rule has a scope, who checks it:
- "row": one Tracker row (or rows together), `xlsrc.core.validate`, run by validate, fill, import;
- "workbook": the workbook as a whole against its Audit records, run by validate;
- "import": only when advisors' tracker files are imported;
- "invoice": an invoice against the Tracker, run by invoice-check (a difference fails it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from xlsrc.model.issues import Issue, Severity

Scope = Literal["row", "contract", "table", "workbook", "import", "invoice"]
SCOPES: dict[Scope, str] = {
    "row": "Tracker rows (`calloff validate`, and `fill` / `import` before they add rows)",
    "contract": "The Contract sheet's Decisions and Rates tables, typed into directly"
    " (`calloff validate` lists each broken row; other commands refuse the workbook until"
    " it is put right)",
    "table": "The other tables people type into (Invoices, EHCP, Plans, Evidence, Report,"
    " Risks, VCU, AnnexA ratings), cell by cell (`calloff validate`)",
    "workbook": "The workbook against its Audit records (`calloff validate`)",
    "import": "Advisors' tracker files (`calloff import`)",
    "invoice": "Invoices (`calloff invoice-check`; each difference fails the invoice)",
}


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str
    scope: Scope = "row"


def _rule(code: str, severity: Severity, summary: str, scope: Scope = "row") -> Rule:
    return Rule(code, severity, summary, scope)


# Reading the cells (xlsrc/core/validate/cells.py; what counts: xlsrc/core/tracker/counting.py)
REQUIRED = _rule("REQUIRED", "error", "Date, Advisor, Area, Activity and Days must be filled in.")
DATE_INVALID = _rule(
    "DATE-INVALID", "error", "Date must be a real date (a date cell, dd/mm/yyyy or yyyy-mm-dd)."
)
DATE_TEXT = _rule(
    "DATE-TEXT",
    "error",
    "Date is text that reads as a date (07/11/2023 typed as text): the workbook cannot count"
    " the row until it is retyped as a date.",
)
# Dates against the contract and the calendar (dates.py)
DATE_BEFORE_START = _rule("DATE-BEFORE-START", "error", "Date is before the contract start date.")
DATE_AFTER_BREAK = _rule(
    "DATE-AFTER-BREAK",
    "error",
    "Date is after the break date and the contract was terminated at the break (a decision).",
)
DATE_OUTSIDE_TERM = _rule(
    "DATE-OUTSIDE-TERM",
    "error",
    "Date is after the contract end in force (after the decisions: extension, early end).",
)
DATE_FUTURE = _rule("DATE-FUTURE", "error", "Date is later than today: record work once done.")
DATE_WEEKEND = _rule("DATE-WEEKEND", "warning", "Date falls on a Saturday or Sunday.")
DATE_BANK_HOLIDAY = _rule(
    "DATE-BANK-HOLIDAY", "warning", "Date is an English bank holiday (named in the message)."
)
# Names the contract defines (references.py)
ADVISOR_UNKNOWN = _rule(
    "ADVISOR-UNKNOWN", "error", "Advisor is not one of the contract's advisor IDs."
)
AREA_UNKNOWN = _rule("AREA-UNKNOWN", "error", "Area is not one of the contract's area short names.")
ACTIVITY_UNKNOWN = _rule(
    "ACTIVITY-UNKNOWN", "error", "Activity is not one of the contract's activities."
)
NAME_NOT_EXACT = _rule(
    "NAME-NOT-EXACT",
    "error",
    "Advisor, Area or Activity differs from a contract name only in case or spaces (leading,"
    " trailing, doubled or non-breaking): the workbook counts exact names only.",
)
OUTCOME_UNKNOWN = _rule("OUTCOME-UNKNOWN", "error", "An Outcomes ID is not an Annex A outcome.")
OUTCOME_WRONG_AREA = _rule(
    "OUTCOME-WRONG-AREA", "error", "An Outcomes ID belongs to a different area than the row's."
)
OUTCOME_MISSING = _rule(
    "OUTCOME-MISSING",
    "warning",
    "Outcomes is blank: every day except Travel should serve an Annex A outcome.",
)
# Days (days.py)
DAYS_INVALID = _rule("DAYS-INVALID", "error", "Days must be 0.5 or 1.")
DAYS_OVER_ONE_PER_DATE = _rule(
    "DAYS-OVER-ONE-PER-DATE",
    "error",
    "One advisor's days on one date add up to more than 1 (reported from the row that tips it).",
)
DAYS_TEXT = _rule(
    "DAYS-TEXT",
    "error",
    'Days is text ("1" typed as text): the workbook cannot count the row until it is retyped'
    " as a number.",
)
# Money (cap.py)
CAP_EXCEEDED = _rule(
    "CAP-EXCEEDED",
    "error",
    "Cumulative cost, in date order, goes over the contract cap (this row and every later one).",
)
CAP_BAND = _rule(
    "CAP-BAND", "warning", "Cumulative cost reaches an alert band (e.g. 50/75/90% of the cap)."
)
# Closed months (locked_months.py)
MONTH_LOCKED = _rule(
    "MONTH-LOCKED",
    "error",
    "Date is in a month already invoiced or returned, or before one (it would change the figures"
    " reported to date): record late work in an open month.",
)
# Repeats (duplicates.py)
DUPLICATE = _rule(
    "DUPLICATE", "warning", "Same advisor, date, area and activity as an earlier row."
)
# What the text says (privacy.py)
NOTES_PERSONAL_DATA = _rule(
    "NOTES-PERSONAL-DATA",
    "error",
    "Notes contain an e-mail address, a UK phone number, a person's name after a title (Mrs,"
    " Dr, …) or a DSG figure (confidential under the order form).",
)
FORMULA_LIKE_TEXT = _rule(
    "FORMULA-LIKE-TEXT",
    "warning",
    "Text starts with =, +, - or @; it is kept as plain text, never run as a formula.",
)
# The Tracker table itself (fileio/reader.py)
FORMULA_OVERWRITTEN = _rule(
    "FORMULA-OVERWRITTEN",
    "error",
    "A Month or Cost cell holds a typed value instead of the workbook's formula.",
)
ROW_BELOW_TABLE = _rule(
    "ROW-BELOW-TABLE",
    "error",
    "A row is typed below the Tracker table, where no formula counts it; calloff validate,"
    " fill and import grow the table to take it in.",
)

# The Contract sheet's Decisions and Rates tables (fileio/terms_reader.py, terms/effective.py)
DECISION_INVALID = _rule(
    "DECISION-INVALID",
    "error",
    "A Decisions row is incomplete or a cell holds what its column cannot (a decision from the"
    " list, dates, whole months, amounts): the row is left out of the term in force until fixed.",
    "contract",
)
DECISION_BREAKS_RULE = _rule(
    "DECISION-BREAKS-RULE",
    "error",
    "A Decisions row breaks a rule of the contract (the extension maximum, notice a month"
    " before, one break decision, a role not a name, ...): it is left out of the term in force"
    " until fixed.",
    "contract",
)
DECISION_OVER_CAP = _rule(
    "DECISION-OVER-CAP",
    "error",
    "A Decisions row (an extension, days per month, a day rate, a lower cap) takes the Budget's"
    " forecast to the end in force over the cap in force, as it stood the day it was decided,"
    " and no cap variation covers it: record a cap variation or undo the decision.",
    "contract",
)
ALLOCATION_OVER_CAP = _rule(
    "ALLOCATION-OVER-CAP",
    "warning",
    "The areas' days allocated, at the day rate now, no longer fit the cap in force"
    " (the Checks' CheckAllocationFitsCap): change an allocation or vary the cap.",
    "contract",
)
AREA_OVER_ALLOCATION = _rule(
    "AREA-OVER-ALLOCATION",
    "warning",
    "An area's days recorded (rows that count) are more than its days allocated (the Checks'"
    " WarnAreasWithinAllocation): agree more days for the area (calloff decide) or move the"
    " work to an area with days left.",
    "contract",
)
RATE_LINE_INVALID = _rule(
    "RATE-LINE-INVALID",
    "error",
    "A Rates line has no From or no day rate, a rate not in whole pence, or a From not after"
    " the line above: the line is left out of the rate card until fixed.",
    "contract",
)

# The workbook against its Audit records (fileio/tamper.py, returns/month_fingerprint.py)
TERM_CHANGED = _rule(
    "TERM-CHANGED",
    "warning",
    "A named term on the Contract sheet differs from its value recorded at build"
    " (e.g. an agreed extension); the term and both values are named.",
    "workbook",
)
CONTRACT_FACT_CHANGED = _rule(
    "CONTRACT-FACT-CHANGED",
    "error",
    "A contract fact (the dates, the cap, the VAT rate, the day rate, the Rates table's first"
    " line) was typed over: facts change only through a decision (calloff decide); the cell,"
    " both values and any issued month whose figures it alters are named.",
    "workbook",
)
TERMS_TABLES_CHANGED = _rule(
    "TERMS-TABLES-CHANGED",
    "warning",
    "The Contract sheet's tables (areas, advisors, activities, measures, outcomes) differ"
    " from the terms the workbook was built with.",
    "workbook",
)
MONTH_LOCKED_CHANGED = _rule(
    "MONTH-LOCKED-CHANGED",
    "error",
    "A returned month's rows no longer match the fingerprint recorded when its return was issued"
    " (or Days was retyped as text, or Cost overwritten).",
    "workbook",
)
INTERIM_CHANGED = _rule(
    "INTERIM-CHANGED",
    "warning",
    "Rows an issued interim return reported (its month up to its date) have changed since;"
    " the month's own return will state them as they are now.",
    "workbook",
)
RETURN_AUDIT_CHANGED = _rule(
    "RETURN-AUDIT-CHANGED",
    "error",
    "An issued return's Audit row was edited: it no longer matches its seal or names no month.",
    "workbook",
)
AUDIT_CHAIN_BROKEN = _rule(
    "AUDIT-CHAIN-BROKEN",
    "error",
    "An Audit row no longer matches the digest chain: it was edited, or the row before it was"
    " deleted or moved. Restore the sheet from a backup; a row cannot be re-made.",
    "workbook",
)
RETURN_AUDIT_MISSING = _rule(
    "RETURN-AUDIT-MISSING",
    "error",
    "A Return sheet has no Audit row: the row that locks its month was deleted or cleared.",
    "workbook",
)
RETURN_DELETED = _rule(
    "RETURN-DELETED",
    "error",
    "An issued return that a later return's sealed record names is no longer in the workbook:"
    " its sheet and Audit row were deleted (or replaced by another); the month is named.",
    "workbook",
)
RETURN_SHEET_CHANGED = _rule(
    "RETURN-SHEET-CHANGED",
    "error",
    "An issued return's sheet was deleted, or edited since it was issued (its seal or figures).",
    "workbook",
)
# Importing advisors' files (actions/import_trackers.py)
ADVISOR_NOT_OWNER = _rule(
    "ADVISOR-NOT-OWNER",
    "error",
    "A row in an advisor's tracker file is for another advisor.",
    "import",
)
CONTRACT_MISMATCH = _rule(
    "CONTRACT-MISMATCH",
    "error",
    "The tracker file is for another contract; nothing from it is imported.",
    "import",
)
OWNER_UNKNOWN = _rule(
    "OWNER-UNKNOWN",
    "error",
    "The tracker file does not say whose it is (its TrackerAdvisor name is missing or blank);"
    " nothing from it is imported.",
    "import",
)
CONTRACT_UNKNOWN = _rule(
    "CONTRACT-UNKNOWN",
    "error",
    "The tracker file does not say which contract it is for (its ContractId name is missing"
    " or blank); nothing from it is imported.",
    "import",
)
DUPLICATE_IN_FILE = _rule(
    "DUPLICATE-IN-FILE",
    "error",
    "A row of a tracker file repeats another row of the same file exactly.",
    "import",
)
# An invoice against the Tracker (invoices/check.py)
NET_DIFFERS = _rule(
    "NET-DIFFERS",
    "error",
    "Net differs from the Tracker's net for the month (its rows that count: days x rate).",
    "invoice",
)
VAT_DIFFERS = _rule(
    "VAT-DIFFERS",
    "error",
    "VAT differs from ROUND(invoice net x VAT rate, 2), halves up: VAT is charged per invoice.",
    "invoice",
)
GROSS_NOT_NET_PLUS_VAT = _rule(
    "GROSS-NOT-NET-PLUS-VAT", "error", "Gross is not net + VAT.", "invoice"
)
MONTH_INVOICED_TWICE = _rule(
    "MONTH-INVOICED-TWICE",
    "error",
    "The Invoices sheet already holds another invoice for the month.",
    "invoice",
)
OVER_CAP = _rule(
    "OVER-CAP",
    "error",
    "Net invoiced for this month and every earlier one, this invoice included, exceeds the cap.",
    "invoice",
)
MONTH_OUTSIDE_TERM = _rule(
    "MONTH-OUTSIDE-TERM",
    "error",
    "The month is before the start or after the contract end (or a terminated break).",
    "invoice",
)
TRACKER_ERRORS = _rule(
    "TRACKER-ERRORS",
    "error",
    "A Tracker row dated in or before the month (or with no readable date) has an error: no"
    " figure to date is final until it is fixed.",
    "invoice",
)
# The other typed tables (xlsrc.core.validate.typed_tables.py)
CELL_UNREADABLE = _rule(
    "CELL-UNREADABLE",
    "error",
    "A cell holds what its column's formulas cannot read as the column needs (text for a number"
    " or a date, a rating not on the list, an error value): it counts nowhere until retyped.",
    "table",
)

FORMULA_UNCOMPUTED = _rule(
    "FORMULA-UNCOMPUTED",
    "warning",
    "A formula calloff cannot compute (a function its formula engine does not have, or a"
    " formula it cannot read) is saved without a value: open the file in Excel to recalculate"
    " it, or replace the formula with one using the functions calloff computes.",
    "workbook",
)

RETURN_CONTRADICTS = _rule(
    "RETURN-CONTRADICTS",
    "warning",
    "A month's summary judgement (Report), Annex A roll-up, recommendation to VCU and open"
    " risks flagged for VCU disagree for an area: the return is not issued until it is resolved"
    " or acknowledged in the Report sheet's 'Contradiction acknowledged' column.",
    "workbook",
)

MONTH_NOT_INVOICED = _rule(
    "MONTH-NOT-INVOICED",
    "warning",
    "A month before this one has delivery on the Tracker but no invoice in force on the"
    " register (Invoices sheet): record it (`calloff invoice record`). Checked once the"
    " register holds an invoice.",
    "workbook",
)

RULES: tuple[Rule, ...] = (
    REQUIRED,
    DATE_INVALID,
    DATE_TEXT,
    DATE_BEFORE_START,
    DATE_AFTER_BREAK,
    DATE_OUTSIDE_TERM,
    DATE_FUTURE,
    DATE_WEEKEND,
    DATE_BANK_HOLIDAY,
    ADVISOR_UNKNOWN,
    AREA_UNKNOWN,
    ACTIVITY_UNKNOWN,
    NAME_NOT_EXACT,
    OUTCOME_UNKNOWN,
    OUTCOME_WRONG_AREA,
    OUTCOME_MISSING,
    DAYS_INVALID,
    DAYS_TEXT,
    DAYS_OVER_ONE_PER_DATE,
    CAP_EXCEEDED,
    CAP_BAND,
    MONTH_LOCKED,
    DUPLICATE,
    NOTES_PERSONAL_DATA,
    FORMULA_LIKE_TEXT,
    FORMULA_OVERWRITTEN,
    ROW_BELOW_TABLE,
    DECISION_INVALID,
    DECISION_BREAKS_RULE,
    DECISION_OVER_CAP,
    ALLOCATION_OVER_CAP,
    AREA_OVER_ALLOCATION,
    RATE_LINE_INVALID,
    CELL_UNREADABLE,
    TERM_CHANGED,
    CONTRACT_FACT_CHANGED,
    TERMS_TABLES_CHANGED,
    MONTH_LOCKED_CHANGED,
    INTERIM_CHANGED,
    RETURN_AUDIT_CHANGED,
    AUDIT_CHAIN_BROKEN,
    RETURN_AUDIT_MISSING,
    RETURN_DELETED,
    RETURN_SHEET_CHANGED,
    ADVISOR_NOT_OWNER,
    CONTRACT_MISMATCH,
    OWNER_UNKNOWN,
    CONTRACT_UNKNOWN,
    DUPLICATE_IN_FILE,
    NET_DIFFERS,
    VAT_DIFFERS,
    GROSS_NOT_NET_PLUS_VAT,
    MONTH_INVOICED_TWICE,
    OVER_CAP,
    MONTH_OUTSIDE_TERM,
    TRACKER_ERRORS,
    RETURN_CONTRADICTS,
    MONTH_NOT_INVOICED,
    FORMULA_UNCOMPUTED,
)
BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
ROW_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.scope == "row")


def issue(rule: Rule, sheet: str, row: int, column: str, value: object, message: str) -> Issue:
    return Issue(sheet, row, column, value, rule.code, rule.severity, message)


def rules_markdown() -> str:
    """The rules table of docs/rules.md: one table per scope, in the order of `RULES`."""
    parts = []
    for scope, title in SCOPES.items():
        lines = [f"**{title}**", "", "| Code | Severity | Rule |", "| --- | --- | --- |"]
        lines += [f"| `{r.code}` | {r.severity} | {r.summary} |" for r in RULES if r.scope == scope]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
