"""The entries the rows became, as columns: what the rules that compare rows work on.

Those rules group, count and sort 100k entries; reading each field once into a list (at C
speed) and working on the lists is several times quicker than passing objects around. An
entry is turned back into a `Placed` (entry + sheet) only when a message is written about it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from operator import attrgetter
from typing import Any

import numpy as np

from xlsrc.tracker.model import Entry
from xlsrc.validate.parse import Placed


class EntryColumns:
    def __init__(
        self, sheets: list[str], entries: list[Entry], columns: dict[str, list[Any]] | None = None
    ) -> None:
        """`columns`: fields already read (by run.py), by property name; the rest are read
        from the entries when first asked for."""
        self.sheets = sheets
        self.entries = entries
        self.__dict__.update(columns or {})  # where cached_property keeps its values

    def __len__(self) -> int:
        return len(self.entries)

    def placed(self, i: int) -> Placed:
        return Placed(self.sheets[i], self.entries[i])

    @cached_property
    def advisors(self) -> list[str]:
        return list(map(attrgetter("advisor"), self.entries))

    @cached_property
    def dates(self) -> list[dt.date]:
        return list(map(attrgetter("date"), self.entries))

    @cached_property
    def areas(self) -> list[str]:
        return list(map(attrgetter("area"), self.entries))

    @cached_property
    def activities(self) -> list[str]:
        return list(map(attrgetter("activity"), self.entries))

    @cached_property
    def days(self) -> list[Decimal]:
        return list(map(attrgetter("days"), self.entries))

    @cached_property
    def rows(self) -> list[int]:
        return list(map(attrgetter("row"), self.entries))

    @cached_property
    def ordinals(self) -> np.ndarray:
        """Each date as a day number (date.toordinal), for sorting and grouping in numpy."""
        ordinal = {d: d.toordinal() for d in set(self.dates)}
        return np.fromiter(map(ordinal.__getitem__, self.dates), dtype=np.int64, count=len(self))

    def codes(self, values: list[str]) -> np.ndarray:
        """Each value as a small integer, equal values equal."""
        code = {v: n for n, v in enumerate(dict.fromkeys(values))}
        return np.fromiter(map(code.__getitem__, values), dtype=np.int64, count=len(values))

    @cached_property
    def slots(self) -> tuple[np.ndarray, np.ndarray]:
        """(slot of each entry, entries per slot): a slot is one advisor on one date."""
        # date.max is day 3,652,059, so advisor x 4,000,000 + day is one number per slot.
        keys = self.codes(self.advisors) * 4_000_000 + self.ordinals
        _, slot, count = np.unique(keys, return_inverse=True, return_counts=True)
        return slot, count

    def by_date_then_row(self) -> np.ndarray:
        """Indices in date order, ties by worksheet row, then as given (a stable sort)."""
        rows = np.fromiter(self.rows, dtype=np.int64, count=len(self))
        order = np.argsort(rows, kind="stable")
        return order[np.argsort(self.ordinals[order], kind="stable")]
