"""What people record in the workbook besides the Tracker, as plain data: Annex A ratings and
evidence, EHCP and SEN2 figures, VCU recommendations, risks, improvement plans, the report's
parts and sign-off, and the Audit log. xlsrc.edges.fileio.progress_reader reads them from a file,
xlsrc.adapters.xl from the open workbook; the core (returns, MI) works on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from xlsrc.model.money import round_ratio, to_decimal


def ratio(value: object) -> Decimal | None:
    """A ratio typed in a cell (0.55 for 55%), rounded as ratios are; None if not a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round_ratio(to_decimal(value))
    return None


@dataclass(frozen=True)
class Text:
    """A piece of free text and where it lives ("AnnexA!G7")."""

    value: str
    where: str


@dataclass(frozen=True)
class AnnexARow:
    area: str
    outcome: str
    measure: str
    measure_text: str
    ratings: dict[str, str] = field(default_factory=dict)  # "Oct 2023" -> "Green"


@dataclass(frozen=True)
class EvidenceRow:
    """One month's evidence and agreed next steps for a measure ("" measure: all of them)."""

    month: dt.date
    area: str
    outcome: str
    measure: str
    evidence: Text | None
    next_steps: Text | None

    def covers(self, area: str, outcome: str, measure: str) -> bool:
        return self.area == area and self.outcome == outcome and self.measure in ("", measure)


@dataclass(frozen=True)
class EHCPMonth:
    month: dt.date
    area: str
    issued: int | None
    within_20_weeks: int | None
    trajectory: object  # a ratio (0.55) or None
    note: Text | None

    def timeliness(self) -> tuple[Decimal | None, Decimal | None, str]:
        """(the share of plans issued within 20 weeks, the trajectory, how the one stands
        against the other): the one reading, for the monthly return and the MI."""
        issued, within = self.issued, self.within_20_weeks
        pct = (
            round_ratio(Decimal(within) / Decimal(issued))
            if issued and within is not None
            else None
        )
        trajectory = ratio(self.trajectory)
        if pct is None or trajectory is None:
            versus = "no figure" if pct is None else "no trajectory set"
        elif pct == trajectory:
            versus = "on trajectory"
        else:
            versus = "above trajectory" if pct > trajectory else "below trajectory"
        return pct, trajectory, versus


@dataclass(frozen=True)
class SEN2Year:
    year: int
    area: str
    pct: object
    published: str  # source / note
    published_on: dt.date | None = None  # when DfE published it (None: not recorded)


@dataclass(frozen=True)
class Recommendation:
    month: dt.date
    area: str
    recommendation: str | None
    reason: Text | None


@dataclass(frozen=True)
class Risk:
    id: str
    description: Text | None
    area: str
    outcome: str
    likelihood: object
    impact: object
    owner: str
    mitigation: Text | None
    escalate: bool
    status: str
    # A risk's rows are its reviews: each dated (raised, last reviewed), the latest by a
    # return's date is the register as it stood then.
    raised: dt.date | None = None
    reviewed: dt.date | None = None
    row: int = 0

    @property
    def score(self) -> int | None:
        if isinstance(self.likelihood, int | float) and isinstance(self.impact, int | float):
            return int(self.likelihood) * int(self.impact)
        return None


@dataclass(frozen=True)
class AuditRow:
    row: int
    when: str
    action: str
    month: str
    version: int | None
    rows: int | None
    net: Decimal | None
    fingerprint: str
    details: str = ""
    digest: str = ""  # the chain's (xlsrc.model.audit); blank in a table written before it


@dataclass(frozen=True)
class PlanItem:
    """An action or milestone of the local area's improvement plan."""

    area: str
    plan: str
    action: Text
    due: dt.date | None
    status: str
    completed: dt.date | None
    evidence: Text | None


@dataclass(frozen=True)
class AreaReport:
    """What the supplier says of one area in one month, beyond the figures."""

    month: dt.date
    area: str
    judgement: Text | None
    narrative: Text | None
    dbv: Text | None
    days_next_month: Decimal | None
    # Why the judgement stands beside a rating or recommendation it seems to contradict.
    acknowledged: Text | None = None


@dataclass(frozen=True)
class KeyDate:
    month: dt.date  # the return that announces it (its next month's plan)
    area: str
    date: dt.date | None
    event: str
    activity: Text | None
    days: Decimal | None


@dataclass(frozen=True)
class Ask:
    raised: dt.date | None
    area: str
    text: Text
    owner: str
    status: str
    resolved: dt.date | None


@dataclass(frozen=True)
class SignOff:
    month: dt.date
    prepared_by: str
    prepared_on: dt.date | None
    approved_by: str
    approved_on: dt.date | None
    invoice: str
    purchase_order: str
    row: int | None = field(default=None, compare=False)  # its row on the Report sheet
