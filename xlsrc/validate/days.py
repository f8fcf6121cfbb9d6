"""Days rules: each row is half a day or a whole day, and nobody bills more than 1 day a date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from operator import attrgetter

import numpy as np

from xlsrc import fmt
from xlsrc.issues import Issue
from xlsrc.rules import DAYS_OVER_ONE_PER_DATE, issue
from xlsrc.validate.entries import EntryColumns
from xlsrc.validate.parse import Placed

MAX_DAYS_PER_DATE = Decimal(1)


def check_days_per_date(table: EntryColumns) -> list[Issue]:
    """From the row (in sheet order) that takes an advisor's date past 1 day, every later one."""
    if not len(table):
        return []
    # Entries hold 0.5 or 1 day, so half days are whole and their sums per slot exact.
    slot, rows_in_slot = table.slots
    half_days = {d: int(d * 2) for d in set(table.days)}
    halves = np.fromiter(map(half_days.__getitem__, table.days), dtype=np.int64, count=len(table))
    halves_in_slot = np.bincount(slot, weights=halves)
    # Only the slots whose days add up to more than 1 need a closer look, row by row.
    over_slots = (halves_in_slot > int(MAX_DAYS_PER_DATE * 2)) & (rows_in_slot > 1)
    over = [table.placed(i) for i in np.flatnonzero(over_slots[slot]).tolist()]
    groups: dict[tuple[str, dt.date], list[Placed]] = defaultdict(list)
    for item in sorted(over, key=attrgetter("entry.row")):
        groups[(item.entry.advisor, item.entry.date)].append(item)

    found: list[Issue] = []
    for (advisor, date), items in groups.items():
        before = Decimal(0)
        for n, item in enumerate(items):
            total = before + item.entry.days
            if total > MAX_DAYS_PER_DATE:
                earlier = fmt.listing([f"row {i.entry.row}" for i in items[:n]])
                message = (
                    f"One advisor can record at most 1 day per date; {advisor} already has"
                    f" {fmt.days(before)} on {fmt.day(date)} ({earlier}), so this row's"
                    f" {item.entry.days} makes {fmt.days(total)}. Correct the Days or the Date"
                    " on one of these rows"
                )
                found.append(
                    issue(
                        DAYS_OVER_ONE_PER_DATE,
                        item.sheet,
                        item.entry.row,
                        "Days",
                        item.entry.days,
                        message,
                    )
                )
            before = total
    return found
