"""Rows that repeat an earlier row's advisor, date, area and activity: often a double entry."""

from __future__ import annotations

import datetime as dt

from xlsrc.issues import Issue
from xlsrc.validate import fmt
from xlsrc.validate.codes import DUPLICATE, issue
from xlsrc.validate.parse import Placed


def check_duplicates(placed: list[Placed]) -> list[Issue]:
    first: dict[tuple[str, dt.date, str, str], Placed] = {}
    found: list[Issue] = []
    for item in sorted(placed, key=lambda p: p.entry.row):
        e = item.entry
        key = (e.advisor, e.date, e.area, e.activity)
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
