"""Gather one month's return from the workbook's data (plain data in, MonthlyReturn out)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from xlsrc.core.invoices.check import Invoice, invoiced
from xlsrc.core.returns import consistency, rollup, sections
from xlsrc.core.returns.as_at import moot_risks, plan_as_at, risks_as_at
from xlsrc.core.returns.model import (
    AreaNarrative,
    AreaProgress,
    Delivery,
    Line,
    MonthlyReturn,
    OutcomeProgress,
    Progress,
    RiskLine,
    Timeliness,
    VCULine,
)
from xlsrc.core.returns.month_fingerprint import fingerprint, month_entries
from xlsrc.core.totals import totals_as_at
from xlsrc.model import fmt, layout
from xlsrc.model.dates import add_months, month_start
from xlsrc.model.entry import Entry
from xlsrc.model.money import ZERO, line_cost, round_ratio, vat_on
from xlsrc.model.records import (
    AnnexARow,
    AreaReport,
    Ask,
    EHCPMonth,
    EvidenceRow,
    KeyDate,
    PlanItem,
    Recommendation,
    Risk,
    SEN2Year,
    SignOff,
    Text,
    ratio,
)
from xlsrc.model.terms.models import RATINGS, Terms

RAG_ORDER = {r: i for i, r in enumerate(RATINGS)}  # worst first
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
    evidence: list[EvidenceRow] = field(default_factory=list)
    plans: list[PlanItem] = field(default_factory=list)
    area_reports: list[AreaReport] = field(default_factory=list)
    key_dates: list[KeyDate] = field(default_factory=list)
    asks: list[Ask] = field(default_factory=list)
    signoffs: list[SignOff] = field(default_factory=list)
    # The invoice register (the Invoices sheet): the sign-off's invoice number comes from it.
    invoices: list[Invoice] = field(default_factory=list)


def gather(
    inputs: Inputs,
    month: dt.date,
    *,
    prepared: dt.date,
    version: int,
    as_at: dt.date | None = None,
) -> tuple[MonthlyReturn, list[Text]]:
    """The return for `month` (an interim return: the month up to `as_at`), and every piece
    of free text it shows (to be checked)."""
    month = month_start(as_at or month)
    month_end = as_at or add_months(month, 1) - dt.timedelta(days=1)
    terms = inputs.terms.as_at(month_end)  # the decisions known at the return's date
    mine = sorted(
        (e for e in month_entries(inputs.entries, month) if e.date <= month_end),
        key=lambda e: (e.date, e.row),
    )
    totals = totals_as_at(terms, inputs.entries, month, month_end)
    end = terms.contract_end
    brk = terms.dates.break_
    break_ahead = brk is not None and brk > month_end
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
        cap=terms.cap_now,
        cap_used=round_ratio(totals.TotalNet / terms.cap_now),
        headroom=totals.Headroom,
        alert=totals.AlertBand,
        forecast_end=totals.ForecastEnd,
        forecast_break=totals.ForecastBreak if break_ahead else None,
        contract_end=end,
        break_date=brk if break_ahead else None,
        by_rate=_by_rate(mine, terms.effective.rate_on),
        invoiced=invoiced(inputs.invoices, totals.TotalNet, terms.cap_now, month_end)
        if inputs.invoices
        else None,
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

    progress = _progress(inputs.annexa, inputs.evidence, month, texts)
    annex_a = _annex_a(terms, progress)
    ehcp_areas = sections.ehcp_areas(terms)
    timeliness = _timeliness(inputs, month, texts, ehcp_areas)
    register = risks_as_at(inputs.risks, month_end)
    risks = _risks(register, terms.reporting.risk_score_threshold, texts)
    is_final = as_at is None and month == month_start(end)
    prepared_due = prepared + dt.timedelta(days=terms.reporting.interim_report_days)
    vcu = _vcu(inputs, month, texts)
    summaries = sections.summaries(
        terms, month, mine, totals.areas, inputs.area_reports, vcu, texts
    )
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
        annex_a=annex_a,
        rag_key=terms.rag_meaning(),
        timeliness=timeliness,
        risks=risks,
        vcu=vcu,
        entries_fingerprint=fingerprint(mine),
        entry_count=len(mine),
        summaries=summaries,
        meetings=sections.meetings(terms, mine),
        plans=sections.plans([plan_as_at(p, month_end) for p in inputs.plans], month, texts, as_at),
        next_month=(
            None
            if add_months(month, 1) > end
            else sections.next_month(terms, month, inputs.area_reports, inputs.key_dates, texts)
        ),
        asks=sections.asks(inputs.asks, month, texts),
        signoff=_signoff(inputs, month, nil=not mine),
        not_recorded=sections.not_recorded(progress, timeliness, vcu),
        as_at=as_at,
        next_report_due=(
            prepared_due
            if any(v.recommendation == sections.NOT_SUFFICIENT for v in vcu)
            and not is_final
            and prepared_due <= end  # nothing is planned past the end in force
            else None
        ),
        term=sections.term_state(terms, month_end),
        is_final=is_final,
        closeout=(sections.closeout(terms, totals, annex_a, register) if is_final else None),
        risk_prompts=[
            f"{r.id} ({r.description.value if r.description else 'no description'}): {why}"
            for r, why in moot_risks(terms, register, month_end)
        ],
        shows_timeliness=bool(ehcp_areas),
        contradictions=consistency.check(
            month,
            [a.short for a in terms.areas],
            inputs.area_reports,
            annex_a,
            inputs.recommendations,
            register,
        ),
        day_rate_placeholder=terms.money.day_rate_is_placeholder,
    )
    return ret, texts


def _signoff(inputs: Inputs, month: dt.date, *, nil: bool) -> SignOff | None:
    """The month's sign-off, its invoice number from the register: the invoices in force
    that cover the month; a nil month shows none. Until the register is kept (it holds no
    invoice at all) the number typed on the Report sheet stands."""
    found = sections.signoff(inputs.signoffs, month)
    if found is None:
        return None
    if nil:
        return replace(found, invoice="")
    numbers = [i.number for i in inputs.invoices if i.in_force and i.covers(month) and i.number]
    if not inputs.invoices:
        return found
    return replace(found, invoice=", ".join(numbers))


def _charge(rows: list[Entry], terms: Terms) -> str:
    """ "5.5 days × £650.00", one part per rate in force in the month (a PLACEHOLDER rate is
    said once, in the invoice section, not on every line)."""
    days_at: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for e in rows:
        days_at[terms.effective.rate_on(e.date)] += e.days
    return " + ".join(f"{fmt.days(d)} × {fmt.money(r)}" for r, d in days_at.items())


def _by_rate(
    entries: list[Entry], rate_on: Callable[[dt.date], Decimal]
) -> list[tuple[Decimal, Decimal, Decimal]]:
    """(rate, days, net) per day rate in force in the month, in the order rates came in."""
    days: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    net: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for e in entries:  # in date order
        rate = rate_on(e.date)
        days[rate] += e.days
        net[rate] += line_cost(e.days, rate)
    return [(r, days[r], net[r]) for r in days]


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


def _progress(
    annexa: list[AnnexARow], evidence: list[EvidenceRow], month: dt.date, texts: list[Text]
) -> list[Progress]:
    """Each measure's rating for the month and the evidence recorded for that month only."""
    this, last = layout.month_header(month), layout.month_header(add_months(month, -1))
    mine = [e for e in evidence if e.month == month]
    out = []
    for row in annexa:
        rating = rollup.rating(row.ratings.get(this, ""))
        previous = rollup.rating(row.ratings.get(last, ""))
        found = [e for e in mine if e.covers(row.area, row.outcome, row.measure)]
        said = [t for e in found for t in (e.evidence, e.next_steps) if t is not None]
        texts.extend(said)
        ev = " ".join(e.evidence.value for e in found if e.evidence)
        steps = " ".join(e.next_steps.value for e in found if e.next_steps)
        out.append(
            Progress(
                area=row.area,
                outcome=row.outcome,
                measure=row.measure,
                measure_text=row.measure_text,
                rating=rating,
                previous=previous,
                change=_change(previous, rating),
                evidence=ev,
                next_steps=steps,
                evidenced=bool(rating and ev),
            )
        )
    return out


