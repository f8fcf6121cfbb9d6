"""Rows that repeat an earlier row's advisor, date, area and activity: often a double entry."""

from __future__ import annotations

import datetime as dt

import numpy as np

from xlsrc import fmt
from xlsrc.issues import Issue
from xlsrc.rules import DUPLICATE, issue
from xlsrc.validate.entries import EntryColumns
from xlsrc.validate.parse import Placed


def check_duplicates(table: EntryColumns) -> list[Issue]:
    if not len(table):
        return []
    # One number per advisor, date, area and activity: each factor is below its own range,
    # and even 1,048,576 rows (Excel's limit) cubed stay inside int64.
    slot, _ = table.slots
    areas, activities = table.codes(table.areas), table.codes(table.activities)
    keys = (slot * (areas.max() + 1) + areas) * (activities.max() + 1) + activities
    _, key_of, rows_per_key = np.unique(keys, return_inverse=True, return_counts=True)
    # Only keys seen more than once can repeat; the rest need no sorting or messages.
    repeated = []
    for i in np.flatnonzero(rows_per_key[key_of] > 1).tolist():
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
