"""The entries in exact integers: half days and pence, one list per field.

Each entry is priced once: ROUND(days x rate, 2) half-up, in integers (half_days x rate_pence
/ 2, halves up). Every total is then a plain integer sum (`sums_by`), exact and quick at any
tracker size, with no pandas: the Totals button runs where pandas cannot (xlwings Lite).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import TypeVar

from xlsrc.model.dates import month_index
from xlsrc.model.entry import Entry

Rates = Decimal | Callable[[dt.date], Decimal]
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Priced:
    """Entry i of the tracker is index i of every list."""

    day: list[int]  # the date's ordinal: compared as a number
    month: list[int]  # xlsrc.model.dates.month_index of the date
    advisor: list[str]
    area: list[str]
    activity: list[str]
    outcomes: list[tuple[str, ...]]
    half_days: list[int]
    cost_pence: list[int]

    def __len__(self) -> int:
        return len(self.day)


def price_entries(entries: list[Entry], rates: Rates) -> Priced:
    """`rates` is a day rate for all rows, or a function giving the rate in force on a date."""
    rate_on = rates if callable(rates) else (lambda _day, rate=rates: rate)
    # Fields read at C speed (map, attrgetter); a tracker repeats a few day counts and dates
    # many times, so each distinct one is converted once.
    dates = list(map(attrgetter("date"), entries))
    days = list(map(attrgetter("days"), entries))
    half_of = {d: int(d * 2) for d in set(days)}
    distinct = set(dates)
    rate_pence = {d: int(rate_on(d) * 100) for d in distinct}
    month_of = {d: month_index(d) for d in distinct}
    ordinal_of = {d: d.toordinal() for d in distinct}
    half_days = list(map(half_of.__getitem__, days))
    return Priced(
        day=list(map(ordinal_of.__getitem__, dates)),
        month=list(map(month_of.__getitem__, dates)),
        advisor=list(map(attrgetter("advisor"), entries)),
        area=list(map(attrgetter("area"), entries)),
        activity=list(map(attrgetter("activity"), entries)),
        outcomes=list(map(attrgetter("outcomes"), entries)),
        half_days=half_days,
        cost_pence=list(map(_cost, half_days, map(rate_pence.__getitem__, dates))),
    )


def _cost(half_days: int, rate_pence: int) -> int:
    return (half_days * rate_pence + 1) // 2


def sums_by(keys: Iterable[K], priced: Priced) -> dict[K, tuple[int, int]]:
    """(half days, pence) summed per key; `keys` gives entry i's key at position i."""
    half: dict[K, int] = {}
    pence: dict[K, int] = {}
    for key, h, p in zip(keys, priced.half_days, priced.cost_pence, strict=True):
        half[key] = half.get(key, 0) + h
        pence[key] = pence.get(key, 0) + p
    return {key: (h, pence[key]) for key, h in half.items()}
