"""The cap guarded by decisions: a decision that would take the forecast to the end in force
over the cap in force is refused, unless a cap variation covers it.

The forecast is the Budget's (xlsrc.core.totals.budget): spend to date plus, for the months
left, the run rate or the days per month decided at the rate in force. A decision is judged as
it stood on the day it was decided: the decisions and entries dated by then, with it and
without it. It breaks the cap when, with it, the forecast passes the cap and it made things
worse (the forecast rose, or the cap fell): an end, a break or a decision leaving an
overspend as it was is never refused for it. `calloff decide` refuses such a decision;
validate reports one typed into the Decisions table as an error at its row.

Allocations are a separate matter: `allocation_over_cap` says when the areas' days allocated,
at the day rate now, no longer fit the cap in force (a warning, never a refusal).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xlsrc.core.totals.budget import compute_totals
from xlsrc.model import fmt
from xlsrc.model.entry import Entry
from xlsrc.model.terms.decisions import KIND_LABELS
from xlsrc.model.terms.models import Terms


@dataclass(frozen=True)
class OverCap:
    """Decision `index` would take the forecast to `forecast`, over the cap in force `cap`."""

    index: int
    forecast: Decimal
    cap: Decimal
    before: Decimal  # the forecast without it

    @property
    def message(self) -> str:
        return (
            f"with this decision the Budget's forecast to the end in force is"
            f" {fmt.money(self.forecast)} (without it {fmt.money(self.before)}), over the cap"
            f" in force of {fmt.money(self.cap)} by {fmt.money(self.forecast - self.cap)}:"
            f" record a cap variation first ({KIND_LABELS['vary-cap']!r}, by the Department,"
            " with the new cap) or decide less"
        )


def decision_over_cap(terms: Terms, entries: list[Entry], index: int) -> OverCap | None:
    """Whether decision `index` of `terms` passes the cap (see the module's docstring)."""
    decision = terms.decisions[index]
    day = decision.decided
    known = [e for e in entries if e.date <= day]
    with_it = terms.model_copy(
        update={"decisions": [d for d in terms.decisions if d.decided <= day]}
    )
    without = with_it.model_copy(
        update={"decisions": [d for d in with_it.decisions if d is not decision]}
    )
    after = compute_totals(with_it, known).ForecastEnd
    cap = with_it.cap_now
    if after <= cap:
        return None
    before = compute_totals(without, known).ForecastEnd
    if after > before or cap < without.cap_now:
        return OverCap(index, after, cap, before)
    return None


def decisions_over_cap(terms: Terms, entries: list[Entry]) -> list[OverCap]:
    """Every decision of `terms` passing the cap, in the order they are listed."""
    found = (decision_over_cap(terms, entries, i) for i in range(len(terms.decisions)))
    return [f for f in found if f is not None]


def allocation_over_cap(terms: Terms) -> tuple[Decimal, Decimal] | None:
    """(cost of the days allocated at the day rate now, cap in force) when the cost is over the
    cap (the workbook's CheckAllocationFitsCap); None when the allocations fit."""
    days = sum((a.days_allocated for a in terms.areas), Decimal(0))
    cost = days * terms.effective.rate_now
    cap = terms.cap_now
    return (cost, cap) if cost > cap else None
