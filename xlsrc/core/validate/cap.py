"""The contract cap: cumulative cost in date order never goes over it; alert bands on the way."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from decimal import Decimal
from itertools import accumulate

from xlsrc.core.validate.entries import EntryColumns
from xlsrc.core.validate.parse import Placed
from xlsrc.model import fmt
from xlsrc.model.errors import UserDataError
from xlsrc.model.issues import Issue
from xlsrc.model.money import from_pence, line_cost, pence, round_ratio
from xlsrc.model.rules import CAP_BAND, CAP_EXCEEDED, Rule, issue
from xlsrc.model.terms.models import Terms


def check_cap(terms: Terms, table: EntryColumns) -> list[Issue]:
    cap, rate_on = terms.cap_now, terms.effective.rate_on
    # The last band is normally 1 (100%), which is CAP-EXCEEDED's business, not a warning.
    bands = [b for b in terms.alerts.cap_bands if b < 1]
    cap_text = fmt.money(cap)

    # Ties on a date go by worksheet row, the order a person reads them in.
    order = table.by_date_then_row()
    # Cumulative cost in exact integer pence. Costs are never negative (days 0.5 or 1, a
    # positive rate), so the running total only grows: each threshold is crossed once, at
    # the first entry that reaches it, found by bisection rather than a Decimal per row.
    # Each row at the day rate in force on its date (xlsrc.model.terms.effective).
    pairs = list(zip(table.days, table.dates, strict=True))
    cost_pence = {p: pence(line_cost(p[0], rate_on(p[1]))) for p in set(pairs)}
    totals = list(accumulate(cost_pence[pairs[i]] for i in order))
    n = len(totals)
    first_over = bisect_left(totals, True, key=lambda t: from_pence(t) > cap)

    def reaches(band: Decimal) -> Callable[[int], bool]:
        return lambda t: _ratio(from_pence(t), cap) >= band

    crossing = {band: bisect_left(totals, True, key=reaches(band)) for band in bands}

    found: list[Issue] = []
    for i in sorted({*range(first_over, n), *(c for c in crossing.values() if c < n)}):
        item, total = table.placed(order[i]), from_pence(totals[i])
        if i >= first_over:
            over = f"{fmt.money(total - cap)} over the {cap_text} cap"
            if i == first_over:
                cost = line_cost(item.entry.days, rate_on(item.entry.date))
                message = (
                    f"This entry ({fmt.money(cost)}) takes the cumulative cost to"
                    f" {fmt.money(total)}, {over}. Remove or move days, or record a contract"
                    " variation raising the cap"
                )
            else:
                first = table.entries[order[first_over]]
                message = (
                    f"The cap was already exceeded at row {first.row}"
                    f" ({fmt.day(first.date)}); with this entry the cumulative cost"
                    f" is {fmt.money(total)}, {over}"
                )
            found.append(_at(CAP_EXCEEDED, item, message))
        for band in bands:
            if crossing[band] == i:
                message = (
                    f"Cumulative cost reaches {fmt.percent(band)} of the {cap_text} cap with"
                    f" this entry: {fmt.money(total)} spent up to {fmt.day(item.entry.date)}"
                )
                found.append(_at(CAP_BAND, item, message))
    return found


def _at(rule: Rule, item: Placed, message: str) -> Issue:
    return issue(rule, item.sheet, item.entry.row, "Days", item.entry.days, message)


def _ratio(spent: Decimal, cap: Decimal) -> Decimal:
    # Rounded as the Budget sheet's CapUsedPct is, so the warning and the sheet's band agree.
    return round_ratio(spent / cap)


class OverCap(UserDataError):
    """Refused: the Tracker, with the rows offered, would go over the cap. Exit code 1: the
    command ran and found a problem; nothing was written."""

    exit_code = 1

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        first = issues[0]
        super().__init__(
            "refused, nothing was written: with these rows the Tracker would go over the"
            f" contract cap. {first.where}: {first.message}"
            + (f" ({len(issues) - 1} later row(s) over it too)" if len(issues) > 1 else "")
        )


def refuse_over_cap(issues: list[Issue]) -> None:
    """Raise OverCap when any of `issues` (of a merged Tracker) is CAP-EXCEEDED."""
    over = [i for i in issues if i.code == CAP_EXCEEDED.code]
    if over:
        raise OverCap(over)
