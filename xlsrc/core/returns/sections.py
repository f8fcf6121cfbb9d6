"""The return's report sections beyond delivery and Annex A: per-area summary and days against
allocation, meetings attended, improvement-plan progress, next month's plan, escalations and
asks, sign-off, and what the month did not record. Plain data in, model lines out; every piece
of free text shown is added to `texts` for the confidentiality check."""

from __future__ import annotations

import datetime as dt

from xlsrc.core.returns.as_at import is_closed, known_on
from xlsrc.core.returns.model import (
    AreaProgress,
    AreaSummary,
    AskLine,
    CloseOut,
    KeyDateLine,
    Meeting,
    NextMonth,
    PlanLine,
    PlanProgress,
    Progress,
    TermState,
    Timeliness,
    VCULine,
)
from xlsrc.core.totals.budget import AreaTotals, Totals
from xlsrc.model.dates import add_months
from xlsrc.model.entry import Entry
from xlsrc.model.money import ZERO
from xlsrc.model.records import AreaReport, Ask, KeyDate, PlanItem, Risk, SignOff, Text
from xlsrc.model.terms.decisions import Decision
from xlsrc.model.terms.effective import NO_BREAK, NOT_YET_DECIDED
from xlsrc.model.terms.models import Terms

# Tracker activities that are meetings the supplier attends (matched by these words, so a
# terms file's own activity names are recognised): SIB / board meetings, deep dives,
# stocktakes, DfE / VCU reviews, health partners, DBV / Safety Valve liaison.
MEETING_WORDS = (
    "meeting",
    "sib",
    "board",
    "deep dive",
    "stocktake",
    "review",
    "partners",
    "liaison",
)
NOT_RECORDED = "Not recorded"  # a VCU line with no recommendation for the month
NOT_SUFFICIENT = "Not sufficient"  # a recommendation that calls for more frequent reports
DBV_WORDS = ("dbv", "safety valve", "delivering better value")
# Annex A wording that makes an area's EHCP timeliness part of the contract.
EHCP_WORDS = ("ehcp", "ehc plan")
# Order form 4.2: information is confidential for the duration of the contract; the final
# return confirms it was kept so.
CONFIDENTIALITY_CONFIRMATION = (
    "The supplier confirms that the information the order form deems Confidential "
    "Information (section 4.1: management information about the local areas, names and "
    "contact details of Department, local authority and advisor personnel, unpublished DSG "
    "deficit data) was kept confidential for the duration of the contract (section 4.2), "
    "and that no return showed names, contact details or unpublished DSG figures."
)


def ehcp_areas(terms: Terms) -> list[str]:
    """The areas whose Annex A outcomes or success measures speak of EHCPs: the return's
    EHCP timeliness section shows these (none: no section, and no EHCP figure is asked for)."""
    out = []
    for area in terms.areas:
        for outcome in terms.outcomes_for(area.code):
            words = " ".join(
                [outcome.text, outcome.full_wording]
                + [terms.measure_text(outcome, m) for m in outcome.measures]
            )
            if _has(words, EHCP_WORDS):
                out.append(area.short)
                break
    return out


def _decision_words(d: Decision) -> str:
    detail = {
        "extend": f" by {d.months} month(s)",
        "end-early": f" on {d.effective:%d/%m/%Y}" if d.effective else "",
        "days-per-month": f": {d.days_per_month} days per month from {d.effective:%d/%m/%Y}"
        if d.effective
        else "",
        "day-rate": f": £{d.rate} from {d.effective:%d/%m/%Y}" if d.effective else "",
        "allocation": f": {d.area} {d.days} days" if d.area else "",
    }.get(d.kind, "")
    return f"{d.label}{detail} (decided {d.decided:%d/%m/%Y} by {d.by})"


