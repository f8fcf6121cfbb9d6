"""Invoiced months are closed: no entry may be dated in one."""

from __future__ import annotations

import datetime as dt

from xlsrc.dates import month_start
from xlsrc.issues import Issue
from xlsrc.validate import fmt
from xlsrc.validate.codes import MONTH_LOCKED, issue
from xlsrc.validate.parse import Placed


def check_locked(placed: list[Placed], locked_months: frozenset[dt.date]) -> list[Issue]:
    # Accept any day of a month, not only the 1st, so a caller's slip cannot unlock a month.
    locked = {month_start(m) for m in locked_months}
    found: list[Issue] = []
    for item in placed:
        month = month_start(item.entry.date)
        if month in locked:
            message = (
                f"{fmt.month(month)} has been invoiced and is locked; found an entry dated"
                f" {fmt.day(item.entry.date)}. Record late work or corrections in an open month"
            )
            found.append(
                issue(MONTH_LOCKED, item.sheet, item.entry.row, "Date", item.entry.date, message)
            )
    return found
