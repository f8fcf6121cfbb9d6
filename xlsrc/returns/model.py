"""What a monthly return says, as plain data (no Excel here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


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
    rating: str  # "" when not rated this month
    previous: str
    change: str  # "improved", "worse", "same", "new", "not rated"
    evidence: str
    next_steps: str
    evidenced: bool  # rated this month and has evidence


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


@dataclass(frozen=True)
class VCULine:
    area: str
    recommendation: str
    reason: str


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
    timeliness: list[Timeliness]
    risks: list[RiskLine]
    vcu: list[VCULine]
    entries_fingerprint: str
    entry_count: int
    notes: list[str] = field(default_factory=list)

    @property
    def is_nil(self) -> bool:
        return self.entry_count == 0

    @property
    def period(self) -> str:
        return f"{self.month:%B %Y}"

    @property
    def sheet_name(self) -> str:
        from xlsrc.layout import RETURN_PREFIX

        suffix = "" if self.version == 1 else f" v{self.version}"
        return f"{RETURN_PREFIX}{self.month:%Y-%m}{suffix}"
