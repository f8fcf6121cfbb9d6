"""Reading one Tracker row: blank cells, types, and the typed values later rules check.

A cell is read leniently (a date cell, "12/10/2023" or "2023-10-12"; 1, 1.0 or "1") and a
cell that cannot be read becomes an issue here, so later rules only see clean values.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from xlsrc import fmt
from xlsrc.issues import Issue
from xlsrc.money import to_decimal
from xlsrc.rules import DATE_INVALID, DAYS_INVALID, REQUIRED, Rule, issue
from xlsrc.terms.models import Terms
from xlsrc.tracker.model import ALLOWED_DAYS, INPUT_COLUMNS, Entry, RawRow, split_outcomes

REQUIRED_COLUMNS: tuple[str, ...] = ("Date", "Advisor", "Area", "Activity", "Days")

# ASCII digits only: \d would accept other scripts' digits.
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


@dataclass(frozen=True)
class ParsedRow:
    """A non-blank Tracker row after reading. None means blank or unreadable (already reported)."""

    sheet: str
    row: int
    raw: dict[str, object]  # the input columns as typed; a missing column reads as None
    date: dt.date | None
    advisor: str | None
    area: str | None
    activity: str | None
    outcomes: tuple[str, ...]
    days: Decimal | None  # any finite number; days.py decides whether it is allowed
    notes: str

    def to_entry(self) -> Entry | None:
        """An Entry once every required cell reads and Days is 0.5 or 1, else None.

        Rows with other rule errors (unknown area, outside the term, ...) still become entries:
        the caller sees what was typed, and `ValidationResult.ok` says whether it may be used.
        """
        if self.date is None or self.advisor is None or self.area is None:
            return None
        if self.activity is None or self.days not in ALLOWED_DAYS:
            return None
        days = next(d for d in ALLOWED_DAYS if d == self.days)  # "1.0" is stored as 1
        return Entry(
            date=self.date,
            advisor=self.advisor,
            area=self.area,
            activity=self.activity,
            days=days,
            outcomes=self.outcomes,
            notes=self.notes,
            row=self.row,
        )


@dataclass(frozen=True)
class Placed:
    """An entry with the sheet it came from, for the rules that compare rows."""

    sheet: str
    entry: Entry


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_blank_row(raw: RawRow) -> bool:
    # Only the input columns count: the formula columns (Month, Cost) may hold values.
    return all(is_blank(raw.values.get(column)) for column in INPUT_COLUMNS)


def parse_row(terms: Terms, raw: RawRow) -> tuple[ParsedRow, list[Issue]]:
    values = {column: raw.values.get(column) for column in INPUT_COLUMNS}
    issues: list[Issue] = []

    def report(column: str, message: str, rule: Rule = REQUIRED) -> None:
        issues.append(issue(rule, raw.sheet, raw.row, column, values[column], message))

    for column in REQUIRED_COLUMNS:
        if is_blank(values[column]):
            report(column, f"{column} is required; the cell is blank. {_hint(terms, column)}")

    date: dt.date | None = None
    if not is_blank(values["Date"]):
        date, problem = read_date(values["Date"])
        if problem:
            report("Date", problem, DATE_INVALID)

    days: Decimal | None = None
    if not is_blank(values["Days"]):
        days = read_number(values["Days"])
        if days is None:
            shown = fmt.found(values["Days"])
            report(
                "Days", f"Days must be 0.5 or 1; found {shown}, which is not a number", DAYS_INVALID
            )

    outcomes_text = text(values["Outcomes"])
    parsed = ParsedRow(
        sheet=raw.sheet,
        row=raw.row,
        raw=values,
        date=date,
        advisor=text(values["Advisor"]),
        area=text(values["Area"]),
        activity=text(values["Activity"]),
        outcomes=split_outcomes(outcomes_text) if outcomes_text else (),
        days=days,
        notes=text(values["Notes"]) or "",
    )
    return parsed, issues


def read_date(value: object) -> tuple[dt.date | None, str]:
    """(date, "") or (None, a message saying what was wrong)."""
    example = "type it as dd/mm/yyyy, e.g. 12/10/2023, or format the cell as a date"
    if isinstance(value, dt.datetime):  # before date: datetime is a date subclass
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, str):
        typed = value.strip()
        if match := _DMY.fullmatch(typed):
            day, month, year = (int(g) for g in match.groups())
        elif match := _ISO.fullmatch(typed):
            year, month, day = (int(g) for g in match.groups())
        else:
            return None, f"Date must be a date; found {fmt.found(value)} ({example})"
        try:
            return dt.date(year, month, day), ""
        except ValueError:
            return None, (
                f"Date must be a real date; found {fmt.found(value)}, which does not exist"
                " (dates are day/month/year)"
            )
    if isinstance(value, bool):
        kind = ", a true/false value"
    elif isinstance(value, int | float | Decimal):
        kind = ", a number"
    else:
        kind = ""
    return None, f"Date must be a date; found {fmt.found(value)}{kind} ({example})"


def read_number(value: object) -> Decimal | None:
    """A finite Decimal from a number or numeric text; None for anything else."""
    if isinstance(value, bool):  # bool is an int subclass, but TRUE is not a day count
        return None
    if isinstance(value, int):
        number = Decimal(value)  # not via str(): huge ints exceed Python's str() digit limit
    elif isinstance(value, float | Decimal):
        number = to_decimal(value)
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = Decimal(value.strip())
    else:
        return None
    return number if number.is_finite() else None


def text(value: object) -> str | None:
    """A text cell, stripped; a number or date typed where text belongs is shown as typed."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # the reader gives 1.0 for a cell showing 1
    return fmt.found(value)


def _hint(terms: Terms, column: str) -> str:
    if column == "Date":
        return "Enter the date the work was done (dd/mm/yyyy)"
    if column == "Advisor":
        return f"Enter one of {fmt.listing([a.id for a in terms.advisors])}"
    if column == "Area":
        return f"Enter one of {fmt.listing([a.short for a in terms.areas])}"
    if column == "Activity":
        return f"Enter one of {fmt.listing(terms.activities)}"
    return "Enter 0.5 or 1"
