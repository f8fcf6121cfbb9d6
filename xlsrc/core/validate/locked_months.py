"""Invoiced months are closed: no entry may be dated in one."""

from __future__ import annotations

import datetime as dt

from xlsrc.core.validate.entries import EntryColumns
from xlsrc.model import fmt
from xlsrc.model.dates import month_start
from xlsrc.model.issues import Issue
from xlsrc.model.rules import MONTH_LOCKED, issue


def check_locked(table: EntryColumns, locked_months: frozenset[dt.date]) -> list[Issue]:
    # Accept any day of a month, not only the 1st, so a caller's slip cannot unlock a month.
    if not locked_months:
        return []
    locked = {month_start(m) for m in locked_months}
    month_of = {d: month_start(d) for d in set(table.dates)}
    found: list[Issue] = []
    for i in [i for i, d in enumerate(table.dates) if month_of[d] in locked]:
        item = table.placed(i)
        month = month_of[item.entry.date]
        message = (
            f"{fmt.month(month)} has been invoiced and is locked; found an entry dated"
            f" {fmt.day(item.entry.date)}. Record late work or corrections in an open month"
        )
        found.append(
            issue(MONTH_LOCKED, item.sheet, item.entry.row, "Date", item.entry.date, message)
        )
    return found
