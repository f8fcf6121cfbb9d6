"""Period lock: a fingerprint of one month's tracker entries.

Recorded in the Audit sheet when a return is issued; if the month's entries later change,
the fingerprint no longer matches and `calloff validate` reports it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from decimal import Decimal

from xlsrc.model import fmt
from xlsrc.model.dates import month_start
from xlsrc.model.entry import Entry
from xlsrc.model.issues import Issue
from xlsrc.model.money import line_cost
from xlsrc.model.rules import INTERIM_CHANGED, MONTH_LOCKED_CHANGED, issue


def month_entries(entries: list[Entry], month: dt.date) -> list[Entry]:
    first = month_start(month)
    return [e for e in entries if month_start(e.date) == first]


def fingerprint(entries: list[Entry]) -> str:
    """sha256 over the entries' content, order-independent (sorting the table is no edit)."""
    lines = sorted(
        "\x1f".join(
            (
                e.date.isoformat(),
                e.advisor,
                e.area,
                e.activity,
                ",".join(e.outcomes),
                format(e.days.normalize(), "f"),
                e.notes,
            )
        )
        for e in entries
    )
    return "sha256:" + hashlib.sha256("\x1e".join(lines).encode("utf-8")).hexdigest()


def changed_locked_months(
    entries: list[Entry], issued: dict[dt.date, tuple[int, str]], sheet: str = "Tracker"
) -> list[Issue]:
    """An error for each returned month whose rows no longer match the issued fingerprint.

    `issued` maps a month to (version, fingerprint) of its latest return.
    """
    out = []
    for month, (version, recorded) in sorted(issued.items()):
        rows = month_entries(entries, month)
        if fingerprint(rows) == recorded:
            continue
        first = min((e.row for e in rows), default=0)
        message = (
            f"{month:%B %Y} was locked when its return (version {version}) was "
            "issued, and its tracker rows have changed since. Put them back, or "
            f"issue a corrected return: calloff return WORKBOOK --month "
            f"{month:%Y-%m} --reissue"
        )
        out.append(issue(MONTH_LOCKED_CHANGED, sheet, first, "", f"{month:%Y-%m}", message))
    return out


def changed_interim_returns(
    entries: list[Entry],
    interims: dict[dt.date, tuple[int, str]],
    returned: frozenset[dt.date],
    sheet: str = "Tracker",
) -> list[Issue]:
    """A warning for each issued interim return whose rows (its month up to its date) no
    longer match the fingerprint it was issued with.

    `interims` maps an interim return's date to (version, fingerprint) of its latest version.
    An interim return reports a month still open: later days may still be recorded, and a
    day recorded late is not a mistake, so this warns rather than refuses. Once the month's
    own return is issued (`returned`), that return's lock covers every row of the month."""
    out = []
    for as_at, (version, recorded) in sorted(interims.items()):
        month = month_start(as_at)
        if month in returned:
            continue
        rows = [e for e in month_entries(entries, month) if e.date <= as_at]
        if fingerprint(rows) == recorded:
            continue
        first = min((e.row for e in rows), default=0)
        message = (
            f"The interim return as at {fmt.day(as_at)} (version {version}) reported"
            f" {month:%B %Y} up to that day, and those tracker rows have changed since (edited,"
            f" added or removed). If the change is right, say so in {month:%B %Y}'s return, or"
            " issue a corrected interim return: calloff return WORKBOOK --interim"
            f" {as_at:%Y-%m-%d} --reissue; otherwise put the rows back"
        )
        out.append(issue(INTERIM_CHANGED, sheet, first, "", f"{as_at:%Y-%m-%d}", message))
    return out


def repriced_locked_months(
    rate_on: Callable[[dt.date], Decimal],
    entries: list[Entry],
    issued: dict[dt.date, tuple[int, Decimal | None]],
    sheet: str = "Contract",
) -> list[Issue]:
    """An error for each returned month whose net, priced at the rates in force now, is not
    the net its return was issued with: a day-rate change reached back into it.

    `issued` maps a month to (version, net as issued) of its latest return."""
    out = []
    for month, (version, recorded) in sorted(issued.items()):
        if recorded is None:
            continue
        rows = month_entries(entries, month)
        now = sum((line_cost(e.days, rate_on(e.date)) for e in rows), Decimal(0))
        if abs(now - recorded) < Decimal("0.005"):
            continue
        message = (
            f"{month:%B %Y}'s return (version {version}) was issued with a net of"
            f" £{recorded:,.2f}; at the day rates now in force it is £{now:,.2f}. A rate change"
            " applies only to months still to come: put the Rates table (or DayRate) back, and"
            " record a new rate from the first day after the last issued month"
        )
        out.append(issue(MONTH_LOCKED_CHANGED, sheet, 0, "Rates", f"{month:%Y-%m}", message))
    return out
