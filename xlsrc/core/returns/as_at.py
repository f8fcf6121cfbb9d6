"""What was true and known at a return's date (its month's end, or an interim return's date):
the decisions decided by then, the plans as they stood, the risk register as last reviewed.

A return built (or rebuilt) at any later time draws only on this, so it shows the same page
as the one built at the time."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from xlsrc.model.records import PlanItem, Risk
from xlsrc.model.terms.effective import CONTINUED, NOT_YET_DECIDED, TERMINATED
from xlsrc.model.terms.models import Terms

OPEN = "Open"
DONE = "Done"
CLOSED = "closed"
# Words of a risk about the break (the register's seeded R-01: "terminates at the break").
BREAK_WORDS = ("the break",)


def plan_as_at(item: PlanItem, day: dt.date) -> PlanItem:
    """A plan action as it stood on `day`: completed later means not completed then."""
    if item.completed is not None and item.completed > day:
        return replace(item, completed=None, status=OPEN)
    if item.completed is not None:
        return replace(item, status=DONE)
    return item


def known_on(risk: Risk) -> dt.date | None:
    """The date a risk row speaks for: its review, else when the risk was raised."""
    return risk.reviewed or risk.raised


def risks_as_at(risks: list[Risk], day: dt.date) -> list[Risk]:
    """Each risk's latest review dated by `day` (rows of the same ID are its reviews; a row
    with no date stands from the start), in the register's order of first appearance."""
    latest: dict[str, Risk] = {}
    for r in risks:
        when = known_on(r)
        if when is not None and when > day:
            continue
        before = latest.get(r.id)
        if before is None or (known_on(before) or dt.date.min) <= (when or dt.date.min):
            latest[r.id] = r
    return list(latest.values())


def is_closed(risk: Risk) -> bool:
    return risk.status.strip().lower() == CLOSED


def moot_risks(terms: Terms, risks: list[Risk], day: dt.date) -> list[tuple[Risk, str]]:
    """Open risks a decision in force by `day` has made moot, each with why: a risk about
    the break, once the break is decided and passed, not reviewed since the decision."""
    term, brk = terms.effective, terms.dates.break_
    if brk is None or term.break_state == NOT_YET_DECIDED or brk > day:
        return []
    decision = next(
        (d for d in terms.decisions if d.kind in ("continue", "terminate-at-break")), None
    )
    decided = decision.decided if decision else brk
    what = {CONTINUED: "continued past", TERMINATED: "terminated the contract at"}.get(
        term.break_state, "decided"
    )
    why = (
        f"the Department {what} the break ({brk:%d/%m/%Y}) on {decided:%d/%m/%Y}: "
        "review it (close it, or say why it stands) on the Risks sheet"
    )
    out = []
    for r in risks:
        text = (r.description.value if r.description else "").lower()
        reviewed = known_on(r)
        if is_closed(r) or not any(w in text for w in BREAK_WORDS):
            continue
        if reviewed is None or reviewed < decided:
            out.append((r, why))
    return out
