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

from xlsrc.core.validate.parse import Placed
from xlsrc.model.entry import Entry


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
    def ordinals(self) -> list[int]:
        """Each date as a day number (date.toordinal), for sorting and grouping."""
        ordinal = {d: d.toordinal() for d in set(self.dates)}
        return list(map(ordinal.__getitem__, self.dates))

    def codes(self, values: list[str]) -> list[int]:
        """Each value as a small integer, equal values equal."""
        code = {v: n for n, v in enumerate(dict.fromkeys(values))}
        return list(map(code.__getitem__, values))

    @cached_property
    def slots(self) -> tuple[list[int], list[int]]:
        """(slot of each entry, entries per slot): a slot is one advisor on one date.

        Plain Python, no numpy: it runs in xlwings Lite (Pyodide), which has no numpy."""
        keys = list(zip(self.advisors, self.ordinals, strict=True))
        slot_of = {key: n for n, key in enumerate(dict.fromkeys(keys))}
        slot = list(map(slot_of.__getitem__, keys))
        count = [0] * len(slot_of)
        for s in slot:
            count[s] += 1
        return slot, count

    def by_date_then_row(self) -> list[int]:
        """Indices in date order, ties by worksheet row, then as given (a stable sort)."""
        ordinals, rows = self.ordinals, self.rows
        return sorted(range(len(self)), key=lambda i: (ordinals[i], rows[i]))
