"""Totals, month by month and overall, computed in Python from tracker entries.

These are the same figures the Budget sheet computes with live formulas; the tests recalculate
the workbook in LibreOffice and require the two to agree to the penny. Rounding follows
xlsrc.model.money (the one place rules are stated). Sums run in integer half days and pence
(xlsrc.core.totals.priced).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from xlsrc.core.totals.bands import alert_band
from xlsrc.core.totals.breakdowns import BreakdownLine, by_name, by_outcome
from xlsrc.core.totals.priced import Priced, price_entries, sums_by
from xlsrc.model import fmt
from xlsrc.model.dates import add_months, month_index, months_between, months_in_range
from xlsrc.model.entry import Entry
from xlsrc.model.money import (
    ZERO,
    floor_to_half_day,
    from_pence,
    round_money,
    round_ratio,
    vat_on,
)
from xlsrc.model.terms.decisions import KIND_LABELS
from xlsrc.model.terms.models import Terms

# What-if end dates: (label, the defined name of the end date in the workbook).
SCENARIOS = (
    ("Terminated at the break", "BreakDate"),
    ("Runs to the completion date", "EndDate"),
    ("With the agreed extension", "ContractEnd"),
    ("With the maximum extension", "LatestEnd"),
)


@dataclass(frozen=True)
class MonthTotals:
    month: dt.date
    days_by_area: dict[str, Decimal]
    net_by_area: dict[str, Decimal]
    days: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    cumulative_net: Decimal
    cumulative_gross: Decimal
    in_term: bool
    cap: Decimal  # the cap in force at the month's end (the Budget's Cap column)


@dataclass(frozen=True)
class AreaTotals:
    area: str
    days_allocated: Decimal
    days: Decimal
    days_remaining: Decimal
    net: Decimal


@dataclass(frozen=True)
class Scenario:
    label: str
    ends: dt.date
    forecast: Decimal
    headroom: Decimal


@dataclass(frozen=True)
class Totals:
    """Headline figures carry the names of the workbook's defined names."""

    TotalDays: Decimal
    TotalNet: Decimal
    TotalVAT: Decimal
    TotalGross: Decimal
    Headroom: Decimal
    CapUsedPct: Decimal
    AlertBand: str
    DaysLeft: Decimal
    MonthsElapsed: int
    RunRate: Decimal
    ForecastEnd: Decimal
    ForecastBreak: Decimal
    NetToBreak: Decimal
    AsOfMonth: dt.date | None
    ContractEnd: dt.date
    LatestEnd: dt.date
    months: list[MonthTotals] = field(default_factory=list)
    areas: list[AreaTotals] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    advisors: list[BreakdownLine] = field(default_factory=list)
    activities: list[BreakdownLine] = field(default_factory=list)
    outcomes: list[BreakdownLine] = field(default_factory=list)  # split: see breakdowns.py

    HEADLINE = (
        "TotalDays", "TotalNet", "TotalVAT", "TotalGross", "Headroom", "CapUsedPct",
        "AlertBand", "DaysLeft", "MonthsElapsed", "RunRate", "ForecastEnd",
        "ForecastBreak", "NetToBreak", "AsOfMonth", "ContractEnd", "LatestEnd",
    )  # fmt: skip

    def headline(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.HEADLINE}


def totals_as_at(
    terms: Terms, entries: list[Entry], month: dt.date, day: dt.date | None = None
) -> Totals:
    """The totals as a return for `month` states them: the entries and decisions dated by
    `day` (the month's end unless an interim return's date), forecasts run from `month` (a
    nil month counts as elapsed). The return and the MI sheet both read this, so they agree."""
    month = month.replace(day=1)
    day = day or add_months(month, 1) - dt.timedelta(days=1)
    known = terms.as_at(day)
    return compute_totals(known, [e for e in entries if e.date <= day], as_of=month)


