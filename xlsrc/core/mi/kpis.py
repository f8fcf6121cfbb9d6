"""Management information: the contract's KPIs month by month, from plain data (no Excel here).

Every figure is one the project already computes, so the MI equals the workbook's own:
- delivery, spend, VAT, cumulative spend, % of cap and headroom are `compute_totals`'s months
  (the Budget sheet's month x area table, which LibreOffice recalculates to the same penny);
- the forecasts as at a month are `compute_totals` over the entries dated up to that month's
  end, exactly as that month's return states them;
- days planned follow the rule in xlsrc.core.mi.plan;
- ratings are counted from the AnnexA sheet, EHCP timeliness as the return computes it (each
  area's local monthly figure against its trajectory), the annual SEN2 figure kept apart;
- returns issued come from the Audit sheet, invoices from the invoice check (`calloff
  invoice-check`'s verdict on each Invoices row).

Figures run from the start month to the last month work may be done (the contract end, or the
break when the contract terminated there), plus any later month with delivery. Months after
the current one carry only their plan. The MI holds figures, IDs and labels only, never free
text (notes, evidence, risk descriptions), so it needs no confidentiality check.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from xlsrc.core.invoices.check import InvoiceCheck
from xlsrc.core.mi.plan import planned_days, planned_for
from xlsrc.core.totals import Totals, compute_totals, totals_as_at
from xlsrc.model import fmt, layout
from xlsrc.model.dates import add_months, month_start, months_in_range
from xlsrc.model.entry import Entry
from xlsrc.model.layout import RAG
from xlsrc.model.money import ZERO, round_ratio
from xlsrc.model.records import (
    AnnexARow,
    Ask,
    AuditRow,
    EHCPMonth,
    Recommendation,
    Risk,
    SEN2Year,
    ratio,
)
from xlsrc.model.terms.models import Terms

CLOSED = "closed"
ESCALATED = "escalated"
NOT_SUFFICIENT = "not sufficient"  # a recommendation to VCU that escalates the area


@dataclass(frozen=True)
class Sources:
    """What the MI is computed from, read from one workbook."""

    terms: Terms
    entries: list[Entry]  # the entries `calloff totals` totals
    rows_with_errors: int
    annexa: list[AnnexARow]
    ehcp: list[EHCPMonth]
    sen2: list[SEN2Year]
    risks: list[Risk]
    audit: list[AuditRow]
    invoices: list[InvoiceCheck]
    invoices_problem: str | None  # why the invoices could not be checked, if so
    today: dt.date
    recommendations: list[Recommendation] = field(default_factory=list)  # the VCU sheet
    asks: list[Ask] = field(default_factory=list)  # the Report's escalations and asks


@dataclass(frozen=True)
class AreaMonth:
    area: str
    planned: Decimal
    cumulative_planned: Decimal
    days: Decimal | None  # None: a month after the current one
    cumulative_days: Decimal | None
    net: Decimal | None


@dataclass(frozen=True)
class ReturnLine:
    month: dt.date
    version: int
    issued: dt.date | None  # None when the Audit row's time cannot be read
    days_after_month_end: int | None
    rows: int | None
    net: Decimal | None


@dataclass(frozen=True)
class InvoiceLine:
    month: dt.date
    number: str
    row: int | None
    net: Decimal
    vat: Decimal
    gross: Decimal
    tracker_net: Decimal
    result: str  # "PASS" or "FAIL"
    codes: tuple[str, ...]


@dataclass(frozen=True)
class MonthKPI:
    month: dt.date
    in_term: bool
    reported: bool  # False for months after the current one: plan only
    areas: list[AreaMonth]
    planned: Decimal
    cumulative_planned: Decimal
    days: Decimal | None = None
    net: Decimal | None = None
    vat: Decimal | None = None
    gross: Decimal | None = None
    cumulative_days: Decimal | None = None
    cumulative_net: Decimal | None = None
    cumulative_gross: Decimal | None = None
    cap_used: Decimal | None = None  # ratio, 4 places, of the cumulative net
    headroom: Decimal | None = None
    forecast_end: Decimal | None = None  # as at this month, as its return states it
    forecast_break: Decimal | None = None
    return_issued: dt.date | None = None  # first version
    return_days_after: int | None = None
    return_versions: int = 0
    invoice: str = ""  # "PASS", "FAIL: codes", "" when none on the Invoices sheet


@dataclass(frozen=True)
class RatingCount:
    month: dt.date
    area: str
    red: int
    amber: int
    green: int
    not_rated: int


@dataclass(frozen=True)
class EHCPLine:
    month: dt.date
    area: str
    issued: int | None
    within_20_weeks: int | None
    pct: Decimal | None
    trajectory: Decimal | None
    versus_trajectory: str


@dataclass(frozen=True)
class SEN2Line:
    year: int
    area: str
    pct: Decimal | None
    published: str


@dataclass(frozen=True)
class RiskLine:
    id: str
    area: str
    outcome: str
    likelihood: int | None
    impact: int | None
    score: int | None
    owner: str
    status: str
    escalate: bool


@dataclass(frozen=True)
class RiskSummary:
    threshold: int
    open: int
    at_or_above_threshold: int
    escalations: int  # open risks flagged for VCU or with status Escalated
    by_score: dict[int, int]  # score -> open risks (scores without any left out)
    unscored: int
    lines: list[RiskLine] = field(default_factory=list)  # open risks, highest score first


@dataclass(frozen=True)
class Escalations:
    """What stands escalated now, in a contract manager's words: the areas the latest
    recommendation to VCU calls Not sufficient, open risks escalated to VCU, and escalations
    and asks of the Department not yet resolved."""

    month: dt.date | None  # the latest month with a recommendation to VCU
    not_sufficient: tuple[str, ...]  # areas recommended Not sufficient that month
    risks: int  # open risks flagged for VCU or with the status Escalated
    asks: int  # escalations and asks of the Department (Report sheet) not resolved

    @property
    def total(self) -> int:
        return len(self.not_sufficient) + self.risks + self.asks


@dataclass(frozen=True)
class AreaSummary:
    area: str
    allocated: Decimal
    planned_to_date: Decimal
    days: Decimal
    remaining: Decimal
    net: Decimal


@dataclass(frozen=True)
class MI:
    terms: Terms
    today: dt.date
    totals: Totals  # as `calloff totals` gives them
    rows_with_errors: int
    months: list[MonthKPI]
    areas: list[AreaSummary]
    ratings: list[RatingCount]
    ehcp: list[EHCPLine]
    sen2: list[SEN2Line]
    risks: RiskSummary
    returns: list[ReturnLine]
    invoices: list[InvoiceLine]
    invoices_problem: str | None
    escalations: Escalations = Escalations(None, (), 0, 0)

    @property
    def area_names(self) -> list[str]:
        return [a.short for a in self.terms.areas]


def last_work_month(terms: Terms) -> dt.date:
    """The last month work may be done: the contract end, or the break if it terminated."""
    return month_start(terms.contract_end)  # the end in force (xlsrc.model.terms.effective)


def _break_ahead(terms: Terms, day: dt.date) -> bool:
    """A forecast to the break means something only while the break is still ahead (as the
    return words it)."""
    brk = terms.dates.break_
    return brk is not None and brk > day


def month_end(month: dt.date) -> dt.date:
    return add_months(month_start(month), 1) - dt.timedelta(days=1)


def compute_mi(src: Sources) -> MI:
    terms = src.terms
    totals = compute_totals(terms, src.entries)
    current = month_start(src.today)
    last = last_work_month(terms)
    if totals.AsOfMonth is not None:
        last = max(last, totals.AsOfMonth)
    last = min(last, month_start(terms.latest_possible_end))  # the Budget's last month
    wanted = set(months_in_range(terms.dates.start, last))
    reported_until = max(current, totals.AsOfMonth or current)
    plan = planned_days(terms)
    returns = _returns(src.audit)
    invoices = _invoices(src.invoices)

    months: list[MonthKPI] = []
    cumulative_plan: dict[str, Decimal] = {a.short: ZERO for a in terms.areas}
    cumulative_days: dict[str, Decimal] = {a.short: ZERO for a in terms.areas}
    for m in totals.months:
        if m.month not in wanted:
            continue
        reported = m.month <= reported_until
        areas = []
        for name in cumulative_plan:
            planned = planned_for(plan, m.month, name)
            cumulative_plan[name] += planned
            cumulative_days[name] += m.days_by_area[name]
            areas.append(
                AreaMonth(
                    area=name,
                    planned=planned,
                    cumulative_planned=cumulative_plan[name],
                    days=m.days_by_area[name] if reported else None,
                    cumulative_days=cumulative_days[name] if reported else None,
                    net=m.net_by_area[name] if reported else None,
                )
            )
        base = MonthKPI(
            month=m.month,
            in_term=m.in_term,
            reported=reported,
            areas=areas,
            planned=sum((a.planned for a in areas), ZERO),
            cumulative_planned=sum(cumulative_plan.values(), ZERO),
        )
        if not reported:
            months.append(base)
            continue
        as_at = totals_as_at(terms, src.entries, m.month)
        issued = [r for r in returns if r.month == m.month]
        first = min(issued, key=lambda r: r.version) if issued else None
        months.append(
            replace(
                base,
                days=m.days,
                net=m.net,
                vat=m.vat,
                gross=m.gross,
                cumulative_days=sum(cumulative_days.values(), ZERO),
                cumulative_net=m.cumulative_net,
                cumulative_gross=m.cumulative_gross,
                cap_used=round_ratio(m.cumulative_net / m.cap),
                headroom=m.cap - m.cumulative_net,
                forecast_end=as_at.ForecastEnd,
                forecast_break=(
                    as_at.ForecastBreak if _break_ahead(terms, month_end(m.month)) else None
                ),
                return_issued=first.issued if first else None,
                return_days_after=first.days_after_month_end if first else None,
                return_versions=len(issued),
                invoice=_invoice_result([i for i in invoices if i.month == m.month]),
            )
        )

    reported_months = [m.month for m in months if m.reported]
    return MI(
        terms=terms,
        today=src.today,
        totals=totals,
        rows_with_errors=src.rows_with_errors,
        months=months,
        areas=_areas(terms, totals, months),
        ratings=_ratings(terms, src.annexa, reported_months),
        ehcp=_ehcp(src.ehcp, [a.short for a in terms.areas], set(reported_months)),
        sen2=_sen2(src.sen2, [a.short for a in terms.areas]),
        risks=_risks(src.risks, terms.reporting.risk_score_threshold),
        returns=returns,
        invoices=invoices,
        invoices_problem=src.invoices_problem,
        escalations=escalations(src.recommendations, src.risks, src.asks, src.today),
    )


def escalations(
    recommendations: list[Recommendation], risks: list[Risk], asks: list[Ask], today: dt.date
) -> Escalations:
    """What stands escalated on `today` (Escalations)."""
    given = [r for r in recommendations if r.recommendation and r.month <= month_start(today)]
    latest = max((r.month for r in given), default=None)
    not_sufficient = tuple(
        r.area
        for r in given
        if r.month == latest and (r.recommendation or "").strip().lower() == NOT_SUFFICIENT
    )
    open_asks = sum(a.resolved is None and (a.raised is None or a.raised <= today) for a in asks)
    return Escalations(latest, not_sufficient, sum(is_escalation(r) for r in risks), open_asks)


def _areas(terms: Terms, totals: Totals, months: list[MonthKPI]) -> list[AreaSummary]:
    reported = [m for m in months if m.reported]
    out = []
    for a in totals.areas:
        planned = reported[-1].areas if reported else []
        to_date = next((x.cumulative_planned for x in planned if x.area == a.area), ZERO)
        out.append(AreaSummary(a.area, a.days_allocated, to_date, a.days, a.days_remaining, a.net))
    return out


def _ratings(terms: Terms, annexa: list[AnnexARow], months: list[dt.date]) -> list[RatingCount]:
    """Per reported month and area: how many Annex A rows are rated each colour."""
    out = []
    for month in months:
        header = layout.month_header(month)
        for area in terms.areas:
            rows = [r for r in annexa if r.area == area.short]
            colours = Counter(r.ratings.get(header, "") for r in rows)
            red, amber, green = (colours.get(c, 0) for c in RAG)
            out.append(
                RatingCount(month, area.short, red, amber, green, len(rows) - red - amber - green)
            )
    return out


def _ehcp(figures: list[EHCPMonth], areas: list[str], months: set[dt.date]) -> list[EHCPLine]:
    """Each area's local monthly figure against its trajectory (as the monthly return does):
    every reported month, and any other month with a figure typed."""
    order = {a: n for n, a in enumerate(areas)}
    out = []
    for f in sorted(figures, key=lambda f: (f.month, order.get(f.area, len(order)), f.area)):
        if month_start(f.month) not in months and f.issued is None and f.within_20_weeks is None:
            continue
        pct, trajectory, versus = f.timeliness()
        out.append(
            EHCPLine(
                month_start(f.month), f.area, f.issued, f.within_20_weeks, pct, trajectory, versus
            )
        )
    return out


def _sen2(years: list[SEN2Year], areas: list[str]) -> list[SEN2Line]:
    order = {a: n for n, a in enumerate(areas)}
    ranked = sorted(years, key=lambda s: (s.year, order.get(s.area, len(order)), s.area))
    return [SEN2Line(s.year, s.area, ratio(s.pct), s.published) for s in ranked]


def _whole(value: object) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    return None


def is_open(risk: Risk) -> bool:
    return risk.status.strip().lower() != CLOSED


def is_escalation(risk: Risk) -> bool:
    """An open risk flagged for VCU, or with the status Escalated."""
    return is_open(risk) and (risk.escalate or risk.status.strip().lower() == ESCALATED)


def _risks(risks: list[Risk], threshold: int) -> RiskSummary:
    """The Risks sheet as it stands now (it keeps no history): open risks by score."""
    still_open = [r for r in risks if is_open(r)]
    scores = Counter(r.score for r in still_open if r.score is not None)
    lines = [
        RiskLine(
            r.id,
            r.area,
            r.outcome,
            _whole(r.likelihood),
            _whole(r.impact),
            r.score,
            r.owner,
            r.status,
            r.escalate,
        )
        for r in still_open
    ]
    lines.sort(key=lambda r: (-(r.score or 0), r.id))
    return RiskSummary(
        threshold=threshold,
        open=len(still_open),
        at_or_above_threshold=sum(n for s, n in scores.items() if s >= threshold),
        escalations=sum(is_escalation(r) for r in risks),
        by_score=dict(sorted(scores.items(), reverse=True)),
        unscored=sum(r.score is None for r in still_open),
        lines=lines,
    )


def issued_on(when: str) -> dt.date | None:
    """The date of an Audit row's time ("2025-07-15 09:30:00 UTC", or a date typed there)."""
    try:
        return dt.date.fromisoformat(when.strip()[:10])
    except ValueError:
        return None


def _returns(audit: list[AuditRow]) -> list[ReturnLine]:
    out = []
    for row in audit:
        if row.action != layout.RETURN_ISSUED or not row.month:
            continue
        try:
            month = fmt.parse_month(row.month)
        except ValueError:
            continue
        issued = issued_on(row.when)
        late = (issued - month_end(month)).days if issued else None
        out.append(ReturnLine(month, row.version or 1, issued, late, row.rows, row.net))
    return sorted(out, key=lambda r: (r.month, r.version))


def _invoices(checks: list[InvoiceCheck]) -> list[InvoiceLine]:
    return [
        InvoiceLine(
            month=c.invoice.month,
            number=c.invoice.number,
            row=c.invoice.row,
            net=c.invoice.net,
            vat=c.invoice.vat,
            gross=c.invoice.gross,
            tracker_net=c.tracker.net,
            result="PASS" if c.passed else "FAIL",
            codes=tuple(d.code for d in c.differences),
        )
        for c in checks
    ]


def _invoice_result(lines: list[InvoiceLine]) -> str:
    if not lines:
        return ""
    failed = [code for line in lines for code in line.codes]
    if not failed:
        return "PASS"
    return "FAIL: " + ", ".join(dict.fromkeys(failed))
