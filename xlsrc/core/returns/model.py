"""What a monthly return says, as plain data (no Excel here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from xlsrc.core.invoices.check import Invoiced
from xlsrc.model.records import SignOff


@dataclass(frozen=True)
class Line:
    """A figure broken down by one thing (an area, an advisor)."""

    name: str
    days: Decimal
    net: Decimal


@dataclass(frozen=True)
class Delivery:
    days: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    by_area: list[Line]
    by_advisor: list[Line]
    cumulative_days: Decimal
    cumulative_net: Decimal
    cumulative_gross: Decimal
    cap: Decimal
    cap_used: Decimal  # ratio, 4 places
    headroom: Decimal
    alert: str
    forecast_end: Decimal
    forecast_break: Decimal | None
    contract_end: dt.date
    break_date: dt.date | None
    # One line per day rate in force in the month, in date order: (rate, days, net); the nets
    # add up to `net` (each row is rounded on its own, as the Budget does).
    by_rate: list[tuple[Decimal, Decimal, Decimal]] = field(default_factory=list)
    # The invoice register as at the return's date (the lines dated by then), against the cap
    # and against delivery; None while the register holds no invoice.
    invoiced: Invoiced | None = None


@dataclass(frozen=True)
class AreaNarrative:
    area: str
    days: Decimal
    net: Decimal
    paragraph: str
    notes: list[str]


@dataclass(frozen=True)
class Progress:
    area: str
    outcome: str
    measure: str
    measure_text: str
    rating: str  # "" when not rated this month
    previous: str
    change: str  # "improved", "worse", "same", "new", "not rated"
    evidence: str
    next_steps: str
    evidenced: bool  # rated this month and has evidence


@dataclass(frozen=True)
class OutcomeProgress:
    """One Annex A outcome in one area: its wording, measures and roll-up for the month."""

    area: str
    outcome: str
    kind: str
    wording: list[str]  # the order form's paragraphs
    rating: str  # the worst of its measures' ratings ("" when none is rated)
    measures: list[Progress]

    @property
    def rated(self) -> int:
        return sum(1 for m in self.measures if m.rating)


@dataclass(frozen=True)
class AreaProgress:
    area: str
    rating: str  # the worst of its outcomes' roll-ups
    outcomes: list[OutcomeProgress]

    @property
    def rated(self) -> int:
        return sum(o.rated for o in self.outcomes)

    @property
    def measures(self) -> int:
        return sum(len(o.measures) for o in self.outcomes)


@dataclass(frozen=True)
class Timeliness:
    area: str
    issued: int | None
    within_20_weeks: int | None
    pct: Decimal | None
    trajectory: Decimal | None
    versus_trajectory: str
    sen2_year: int | None
    sen2_pct: Decimal | None
    sen2_published: dt.date | None = None


@dataclass(frozen=True)
class RiskLine:
    id: str
    area: str
    description: str
    score: int | None
    owner: str
    escalate: bool
    status: str
    mitigation: str
    reviewed: dt.date | None = None  # its latest review by the return's date


@dataclass(frozen=True)
class TermState:
    """The contract's term as it stood at the return's date (decisions decided by then)."""

    end: dt.date  # the end in force then
    break_date: dt.date | None
    break_state: str  # "Not yet decided", "Continued past the break", ...
    decisions: list[str]  # each decision in force then, in words, in date order


@dataclass(frozen=True)
class CloseOut:
    """The final return's close-out: the whole contract against what was agreed."""

    start: dt.date
    end: dt.date
    days: Decimal
    net: Decimal
    gross: Decimal
    cap: Decimal
    by_area: list[tuple[str, Decimal, Decimal]]  # (area, days delivered, days allocated)
    outcomes_reached: list[str]  # "Area: OUTCOME (title)" rated Green in the final month
    outcomes_not_reached: list[str]
    risks_closed: list[str]  # "R-01 (closed 18/03/2024): ..."
    risks_open: list[str]
    confidentiality: str  # the order form's section 4 confirmation


@dataclass(frozen=True)
class Contradiction:
    """What a month's words say against its figures for one area, where it is recorded, and
    the acknowledgement recorded on the Report sheet ("" when none)."""

    area: str
    what: str
    where: str  # "Report!C12" or "VCU!C9"
    acknowledged: str = ""


@dataclass(frozen=True)
class VCULine:
    area: str
    recommendation: str
    reason: str


@dataclass(frozen=True)
class AreaSummary:
    """One area in the month: the judgement, narrative, liaison and days against allocation."""

    area: str
    judgement: str
    narrative: str
    dbv: str  # DBV / Safety Valve liaison ("" where it does not apply)
    dbv_days: Decimal
    days_month: Decimal
    days_to_date: Decimal
    allocated: Decimal
    recommendation: str

    @property
    def over_allocation(self) -> bool:
        return self.allocated > 0 and self.days_to_date > self.allocated


