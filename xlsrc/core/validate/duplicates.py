"""Rows that repeat an earlier row's advisor, date, area and activity: often a double entry."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from xlsrc.core.validate.entries import EntryColumns
from xlsrc.core.validate.parse import Placed
from xlsrc.model import fmt
from xlsrc.model.issues import Issue
from xlsrc.model.rules import DUPLICATE, issue


def check_duplicates(table: EntryColumns) -> list[Issue]:
    if not len(table):
        return []
    # One key per advisor, date, area and activity.
    slot, _ = table.slots
    keys = list(zip(slot, table.areas, table.activities, strict=True))
    rows_per_key = Counter(keys)
    # Only keys seen more than once can repeat; the rest need no sorting or messages.
    repeated = []
    for i in (i for i, key in enumerate(keys) if rows_per_key[key] > 1):
        e = table.entries[i]
        repeated.append((table.placed(i), (e.advisor, e.date, e.area, e.activity)))
    first: dict[tuple[str, dt.date, str, str], Placed] = {}
    found: list[Issue] = []
    for item, key in sorted(repeated, key=lambda pair: pair[0].entry.row):
        e = item.entry
        if key not in first:
            first[key] = item
            continue
        message = (
            f"Same advisor, date, area and activity as row {first[key].entry.row}"
            f" ({e.advisor}, {fmt.day(e.date)}, {e.area}, {e.activity}). If it was entered"
            " twice, delete one row; if not, say in Notes what differs"
        )
        found.append(issue(DUPLICATE, item.sheet, e.row, "Date", e.date, message))
    return found
