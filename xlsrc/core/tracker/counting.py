"""The counting rule, stated once: which Tracker rows count towards spend.

A Tracker row **counts** (its days and cost are in every figure: Budget, `calloff totals`,
returns, invoice checks, MI, portfolio, the cap) when all of these hold:

1. Date is a date *cell* (a number to Excel, not text) on or after the first day and on or
   before the last day of the counting window (the contract term: start to end, extension
   included);
2. Days is a number cell equal to 0.5 or 1;
3. Advisor, Area and Activity are text cells equal, character for character (case, spaces
   and non-breaking spaces included), to one of the contract's advisor IDs, area short names
   and activities.

Outcomes and Notes never decide whether a row counts. A row with nothing typed in its input
columns is blank: it is not a row. **Every other row counts nowhere**, in no figure at all,
and `calloff validate` reports an error on it at the cell that stops it counting, with what
to do (xlsrc.core.validate). A row that counts may still have errors (a future date, a duplicate,
over the cap): it counts in every figure alike, and returns and invoice checks are refused
until it is put right.

The workbook's Month formula is this rule in Excel (xlsrc.edges.workbook.sheets.tracker.
counts_formula); the Cost formula prices only rows whose Month is a date, and the Budget sums
only those. Whether a row counts is kept apart from what it costs (xlsrc.model.money.line_cost), so
pricing can change without touching counting.

Python reads cells as python-calamine gives them: a date cell is a date or datetime, a number
an int or float, TRUE/FALSE a bool, text a str, a blank None.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from xlsrc.model.entry import ALLOWED_DAYS
from xlsrc.model.terms.models import Terms

EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # serial 0 of the 1900 date system (after 1 Mar 1900)
NAME_COLUMNS: tuple[str, ...] = ("Advisor", "Area", "Activity")
_DAYS_BY_NUMBER: dict[float, Decimal] = {float(d): d for d in ALLOWED_DAYS}


@dataclass(frozen=True)
class Window:
    """The dates a row may carry and count: first..last, both included (whole days)."""

    first: dt.date
    last: dt.date


def counting_window(terms: Terms) -> Window:
    """The contract term: its start to its end with any agreed extension."""
    return Window(terms.dates.start, terms.contract_end)


def serial(value: object) -> float | None:
    """The number Excel holds for a cell, when ISNUMBER is TRUE for it; else None.

    Dates are day numbers (30/12/1899 = 0), a time of day the fraction; TRUE/FALSE and text
    are not numbers.
    """
    if value is None or isinstance(value, bool | str):
        return None
    if isinstance(value, dt.datetime):
        return (value - EXCEL_EPOCH) / dt.timedelta(days=1)
    if isinstance(value, dt.date):
        return float((value - EXCEL_EPOCH.date()).days)
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, dt.timedelta):
        return value / dt.timedelta(days=1)
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    if isinstance(value, int | float | Decimal):
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float: no cell holds one
            return None
        return number if math.isfinite(number) else None
    return None


LAST_SERIAL = 2958465  # 31/12/9999, the last date Excel has


def day_of(number: float) -> dt.date | None:
    """The date of a serial number (its whole day); None outside Excel's dates."""
    if not 1 <= number < LAST_SERIAL + 1:
        return None
    return EXCEL_EPOCH.date() + dt.timedelta(days=math.floor(number))


class CountingRule:
    """The rule for one contract's names and one window. Each question is about one cell and
    is answered once per distinct value (a tracker repeats a few values many times)."""

    def __init__(self, terms: Terms, window: Window | None = None) -> None:
        self.window = window or counting_window(terms)
        self.names: dict[str, frozenset[str]] = {
            "Advisor": frozenset(a.id for a in terms.advisors),
            "Area": frozenset(a.short for a in terms.areas),
            "Activity": frozenset(terms.activities),
        }
        self._first = serial(self.window.first)
        self._last = serial(self.window.last)
        self._dates: dict[Hashable, dt.date | None] = {}

    def date(self, value: object) -> dt.date | None:
        """The date a Date cell counts on, or None when it cannot count."""
        key = (value.__class__, value)
        try:
            return self._dates[key]
        except KeyError:
            found = self._dates[key] = self._date(value)
            return found
        except TypeError:  # an unhashable cell
            return self._date(value)

    def _date(self, value: object) -> dt.date | None:
        number = serial(value)
        if number is None or not (self._first <= number <= self._last):  # type: ignore[operator]
            return None
        return day_of(number)

    @staticmethod
    def days(value: object) -> Decimal | None:
        """The days a Days cell counts, or None when it cannot count."""
        number = serial(value)
        return None if number is None else _DAYS_BY_NUMBER.get(number)

    def name(self, column: str, value: object) -> str | None:
        """The name an Advisor, Area or Activity cell counts under, or None."""
        return value if value.__class__ is str and value in self.names[column] else None

    def counts(self, values: Mapping[str, object]) -> bool:
        """Whether a row (input column -> cell) counts towards spend."""
        return (
            self.date(values.get("Date")) is not None
            and self.days(values.get("Days")) is not None
            and all(self.name(c, values.get(c)) is not None for c in NAME_COLUMNS)
        )


def loosely(text: str) -> str:
    """A name as a person means it: spaces (non-breaking ones too) trimmed and runs of them
    made one, case ignored. Two names equal this way but not exactly are a typing slip."""
    return " ".join(text.replace("\u00a0", " ").split()).casefold()