def _annex_a(terms: Terms, progress: list[Progress]) -> list[AreaProgress]:
    """Measures grouped under their outcome and area, in the terms' order, with roll-ups."""
    out = []
    for area in terms.areas:
        outcomes = []
        for outcome in terms.outcomes_for(area.code):
            measures = [p for p in progress if p.area == area.short and p.outcome == outcome.id]
            outcomes.append(
                OutcomeProgress(
                    area=area.short,
                    outcome=outcome.id,
                    kind=outcome.kind,
                    wording=list(outcome.wording) or [outcome.text],
                    rating=rollup.worst(m.rating for m in measures),
                    measures=measures,
                )
            )
        out.append(AreaProgress(area.short, rollup.worst(o.rating for o in outcomes), outcomes))
    return out


def _change(previous: str, rating: str) -> str:
    if not rating:
        return "not rated"
    if not previous:
        return "new"
    a, b = RAG_ORDER.get(previous, -1), RAG_ORDER.get(rating, -1)
    return "same" if a == b else ("improved" if b > a else "worse")


def _timeliness(
    inputs: Inputs, month: dt.date, texts: list[Text], areas: list[str]
) -> list[Timeliness]:
    """EHCP timeliness for the areas whose Annex A has EHCP measures (none: no section)."""
    month_end = add_months(month, 1) - dt.timedelta(days=1)
    out = []
    for area in inputs.terms.areas:
        if area.short not in areas:
            continue
        figures = next((x for x in inputs.ehcp if x.area == area.short and x.month == month), None)
        sen2 = max(  # the latest figure published by the month's end
            (
                s
                for s in inputs.sen2
                if s.area == area.short and s.published_on and s.published_on <= month_end
            ),
            key=lambda s: s.year,
            default=None,
        )
        pct, trajectory, versus = figures.timeliness() if figures else (None, None, "no figure")
        if figures and figures.note:
            texts.append(figures.note)
        out.append(
            Timeliness(
                area.short,
                figures.issued if figures else None,
                figures.within_20_weeks if figures else None,
                pct,
                trajectory,
                versus,
                sen2.year if sen2 else None,
                ratio(sen2.pct) if sen2 else None,
                sen2.published_on if sen2 else None,
            )
        )
    return out


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
                r.reviewed or r.raised,
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
                (rec.recommendation if rec and rec.recommendation else sections.NOT_RECORDED),
                rec.reason.value if rec and rec.reason else "",
            )
        )
    return out


def invoice_line(ret: MonthlyReturn) -> str:
    """The invoice in one line: days × rate (one part per rate in force in the month, each
    with its net, when the rate changed within it), net, VAT and gross."""
    d = ret.delivery
    if len(d.by_rate) > 1:
        parts = " + ".join(
            f"{fmt.days(days)} × {fmt.money(rate)} = {fmt.money(net)}"
            for rate, days, net in d.by_rate
        )
        charge = f"{parts}: {fmt.money(d.net)}"
    else:
        rate = d.by_rate[0][0] if d.by_rate else ret.day_rate
        charge = f"{fmt.days(d.days)} × {fmt.money(rate)} = {fmt.money(d.net)}"
    return (
        f"{charge} net; VAT at "
        f"{(ret.vat_rate * 100).normalize():f}% {fmt.money(vat_on(d.net, ret.vat_rate))}; "
        f"gross {fmt.money(d.gross)}"
    )
