"""The contract cap: cumulative cost in date order never goes over it; alert bands on the way."""

from __future__ import annotations

from decimal import Decimal

from xlsrc.issues import Issue
from xlsrc.money import ZERO, line_cost, round_ratio
from xlsrc.terms.models import Terms
from xlsrc.validate import fmt
from xlsrc.validate.codes import CAP_BAND, CAP_EXCEEDED, Rule, issue
from xlsrc.validate.parse import Placed


def check_cap(terms: Terms, placed: list[Placed]) -> list[Issue]:
    cap, rate = terms.money.cap, terms.money.day_rate
    # The last band is normally 1 (100%), which is CAP-EXCEEDED's business, not a warning.
    bands = [b for b in terms.alerts.cap_bands if b < 1]
    cap_text = fmt.money(cap)

    found: list[Issue] = []
    total = ZERO
    first_over: Placed | None = None
    # Ties on a date go by worksheet row, the order a person reads them in.
    for item in sorted(placed, key=lambda p: (p.entry.date, p.entry.row)):
        cost = line_cost(item.entry.days, rate)
        before, total = total, total + cost
        if total > cap:
            over = f"{fmt.money(total - cap)} over the {cap_text} cap"
            if first_over is None:
                first_over = item
                message = (
                    f"This entry ({fmt.money(cost)}) takes the cumulative cost to"
                    f" {fmt.money(total)}, {over}. Remove or move days, or record a contract"
                    " variation raising the cap"
                )
            else:
                message = (
                    f"The cap was already exceeded at row {first_over.entry.row}"
                    f" ({fmt.day(first_over.entry.date)}); with this entry the cumulative cost"
                    f" is {fmt.money(total)}, {over}"
                )
            found.append(_at(CAP_EXCEEDED, item, message))
        for band in bands:
            if _ratio(before, cap) < band <= _ratio(total, cap):
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