def compute_totals(terms: Terms, entries: list[Entry], as_of: dt.date | None = None) -> Totals:
    """The totals of `entries`. `as_of`: the month the forecasts run from (a return's month,
    so a nil month counts as elapsed); by default the month of the last entry, as the
    Budget sheet's AsOfMonth."""
    money, term = terms.money, terms.effective
    priced = price_entries(entries, term.rate_on)
    start = terms.dates.start
    budget_months = months_in_range(start, terms.latest_possible_end)
    areas = [a.short for a in terms.areas]

    grid = _grid(priced)
    months: list[MonthTotals] = []
    cum_net = cum_gross = ZERO
    for month in budget_months:
        idx = month_index(month)
        days_by_area: dict[str, Decimal] = {}
        net_by_area: dict[str, Decimal] = {}
        for area in areas:
            half, pence = _cell(grid, idx, area)
            days_by_area[area] = Decimal(half) / 2
            net_by_area[area] = from_pence(pence)
        net = sum(net_by_area.values(), ZERO)
        vat = vat_on(net, money.vat_rate)
        cum_net += net
        cum_gross += net + vat
        months.append(
            MonthTotals(
                month=month,
                days_by_area=days_by_area,
                net_by_area=net_by_area,
                days=sum(days_by_area.values(), ZERO),
                net=net,
                vat=vat,
                gross=net + vat,
                cumulative_net=cum_net,
                cumulative_gross=cum_gross,
                in_term=month <= terms.contract_end,
                cap=term.cap_on(add_months(month, 1) - dt.timedelta(days=1)),
            )
        )

    total_days = Decimal(sum(priced.half_days)) / 2 if len(priced) else ZERO
    total_net = from_pence(sum(priced.cost_pence)) if len(priced) else ZERO
    total_vat = sum((m.vat for m in months), ZERO)
    cap = term.cap_now  # the cap in force after every variation (the workbook's CapNow)
    headroom = cap - total_net
    used = round_ratio(total_net / cap)

    if as_of is not None:
        as_of = as_of.replace(day=1)
    elif len(priced):
        as_of = dt.date.fromordinal(max(priced.day)).replace(day=1)
    elapsed = months_between(start, as_of) + 1 if as_of else 0
    break_date = terms.dates.break_
    net_to_break = _spent_up_to(priced, break_date) if len(priced) and break_date else ZERO

    def forecast(until: dt.date) -> Decimal:
        """Net spend at `until` if the average month so far carries on; actual once past."""
        if not elapsed or as_of is None:
            return ZERO
        ahead = months_between(as_of, until)
        if ahead < 0:
            return _spent_up_to(priced, until)
        per_month = term.days_per_month_now
        if per_month is None:
            return round_money(total_net * (elapsed + ahead) / elapsed)
        # Months after the completion date: the days per month decided, at the rate now.
        extension = max(0, min(ahead, months_between(terms.dates.end, until)))
        return round_money(total_net * (elapsed + ahead - extension) / elapsed) + extension * (
            round_money(per_month * term.rate_now)
        )

    def scenario_end(until: dt.date) -> dt.date:
        return min(until, term.end) if term.ended else until

    forecast_break = forecast(break_date) if break_date else ZERO
    forecast_end = forecast(terms.contract_end)  # the cap alert says when it is over the cap
    ends_by_name = {
        "BreakDate": break_date,
        "EndDate": terms.dates.end,
        "ContractEnd": terms.contract_end,
        "LatestEnd": term.latest_end,
    }
    scenarios = [
        Scenario(label, ends, forecast(ends), term.cap_on(ends) - forecast(ends))
        for label, name in SCENARIOS
        if (until := ends_by_name[name]) is not None and (ends := scenario_end(until))
    ]

    area_rows = []
    for term_area in terms.areas:
        days = sum((m.days_by_area[term_area.short] for m in months), ZERO)
        area_rows.append(
            AreaTotals(
                area=term_area.short,
                days_allocated=term_area.days_allocated,
                days=days,
                days_remaining=term_area.days_allocated - days,
                net=sum((m.net_by_area[term_area.short] for m in months), ZERO),
            )
        )

    return Totals(
        TotalDays=total_days,
        TotalNet=total_net,
        TotalVAT=total_vat,
        TotalGross=total_net + total_vat,
        Headroom=headroom,
        CapUsedPct=used,
        AlertBand=alert_band(
            used,
            terms.alerts.cap_bands,
            over_cap=total_net > cap,
            forecast_over=forecast_end > cap,
        ),
        DaysLeft=floor_to_half_day(headroom / term.rate_now),
        MonthsElapsed=elapsed,
        RunRate=round_money(total_net / elapsed) if elapsed else ZERO,
        ForecastEnd=forecast_end,
        ForecastBreak=forecast_break,
        NetToBreak=net_to_break,
        AsOfMonth=as_of,
        ContractEnd=terms.contract_end,
        LatestEnd=term.latest_end,
        months=months,
        areas=area_rows,
        scenarios=scenarios,
        advisors=by_name(priced, priced.advisor, [a.id for a in terms.advisors]),
        activities=by_name(priced, priced.activity, terms.activities),
        outcomes=by_outcome(priced, [o.id for o in terms.outcomes]),
    )


def _spent_up_to(priced: Priced, day: dt.date) -> Decimal:
    until = day.toordinal()
    return from_pence(
        sum(p for d, p in zip(priced.day, priced.cost_pence, strict=True) if d <= until)
    )


def _grid(priced: Priced) -> dict[tuple[int, str], tuple[int, int]]:
    """(month index, area) -> (half days, pence), for the cells that have any entries."""
    return sums_by(zip(priced.month, priced.area, strict=True), priced)


def _cell(grid: dict[tuple[int, str], tuple[int, int]], idx: int, area: str) -> tuple[int, int]:
    return grid.get((idx, area), (0, 0))


# The cap guarded by decisions (issue 20, item 3).
# The cap guarded by decisions: a decision that would take the forecast to the end in force
# over the cap in force is refused, unless a cap variation covers it.
#
# The forecast is the Budget's (xlsrc.core.totals.budget): spend to date plus, for the months
# left, the run rate or the days per month decided at the rate in force. A decision is judged as
# it stood on the day it was decided: the decisions and entries dated by then, with it and
# without it. It breaks the cap when, with it, the forecast passes the cap and it made things
# worse (the forecast rose, or the cap fell): an end, a break or a decision leaving an
# overspend as it was is never refused for it. `calloff decide` refuses such a decision;
# validate reports one typed into the Decisions table as an error at its row.
#
# Allocations are a separate matter: `allocation_over_cap` says when the areas' days allocated,
# at the day rate now, no longer fit the cap in force (a warning, never a refusal).


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
