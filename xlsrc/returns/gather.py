"""Gather one month's return from the workbook's data (plain data in, MonthlyReturn out)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from xlsrc import fmt, layout
from xlsrc.dates import add_months, month_start
from xlsrc.fileio.progress_reader import (
    AnnexARow,
    EHCPMonth,
    Recommendation,
    Risk,
    SEN2Year,
    Text,
)
from xlsrc.money import ZERO, line_cost, round_ratio, to_decimal, vat_on
from xlsrc.returns.model import (
    AreaNarrative,
    Delivery,
    Line,
    MonthlyReturn,
    Progress,
    RiskLine,
    Timeliness,
    VCULine,
)
from xlsrc.returns.month_fingerprint import fingerprint, month_entries
from xlsrc.terms.models import Terms
from xlsrc.totals import compute_totals
from xlsrc.tracker.model import Entry

RAG_ORDER = {"Red": 0, "Amber": 1, "Green": 2}
NOTES_COLUMN = "G"  # the Tracker's Notes column


@dataclass(frozen=True)
class Inputs:
    """Everything a return draws on, read from one workbook."""

    terms: Terms
    entries: list[Entry]
    annexa: list[AnnexARow]
    ehcp: list[EHCPMonth]
    sen2: list[SEN2Year]
    recommendations: list[Recommendation]
    risks: list[Risk]


def gather(
    inputs: Inputs, month: dt.date, *, prepared: dt.date, version: int
) -> tuple[MonthlyReturn, list[Text]]:
    """The return for `month`, and every piece of free text it shows (to be checked)."""
    terms = inputs.terms
    month = month_start(month)
    month_end = add_months(month, 1) - dt.timedelta(days=1)
    mine = sorted(month_entries(inputs.entries, month), key=lambda e: (e.date, e.row))
    to_date = [e for e in inputs.entries if e.date <= month_end]
    totals = compute_totals(terms, to_date)
    month_row = next(m for m in totals.months if m.month == month)
    texts: list[Text] = []

    delivery = Delivery(
        days=month_row.days,
        net=month_row.net,
        vat=month_row.vat,
        gross=month_row.gross,
        by_area=[
            Line(a, month_row.days_by_area[a], month_row.net_by_area[a])
            for a in month_row.days_by_area
        ],
        by_advisor=_by_advisor(mine, terms.effective.rate_on),
        cumulative_days=totals.TotalDays,
        cumulative_net=totals.TotalNet,
        cumulative_gross=totals.TotalGross,
        cap=terms.money.cap,
        cap_used=round_ratio(totals.TotalNet / terms.money.cap),
        headroom=totals.Headroom,
        alert=totals.AlertBand,
        forecast_end=totals.ForecastEnd,
        forecast_break=totals.ForecastBreak if terms.dates.break_ else None,
        contract_end=terms.contract_end,
        break_date=terms.dates.break_,
    )
    narrative = []
    for area in terms.areas:
        rows = [e for e in mine if e.area == area.short]
        if not rows:
            continue
        notes = []
        for e in rows:
            if e.notes:
                texts.append(Text(e.notes, f"{layout.TRACKER}!{NOTES_COLUMN}{e.row}"))
                if e.notes not in notes:
                    notes.append(e.notes)
        narrative.append(_narrative(area.short, rows, terms, notes, month))

    progress = _progress(inputs.annexa, month, texts)
    timeliness = _timeliness(inputs, month, texts)
    risks = _risks(inputs.risks, terms.reporting.risk_score_threshold, texts)
    vcu = _vcu(inputs, month, texts)
    ret = MonthlyReturn(
        contract_id=terms.contract.id,
        reference=terms.contract.reference,
        supplier=terms.contract.supplier,
        authority=terms.contract.authority,
        marking=terms.contract.protective_marking,
        month=month,
        prepared=prepared,
        version=version,
        day_rate=terms.effective.rate_on(month),  # rates change from a month's first day
        vat_rate=terms.money.vat_rate,
        delivery=delivery,
        narrative=narrative,
        progress=progress,
        timeliness=timeliness,
        risks=risks,
        vcu=vcu,
        entries_fingerprint=fingerprint(mine),
        entry_count=len(mine),
    )
    return ret, texts


def _charge(rows: list[Entry], terms: Terms) -> str:
    """ "5.5 days × £650.00", one part per rate in force in the month; PLACEHOLDER said."""
    days_at: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for e in rows:
        days_at[terms.effective.rate_on(e.date)] += e.days
    text = " + ".join(f"{fmt.days(d)} × {fmt.money(r)}" for r, d in days_at.items())
    return text + (" (PLACEHOLDER day rate)" if terms.money.day_rate_is_placeholder else "")


def _by_advisor(entries: list[Entry], rate_on: Callable[[dt.date], Decimal]) -> list[Line]:
    days: dict[str, Decimal] = defaultdict(lambda: ZERO)
    net: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for e in entries:
        days[e.advisor] += e.days
        net[e.advisor] += line_cost(e.days, rate_on(e.date))
    return [Line(a, days[a], net[a]) for a in sorted(days)]


def _narrative(
    area: str, rows: list[Entry], terms: Terms, notes: list[str], month: dt.date
) -> AreaNarrative:
    by_activity: dict[str, Decimal] = defaultdict(lambda: ZERO)
    outcomes: list[str] = []
    for e in rows:
        by_activity[e.activity] += e.days
        outcomes += [o for o in e.outcomes if o not in outcomes]
    days = sum((e.days for e in rows), ZERO)
    rate_on = terms.effective.rate_on
    net = sum((line_cost(e.days, rate_on(e.date)) for e in rows), ZERO)
    parts = "; ".join(f"{a} ({fmt.days(d)})" for a, d in by_activity.items())
    text = {o.id: o.text.rstrip(".") for o in terms.outcomes}
    served = "; ".join(f"{o} ({text[o]})" for o in outcomes if o in text)
    paragraph = (
        f"In {month:%B %Y} the supplier delivered {fmt.days(days)} in {area}: {parts}. "
        + (f"This work served the Annex A outcomes {served}. " if served else "")
        + f"Charge: {_charge(rows, terms)} = {fmt.money(net)} excluding VAT."
    )
    return AreaNarrative(area, days, net, paragraph, notes)


def _progress(annexa: list[AnnexARow], month: dt.date, texts: list[Text]) -> list[Progress]:
    this, last = layout.month_header(month), layout.month_header(add_months(month, -1))
    out = []
    for row in annexa:
        rating, previous = row.ratings.get(this, ""), row.ratings.get(last, "")
        for t in (row.evidence, row.next_steps):
            if t is not None:
                texts.append(t)
        out.append(
            Progress(
                area=row.area,
                outcome=row.outcome,
                measure=row.measure,
                rating=rating,
                previous=previous,
                change=_change(previous, rating),
                evidence=row.evidence.value if row.evidence else "",
                next_steps=row.next_steps.value if row.next_steps else "",
                evidenced=bool(rating and row.evidence),
            )
        )
    return out


def _change(previous: str, rating: str) -> str:
    if not rating:
        return "not rated"
    if not previous:
        return "new"
    a, b = RAG_ORDER.get(previous, -1), RAG_ORDER.get(rating, -1)
    return "same" if a == b else ("improved" if b > a else "worse")


def _timeliness(inputs: Inputs, month: dt.date, texts: list[Text]) -> list[Timeliness]:
    out = []
    for area in inputs.terms.areas:
        figures = next((x for x in inputs.ehcp if x.area == area.short and x.month == month), None)
        sen2 = max(
            (s for s in inputs.sen2 if s.area == area.short and s.year <= month.year),
            key=lambda s: s.year,
            default=None,
        )
        issued = figures.issued if figures else None
        within = figures.within_20_weeks if figures else None
        pct = (
            round_ratio(Decimal(within) / Decimal(issued))
            if issued and within is not None
            else None
        )
        trajectory = _ratio(figures.trajectory) if figures else None
        if figures and figures.note:
            texts.append(figures.note)
        if pct is None or trajectory is None:
            versus = "no figure" if pct is None else "no trajectory set"
        else:
            versus = (
                "on trajectory"
                if pct == trajectory
                else ("above trajectory" if pct > trajectory else "below trajectory")
            )
        out.append(
            Timeliness(
                area.short,
                issued,
                within,
                pct,
                trajectory,
                versus,
                sen2.year if sen2 else None,
                _ratio(sen2.pct) if sen2 else None,
            )
        )
    return out


def _ratio(value: object) -> Decimal | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round_ratio(to_decimal(value))
    return None


def _risks(risks: list[Risk], threshold: int, texts: list[Text]) -> list[RiskLine]:
    out = []
    for r in risks:
        if r.status.lower() == "closed":
            continue
        if not (r.escalate or (r.score is not None and r.score >= threshold)):
            continue
        for t in (r.description, r.mitigation):
            if t is not None:
                texts.append(t)
        out.append(
            RiskLine(
                r.id,
                r.area,
                r.description.value if r.description else "",
                r.score,
                r.owner,
                r.escalate,
                r.status,
                r.mitigation.value if r.mitigation else "",
            )
        )
    return sorted(out, key=lambda r: (-(r.score or 0), r.id))


def _vcu(inputs: Inputs, month: dt.date, texts: list[Text]) -> list[VCULine]:
    out = []
    for area in inputs.terms.areas:
        rec = next(
            (r for r in inputs.recommendations if r.area == area.short and r.month == month), None
        )
        if rec and rec.reason:
            texts.append(rec.reason)
        out.append(
            VCULine(
                area.short,
                (rec.recommendation if rec and rec.recommendation else "Not recorded"),
                rec.reason.value if rec and rec.reason else "",
            )
        )
    return out


def invoice_line(ret: MonthlyReturn) -> str:
    d = ret.delivery
    return (
        f"{fmt.days(d.days)} × {fmt.money(ret.day_rate)} = {fmt.money(d.net)} net; VAT at "
        f"{(ret.vat_rate * 100).normalize():f}% {fmt.money(vat_on(d.net, ret.vat_rate))}; "
        f"gross {fmt.money(d.gross)}"
    )