def term_state(terms: Terms, day: dt.date) -> TermState:
    """The term as it stood on `day` (`terms` already hold only the decisions known then)."""
    term = terms.effective
    return TermState(
        end=term.end,
        break_date=terms.dates.break_,
        break_state=term.break_state,
        decisions=[_decision_words(d) for d in sorted(terms.decisions, key=lambda d: d.decided)],
    )


def break_words(state: TermState, day: dt.date) -> str:
    """The break in one line, as it stood on `day`."""
    if state.break_date is None or state.break_state == NO_BREAK:
        return "No break in the order form."
    when = f"{state.break_date:%d/%m/%Y}"
    if state.break_state == NOT_YET_DECIDED:
        return f"Break {when}: not yet decided by {day:%d/%m/%Y}."
    decided = next((d for d in state.decisions if "break" in d.lower()), state.break_state)
    return f"Break {when}: {decided}."


def closeout(
    terms: Terms,
    totals: Totals,
    annex_a: list[AreaProgress],
    register: list[Risk],
) -> CloseOut:
    """The final return's close-out: the whole contract, days against allocation, outcomes
    reached (Green in the final month), risks closed and open, the confidentiality line."""
    allocated = {a.short: a.days_allocated for a in terms.areas}
    reached: list[str] = []
    not_reached: list[str] = []
    for area in annex_a:
        for o in area.outcomes:
            line = f"{area.area}: {o.outcome} ({o.rating or 'not rated'})"
            (reached if o.rating == "Green" else not_reached).append(line)
    closed: list[str] = []
    still_open: list[str] = []
    for r in register:
        text = r.description.value if r.description else ""
        if is_closed(r):
            when = known_on(r)
            on = f" {when:%d/%m/%Y}" if when else ""
            closed.append(f"{r.id} (closed{on}): {text}")
        else:
            still_open.append(f"{r.id} ({r.status or 'no status'}): {text}")
    return CloseOut(
        start=terms.dates.start,
        end=terms.contract_end,
        days=totals.TotalDays,
        net=totals.TotalNet,
        gross=totals.TotalGross,
        cap=terms.cap_now,
        by_area=[(a.area, a.days, allocated.get(a.area, ZERO)) for a in totals.areas],
        outcomes_reached=reached,
        outcomes_not_reached=not_reached,
        risks_closed=closed,
        risks_open=still_open,
        confidentiality=CONFIDENTIALITY_CONFIRMATION,
    )


