"""Invoiced and returned months are closed, and the months before them: no entry may be
dated in one (the one lock rule: xlsrc.model.dates.locked_through)."""

from __future__ import annotations

import datetime as dt

from xlsrc.core.validate.entries import EntryColumns
from xlsrc.model.dates import locked_through, locked_words, month_start
from xlsrc.model.issues import Issue
from xlsrc.model.rules import MONTH_LOCKED, issue


def check_locked(table: EntryColumns, locked_months: frozenset[dt.date]) -> list[Issue]:
    """An error at each entry dated in the locked period: on or before the end of the latest
    locked month (xlsrc.model.dates.locked_through), whatever day of a month is given."""
    through = locked_through({month_start(m) for m in locked_months})
    if through is None:
        return []
    found: list[Issue] = []
    for i in [i for i, d in enumerate(table.dates) if d <= through]:
        item = table.placed(i)
        message = locked_words("an entry", item.entry.date, through)
        found.append(
            issue(MONTH_LOCKED, item.sheet, item.entry.row, "Date", item.entry.date, message)
        )
    return found
