"""Days rules: each row is half a day or a whole day, and nobody bills more than 1 day a date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from operator import attrgetter

from xlsrc.core.validate.entries import EntryColumns
from xlsrc.core.validate.parse import Placed
from xlsrc.model import fmt
from xlsrc.model.issues import Issue
from xlsrc.model.rules import DAYS_OVER_ONE_PER_DATE, issue

MAX_DAYS_PER_DATE = Decimal(1)


def check_days_per_date(table: EntryColumns) -> list[Issue]:
    """From the row (in sheet order) that takes an advisor's date past 1 day, every later one."""
    if not len(table):
        return []
    # Entries hold 0.5 or 1 day, so half days are whole and their sums per slot exact.
    slot, rows_in_slot = table.slots
    half_days = {d: int(d * 2) for d in set(table.days)}
    halves_in_slot = [0] * len(rows_in_slot)
    for s, d in zip(slot, table.days, strict=True):
        halves_in_slot[s] += half_days[d]
    # Only the slots whose days add up to more than 1 need a closer look, row by row.
    most = int(MAX_DAYS_PER_DATE * 2)
    over_slots = [h > most and n > 1 for h, n in zip(halves_in_slot, rows_in_slot, strict=True)]
    over = [table.placed(i) for i, s in enumerate(slot) if over_slots[s]]
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
