"""Calendar arithmetic shared by the Python totals and mirrored by the workbook's formulas."""

from __future__ import annotations

import calendar
import datetime as dt


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same as Excel's EDATE: the same day `months` later, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def months_between(first: dt.date, last: dt.date) -> int:
    """Whole calendar months from first's month to last's month (0 when the same month)."""
    return month_index(last) - month_index(first)


def months_in_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """First day of each calendar month from first's month to last's month, inclusive."""
    return [add_months(month_start(first), i) for i in range(months_between(first, last) + 1)]


def locked_through(months: frozenset[dt.date] | set[dt.date]) -> dt.date | None:
    """The one lock rule (issue 20, item 8): every day up to the end of the latest month whose
    return was issued (or that was invoiced) is locked, the months before it too, since
    anything dated then changes the "to date" figures that return reported."""
    if not months:
        return None
    last = max(months)
    return last.replace(day=calendar.monthrange(last.year, last.month)[1])


def locked_words(what: str, day: dt.date, through: dt.date) -> str:
    """The one refusal of anything dated in the locked period, in fill, import, decide and
    validate alike (`what`: "an entry", "a decision taking effect")."""
    from xlsrc.model.fmt import day as as_day
    from xlsrc.model.fmt import month

    return (
        f"{month(day)} is locked: returns or invoices have been issued up to {as_day(through)},"
        f" and anything dated then would change what they reported; found {what} dated"
        f" {as_day(day)}. Record late work or a correction in an open month (from"
        f" {as_day(through + dt.timedelta(days=1))})"
    )
