"""Every rule code the tracker validator can raise, with its severity and a one-line summary.

Codes are stable: people search for them and the README table is generated from `RULES`.
Add a rule here first; `issue()` takes the severity from this table so it is stated once.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsrc.issues import Issue, Severity


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str


def _rule(code: str, severity: Severity, summary: str) -> Rule:
    return Rule(code, severity, summary)


# Reading the cells (parse.py)
REQUIRED = _rule("REQUIRED", "error", "Date, Advisor, Area, Activity and Days must be filled in.")
DATE_INVALID = _rule(
    "DATE-INVALID", "error", "Date must be a real date (a date cell, dd/mm/yyyy or yyyy-mm-dd)."
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
# Money (cap.py)
CAP_EXCEEDED = _rule(
    "CAP-EXCEEDED",
    "error",
    "Cumulative cost, in date order, goes over the contract cap (this row and every later one).",
)
CAP_BAND = _rule(
    "CAP-BAND", "warning", "Cumulative cost reaches an alert band (e.g. 50/75/90% of the cap)."
)
# Invoiced months (locked.py)
MONTH_LOCKED = _rule("MONTH-LOCKED", "error", "Date is in a month that has already been invoiced.")
# Repeats (duplicates.py)
DUPLICATE = _rule(
    "DUPLICATE", "warning", "Same advisor, date, area and activity as an earlier row."
)
# What the text says (privacy.py)
NOTES_PERSONAL_DATA = _rule(
    "NOTES-PERSONAL-DATA",
    "error",
    "Notes contain an e-mail address or UK phone number (contact details are confidential).",
)
FORMULA_LIKE_TEXT = _rule(
    "FORMULA-LIKE-TEXT",
    "warning",
    "Text starts with =, +, - or @; it is kept as plain text, never run as a formula.",
)

RULES: tuple[Rule, ...] = (
    REQUIRED,
    DATE_INVALID,
    DATE_BEFORE_START,
    DATE_AFTER_BREAK,
    DATE_OUTSIDE_TERM,
    DATE_FUTURE,
    DATE_WEEKEND,
    DATE_BANK_HOLIDAY,
    ADVISOR_UNKNOWN,
    AREA_UNKNOWN,
    ACTIVITY_UNKNOWN,
    OUTCOME_UNKNOWN,
    OUTCOME_WRONG_AREA,
    OUTCOME_MISSING,
    DAYS_INVALID,
    DAYS_OVER_ONE_PER_DATE,
    CAP_EXCEEDED,
    CAP_BAND,
    MONTH_LOCKED,
    DUPLICATE,
    NOTES_PERSONAL_DATA,
    FORMULA_LIKE_TEXT,
)
BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}


def issue(rule: Rule, sheet: str, row: int, column: str, value: object, message: str) -> Issue:
    return Issue(sheet, row, column, value, rule.code, rule.severity, message)


def rules_markdown() -> str:
    """The rule table for the README."""
    lines = ["| Code | Severity | Rule |", "| --- | --- | --- |"]
    lines += [f"| `{r.code}` | {r.severity} | {r.summary} |" for r in RULES]
    return "\n".join(lines)