def _has(text: str, words: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(w in low for w in words)


def _keep(texts: list[Text], *items: Text | None) -> str:
    """The first item's value ('' when absent); every item present goes to `texts`."""
    for t in items:
        if t is not None:
            texts.append(t)
    return items[0].value if items and items[0] is not None else ""


def summaries(
    terms: Terms,
    month: dt.date,
    mine: list[Entry],
    areas_to_date: list[AreaTotals],
    reports: list[AreaReport],
    vcu: list[VCULine],
    texts: list[Text],
) -> list[AreaSummary]:
    to_date = {a.area: a for a in areas_to_date}
    out = []
    for area in terms.areas:
        report = next((r for r in reports if r.month == month and r.area == area.short), None)
        rows = [e for e in mine if e.area == area.short]
        dbv_days = sum((e.days for e in rows if _has(e.activity, DBV_WORDS)), ZERO)
        totals = to_date.get(area.short)
        out.append(
            AreaSummary(
                area=area.short,
                judgement=_keep(texts, report.judgement) if report else "",
                narrative=_keep(texts, report.narrative) if report else "",
                dbv=_keep(texts, report.dbv) if report else "",
                dbv_days=dbv_days,
                days_month=sum((e.days for e in rows), ZERO),
                days_to_date=totals.days if totals else ZERO,
                allocated=area.days_allocated,
                recommendation=next((v.recommendation for v in vcu if v.area == area.short), ""),
            )
        )
    return out


def meetings(terms: Terms, mine: list[Entry]) -> list[Meeting]:
    roles = {a.id: a.role for a in terms.advisors}
    return [
        Meeting(e.date, e.area, e.activity, e.advisor, roles.get(e.advisor, ""), e.days)
        for e in sorted(mine, key=lambda e: (e.date, e.area, e.advisor))
        if _has(e.activity, MEETING_WORDS)
    ]


def plans(
    items: list[PlanItem], month: dt.date, texts: list[Text], as_at: dt.date | None = None
) -> PlanProgress:
    """Judged from the dates, so a return built later shows the plans as at its month's end
    (an interim return: its date): due in the month; completed in the month; slipped = due by
    then and not completed by then."""
    end = as_at or add_months(month, 1) - dt.timedelta(days=1)

    def line(p: PlanItem) -> PlanLine:
        return PlanLine(
            p.area,
            p.plan,
            _keep(texts, p.action),
            p.due,
            p.completed,
            p.status,
            _keep(texts, p.evidence),
        )

    def done_by(p: PlanItem, day: dt.date) -> bool:
        return p.completed is not None and p.completed <= day

    due = [line(p) for p in items if p.due and month <= p.due <= end]
    completed = [line(p) for p in items if p.completed and month <= p.completed <= end]
    slipped = [line(p) for p in items if p.due and p.due <= end and not done_by(p, end)]
    due_by_end = [p for p in items if p.due and p.due <= end]
    return PlanProgress(
        due=due,
        completed=completed,
        slipped=slipped,
        total=len(due_by_end),
        done_by_month_end=sum(done_by(p, end) for p in due_by_end),
        as_at=end,
    )


def next_month(
    terms: Terms,
    month: dt.date,
    reports: list[AreaReport],
    key_dates: list[KeyDate],
    texts: list[Text],
) -> NextMonth:
    days = []
    for area in terms.areas:
        report = next((r for r in reports if r.month == month and r.area == area.short), None)
        days.append((area.short, report.days_next_month if report else None))
    end = terms.contract_end  # nothing is planned past the end in force
    dates = [
        KeyDateLine(k.date, k.area, k.event, _keep(texts, k.activity), k.days)
        for k in sorted(
            (k for k in key_dates if k.month == month and (k.date is None or k.date <= end)),
            key=lambda k: (k.date or dt.date.max, k.area),
        )
    ]
    return NextMonth(add_months(month, 1), days, dates)


def asks(items: list[Ask], month: dt.date, texts: list[Text]) -> list[AskLine]:
    """Raised by the month's end and not resolved before the month began."""
    end = add_months(month, 1) - dt.timedelta(days=1)
    out = []
    for a in items:
        if a.raised is not None and a.raised > end:
            continue
        if a.resolved is not None and a.resolved < month:
            continue
        resolved = a.resolved if a.resolved and a.resolved <= end else None
        status = a.status if resolved or a.status.lower() == "open" else "Open"
        out.append(AskLine(a.raised, a.area, _keep(texts, a.text), a.owner, status, resolved))
    return sorted(out, key=lambda a: (a.raised or dt.date.min, a.area))


def signoff(items: list[SignOff], month: dt.date) -> SignOff | None:
    found = next((s for s in items if s.month == month), None)
    if found is None or not any(
        (found.prepared_by, found.approved_by, found.invoice, found.purchase_order)
    ):
        return None
    return found


def not_recorded(
    progress: list[Progress], timeliness: list[Timeliness], vcu: list[VCULine]
) -> list[str]:
    """What a case lead expects and the month lacks: issuing needs a confirmation, and the
    return says so. (A month with some measures unrated says how many in its Annex A.)"""
    out = []
    if progress and not any(p.rating for p in progress):
        out.append("no Annex A rating")
    if missing := [t.area for t in timeliness if t.issued is None]:
        out.append("no EHCP figure for " + ", ".join(missing))
    if missing := [v.area for v in vcu if v.recommendation == NOT_RECORDED]:
        out.append("no VCU recommendation for " + ", ".join(missing))
    return out
