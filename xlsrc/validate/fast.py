"""Rows with nothing to report, recognised in bulk, so a 100k-row tracker validates in about
the time it takes to read.

A row is *clean* when each input cell is of the plain kind a spreadsheet gives (a date cell,
text, a number of days, blank Outcomes or Notes) and passes every per-row rule. A tracker
repeats a few advisors, areas, activities and dates thousands of times, so each distinct cell
value is judged once, with the rules' own functions and sets. Clean rows become Entries here;
every other row (blank, odd or wrong) goes through parse.py and the per-row rules one by one.
Those stay the reference: on a clean row they report nothing and build an equal Entry. Being
conservative is always safe: a row judged unclean is simply checked the slow way.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import Any

from xlsrc.terms.models import Terms
from xlsrc.tracker.model import ALLOWED_DAYS, Entry, RawRow, split_outcomes
from xlsrc.validate.dates import DateRules
from xlsrc.validate.parse import is_blank, read_number
from xlsrc.validate.privacy import EMAIL, FORMULA_START, UK_PHONE, may_hold_contact_details
from xlsrc.validate.references import NO_OUTCOME_ACTIVITIES


@contextmanager
def gc_paused() -> Iterator[None]:
    """Build many small objects without the cyclic collector rescanning them all again and
    again (it doubles the time at 100k rows); none of them form cycles, so nothing leaks."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Judged(dict[Hashable, object]):
    """value -> its verdict (None: not clean), worked out the first time a value is seen."""

    def __init__(self, judge: Callable[[object], object]) -> None:
        super().__init__()
        self.judge = judge
        self.odd = False  # an unhashable cell was seen

    @property
    def all_clean(self) -> bool:
        return not self.odd and None not in self.values()

    def __missing__(self, key: Hashable) -> object:
        verdict = self[key] = self.judge(key)
        return verdict

    def map(self, values: Sequence[object]) -> list[object]:
        try:
            return list(map(self.__getitem__, values))  # dict lookups, looped in C
        except TypeError:  # an unhashable cell (a signalling NaN): judge each cell alone
            return [self._one(v) for v in values]

    def _one(self, value: object) -> object:
        try:
            return self[value]
        except TypeError:
            self.odd = True
            return None


@dataclass(frozen=True)
class Clean:
    entries: list[Entry | None]  # for each row, its Entry when clean, else None
    columns: dict[str, list[Any]] | None  # the entries' fields as lists, when all are clean


def clean_entries(terms: Terms, rows: list[RawRow], today: dt.date) -> Clean:
    """For each row, its Entry when the row is clean, else None (check it the slow way)."""
    column = dict(zip(_COLUMNS, _columns(rows), strict=True))

    def named(known: set[str]) -> Callable[[object], str | None]:
        # Equal non-text keys (1, 1.0, True) share a verdict, harmlessly: it is None for all.
        return lambda v: text if (text := _text(v)) in known else None

    date_rules = DateRules(terms, today)
    # Only a real date cell: text dates and datetimes take the slow path (they are rare).
    dates = _Judged(lambda v: v if v.__class__ is dt.date and not date_rules.problems(v) else None)  # type: ignore[arg-type]
    advisors = _Judged(named({a.id for a in terms.advisors}))
    areas = _Judged(named(set(terms.area_by_short())))
    activities = _Judged(named(set(terms.activities)))
    days = _Judged(_days)
    notes = _Judged(_notes)
    outcomes = _Judged(lambda key: _outcomes(terms, *key))  # type: ignore[misc]

    area_of = areas.map(column["Area"])
    activity_of = activities.map(column["Activity"])
    outcome_keys = list(zip(area_of, activity_of, column["Outcomes"], strict=True))
    # Days keyed with their type: True == 1, but TRUE is not a day count.
    days_keys = list(zip(map(type, column["Days"]), column["Days"], strict=True))

    judged = [  # in Entry's field order
        (dates, dates.map(column["Date"])),
        (advisors, advisors.map(column["Advisor"])),
        (areas, area_of),
        (activities, activity_of),
        (days, days.map(days_keys)),
        (outcomes, outcomes.map(outcome_keys)),
        (notes, notes.map(column["Notes"])),
    ]
    # Build every row's Entry in one C-driven pass, then drop the rows with a cell not clean
    # (looking only in the columns where some value was not).
    numbers = list(map(_ROW, rows))
    out: list[Entry | None] = list(map(Entry, *(cells for _, cells in judged), numbers))
    all_clean = True
    for verdicts, cells in judged:
        if not verdicts.all_clean:
            all_clean = False
            for i in [i for i, value in enumerate(cells) if value is None]:
                out[i] = None
    if not all_clean:
        return Clean(out, None)
    dates_, advisors_, areas_, activities_, days_, _, _ = (cells for _, cells in judged)
    columns = {"dates": dates_, "advisors": advisors_, "areas": areas_}
    return Clean(out, columns | {"activities": activities_, "days": days_, "rows": numbers})


_ROW = attrgetter("row")
_COLUMNS = ("Date", "Advisor", "Area", "Activity", "Outcomes", "Days", "Notes")


def _columns(rows: list[RawRow]) -> list[list[object]]:
    """The input columns, each a list of cells (a missing column reads as None)."""
    cells = list(map(attrgetter("values"), rows))
    return [list(map(dict.get, cells, repeat(name))) for name in _COLUMNS]


def _text(value: object) -> str | None:
    """Typed text, stripped, when it is plain text that no rule flags as formula-like."""
    if value.__class__ is not str or value.startswith(FORMULA_START):  # type: ignore[union-attr]
        return None
    return value.strip() or None  # type: ignore[union-attr]


def _days(key: tuple[type, object]) -> object:
    kind, value = key
    if kind is not int and kind is not float:
        return None
    number = read_number(value)
    return next((d for d in ALLOWED_DAYS if d == number), None)


def _notes(value: object) -> str | None:
    if value is None:
        return ""
    if value.__class__ is not str or value.startswith(FORMULA_START):  # type: ignore[union-attr]
        return None
    if may_hold_contact_details(value) and (EMAIL.search(value) or UK_PHONE.search(value)):  # type: ignore[arg-type]
        return None
    return value.strip()  # type: ignore[union-attr]


def _outcomes(
    terms: Terms, area: str | None, activity: str | None, value: object
) -> tuple[str, ...] | None:
    """The row's outcomes when each is an Annex A outcome of its area (blank only for Travel)."""
    if area is None or activity is None:
        return None
    if is_blank(value):
        return () if activity in NO_OUTCOME_ACTIVITIES else None
    text = _text(value)
    if text is None:
        return None
    served = split_outcomes(text)
    code = terms.area_by_short()[area].code
    allowed = {o.id for o in terms.outcomes_for(code)}
    return served if served and all(o in allowed for o in served) else None