@dataclass(frozen=True)
class Meeting:
    """A meeting attended in the month (from the Tracker) and who represented the supplier."""

    date: dt.date
    area: str
    activity: str
    advisor: str
    role: str
    days: Decimal


@dataclass(frozen=True)
class PlanLine:
    area: str
    plan: str
    action: str
    due: dt.date | None
    completed: dt.date | None
    status: str  # as recorded on the Plans sheet
    evidence: str


@dataclass(frozen=True)
class PlanProgress:
    """The areas' improvement plans as they stood at the month's end (from the dates)."""

    due: list[PlanLine]  # due in the month
    completed: list[PlanLine]  # completed in the month
    slipped: list[PlanLine]  # due by the month's end and not completed by then
    total: int  # actions and milestones due by the month's end
    done_by_month_end: int  # of those, completed by the month's end
    as_at: dt.date | None = None  # the month's end (an interim return: its date)

    @property
    def is_empty(self) -> bool:
        return not (self.due or self.completed or self.slipped or self.total)


@dataclass(frozen=True)
class KeyDateLine:
    date: dt.date | None
    area: str
    event: str
    activity: str
    days: Decimal | None


@dataclass(frozen=True)
class NextMonth:
    month: dt.date
    days_by_area: list[tuple[str, Decimal | None]]
    dates: list[KeyDateLine]


@dataclass(frozen=True)
class AskLine:
    raised: dt.date | None
    area: str
    text: str
    owner: str
    status: str
    resolved: dt.date | None


@dataclass(frozen=True)
class Earlier:
    """A return issued before another, as that one's sealed record names it: its Audit
    Month ("2024-03", or "2024-03-15" for an interim), version, short seal and day issued."""

    key: str
    version: int
    seal: str
    issued_on: str


@dataclass(frozen=True)
class MonthlyReturn:
    contract_id: str
    reference: str
    supplier: str
    authority: str
    marking: str
    month: dt.date
    prepared: dt.date
    version: int
    day_rate: Decimal
    vat_rate: Decimal
    delivery: Delivery
    narrative: list[AreaNarrative]
    progress: list[Progress]
    annex_a: list[AreaProgress]
    rag_key: dict[str, str]  # rating -> what it means, worst first
    timeliness: list[Timeliness]
    risks: list[RiskLine]
    vcu: list[VCULine]
    entries_fingerprint: str
    entry_count: int
    summaries: list[AreaSummary] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    plans: PlanProgress | None = None
    next_month: NextMonth | None = None
    asks: list[AskLine] = field(default_factory=list)
    signoff: SignOff | None = None  # as recorded on the Report sheet
    not_recorded: list[str] = field(default_factory=list)  # what the month lacks
    as_at: dt.date | None = None  # an interim return: the month so far, to this date
    next_report_due: dt.date | None = None  # progress not sufficient: an interim report due
    notes: list[str] = field(default_factory=list)
    term: TermState | None = None  # the term as it stood at the return's date
    is_final: bool = False  # the last month of the term in force: the final return
    closeout: CloseOut | None = None  # the final return's close-out
    risk_prompts: list[str] = field(default_factory=list)  # risks a decision made moot
    contradictions: list[Contradiction] = field(default_factory=list)
    shows_timeliness: bool = True  # the terms' Annex A has EHCP measures
    day_rate_placeholder: bool = False  # the terms' day rate is a PLACEHOLDER
    draft: bool = False  # marked DRAFT: not signed off, never issued nor sealed
    # Set when it is issued (xlsrc.actions.monthly_return.plan_returns), all under its seal:
    issued_on: dt.date | None = None  # the command's day (--today)
    earlier: tuple[Earlier, ...] = ()  # the returns issued before it, still in the workbook
    chain: str = ""  # the Audit record's last digest when the command began

    @property
    def is_nil(self) -> bool:
        return self.entry_count == 0

    @property
    def as_of_day(self) -> dt.date:
        """What the return speaks for: its month's end (an interim return: its date)."""
        if self.as_at is not None:
            return self.as_at
        following = self.month.replace(day=28) + dt.timedelta(days=4)
        return following - dt.timedelta(days=following.day)

    @property
    def is_interim(self) -> bool:
        return self.as_at is not None

    @property
    def period(self) -> str:
        if self.as_at is not None:
            return f"{self.month:%B %Y} to {self.as_at:%d/%m/%Y}"
        return f"{self.month:%B %Y}"

    @property
    def key(self) -> str:
        """What the Audit sheet's Month column records: "2024-03", or "2024-03-15" (interim)."""
        return f"{self.as_at:%Y-%m-%d}" if self.as_at else f"{self.month:%Y-%m}"

    @property
    def sheet_name(self) -> str:
        from xlsrc.model.layout import DRAFT_PREFIX, RETURN_PREFIX

        suffix = "" if self.version == 1 else f" v{self.version}"
        prefix = DRAFT_PREFIX if self.draft else RETURN_PREFIX
        return f"{prefix}{self.key}{' interim' if self.as_at else ''}{suffix}"
