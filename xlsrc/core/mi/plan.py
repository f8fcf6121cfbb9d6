"""Days planned per area and month: the one rule, stated once.

The terms give each area its `days_allocated` for the contract, and may give
call-off days per month for months of an agreed extension (a decision). The plan:

- An area's allocation is spread evenly over the months of the term, from the start month to
  the month of the completion date (`dates.end`), both included. To keep the months adding up
  to the allocation exactly, the plan up to the k-th of n months is ROUND(allocation × k / n, 2)
  (halves up) and a month's plan is the step from the month before.
- Each month of an agreed extension (after `dates.end`, up to the contract end) plans the
  days per month decided and in force on its first day for the contract, shared between the
  areas in proportion to their allocation (evenly when none has any), each share
  ROUND(..., 2). Without days per month an extension month plans nothing.
- A month outside both plans nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from xlsrc.model.dates import month_start, months_in_range
from xlsrc.model.money import ZERO
from xlsrc.model.terms.models import Terms

PLACES = Decimal("0.01")
RULE = __doc__.split("\n\n", 1)[1]  # the rule above, as the developers read it
# The same rule in a contract manager's words, for the MI's notes.
PLAIN_RULE = (
    "each area's days allocated are spread evenly over the months from the start to the"
    " completion date, rounded to hundredths of a day so that the months add up to the"
    " allocation exactly. Each month of an agreed extension plans the days per month decided"
    " for it, shared between the areas in proportion to their allocations; without days per"
    " month decided, an extension month plans nothing. Other months plan nothing."
)


def _round(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def planned_days(terms: Terms) -> dict[dt.date, dict[str, Decimal]]:
    """First of each month -> area short name -> days planned (months with a plan only)."""
    term = months_in_range(terms.dates.start, terms.dates.end)
    n = len(term)
    plan: dict[dt.date, dict[str, Decimal]] = {}
    for area in terms.areas:
        before = ZERO
        for k, month in enumerate(term, start=1):
            upto = _round(area.days_allocated * k / n)
            plan.setdefault(month, {})[area.short] = upto - before
            before = upto
    term_now = terms.effective
    if term_now.end > terms.dates.end:
        for month in months_in_range(terms.dates.end, term_now.end)[1:]:
            per_month = term_now.days_per_month_on(month)
            if per_month is not None:
                plan[month] = _shares(terms, per_month)
    return plan


def _shares(terms: Terms, days: Decimal) -> dict[str, Decimal]:
    total = sum((a.days_allocated for a in terms.areas), ZERO)
    if total == 0:
        return {a.short: _round(days / len(terms.areas)) for a in terms.areas}
    return {a.short: _round(days * a.days_allocated / total) for a in terms.areas}


def planned_for(plan: dict[dt.date, dict[str, Decimal]], month: dt.date, area: str) -> Decimal:
    return plan.get(month_start(month), {}).get(area, ZERO)
