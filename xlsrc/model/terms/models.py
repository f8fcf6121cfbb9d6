"""Contract terms as declared data: pydantic models, no Excel here.

A terms file (TOML) is parsed into `Terms`; the workbook's Contract sheet round-trips to the
same model. Every rule a terms file must obey lives in these validators, so a bad file fails
with the field named.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from xlsrc.model.terms.decisions import DayRateFrom, Decision, days, money, texts_checked
from xlsrc.model.terms.effective import DecisionProblems, EffectiveTerm, derive
from xlsrc.model.typed import parse_number

NonNegDecimal = Annotated[Decimal, Field(ge=0)]
PosDecimal = Annotated[Decimal, Field(gt=0)]
Ident = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _texts_fit_a_cell(cls, data: object) -> object:
        return texts_checked(data)


class Contract(_Strict):
    id: Ident
    reference: str = Field(min_length=1)
    title: str = Field(min_length=1)
    form: str = ""
    authority: str = Field(min_length=1)
    service_address: str = ""
    invoice_address: str = ""
    supplier: str = Field(min_length=1)
    protective_marking: str = "OFFICIAL"


class Dates(_Strict):
    order: dt.date
    start: dt.date
    end: dt.date
    break_: dt.date | None = Field(default=None, alias="break")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _in_order(self) -> Dates:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        if self.order > self.start:
            raise ValueError(f"order ({self.order}) is after start ({self.start})")
        if self.break_ is not None and not (self.start <= self.break_ <= self.end):
            raise ValueError(f"break ({self.break_}) is not between start and end")
        return self


class Extension(_Strict):
    max_months: int = Field(ge=0, le=120)
    notice_months: int = Field(ge=0, le=24)


class Money(_Strict):
    currency: Literal["GBP"] = "GBP"
    cap: PosDecimal
    vat_rate: Annotated[Decimal, Field(ge=0, le=1)]
    vat_rounding: Literal["per-invoice-half-up"] = "per-invoice-half-up"
    day_rate: PosDecimal
    day_rate_is_placeholder: bool = False

    @field_validator("cap", "day_rate", mode="before")
    @classmethod
    def _a_price(cls, value: object) -> object:
        return money(value)

    @field_validator("vat_rate", mode="before")
    @classmethod
    def _a_fraction(cls, value: object) -> object:
        return parse_number(value, "", maximum=Decimal(1))

    @model_validator(mode="after")
    def _rate_below_cap(self) -> Money:
        if self.day_rate >= self.cap:
            raise ValueError(
                f"day_rate ({self.day_rate}) must be below the cap ({self.cap}): one day may"
                " not cost the whole contract"
            )
        return self


class Alerts(_Strict):
    """Fractions of the cap at which the Budget raises its alert (governance, not contract)."""

    cap_bands: list[Annotated[Decimal, Field(gt=0, le=1)]] = Field(
        default_factory=lambda: [Decimal("0.5"), Decimal("0.75"), Decimal("0.9"), Decimal("1")]
    )

    @field_validator("cap_bands")
    @classmethod
    def _ascending(cls, value: list[Decimal]) -> list[Decimal]:
        if not value or value != sorted(set(value)):
            raise ValueError("must be a non-empty list of fractions in ascending order")
        return value


class Area(_Strict):
    code: Ident
    name: str = Field(min_length=1)
    short: str = Field(min_length=1, max_length=40)
    days_allocated: NonNegDecimal = Decimal(0)

    @field_validator("days_allocated", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        return days(value)


class Confidentiality(_Strict):
    """Order form section 4: what a return may show."""

    names_may_be_shown: bool = False


class Reporting(_Strict):
    """Monthly-return settings (contract management, not contract terms)."""

    risk_score_threshold: int = Field(default=12, ge=1, le=25)
    # When a recommendation to VCU is "Not sufficient", the order form wants more frequent
    # reports: the return says an interim report is due this many days after it is prepared.
    interim_report_days: int = Field(default=14, ge=1, le=31)


class Allocation(_Strict):
    days_are_placeholder: bool = False


class Advisor(_Strict):
    id: Ident
    role: str = Field(min_length=1)


class Measure(_Strict):
    id: Ident
    text: str = Field(min_length=1)


class Outcome(_Strict):
    """An Annex A outcome: `text` is a short title for tables, `wording` the outcome as the
    order form states it, one string per paragraph."""

    id: Ident
    areas: list[Ident] = Field(min_length=1)
    kind: str = Field(min_length=1)
    text: str = Field(min_length=1)
    wording: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    measures: list[Ident] = Field(min_length=1)
    measure_variant: str | None = None

    @property
    def full_wording(self) -> str:
        """The order form's paragraphs, blank-line separated (the title when none is given)."""
        return "\n\n".join(self.wording) if self.wording else self.text


RATINGS = ("Red", "Amber", "Green")  # worst first: a roll-up takes the worst rating below it


class RagDefinition(_Strict):
    """What a Red, Amber or Green rating means, as shown on the AnnexA sheet and the return."""

    rating: Literal["Red", "Amber", "Green"]
    meaning: str = Field(min_length=1)


def _default_rag() -> list[RagDefinition]:
    return [
        RagDefinition(rating="Green", meaning="On track: the success measure is being met."),
        RagDefinition(rating="Amber", meaning="Partly met: progress is slower than planned."),
        RagDefinition(rating="Red", meaning="Not met, or an escalating risk."),
    ]


class Terms(_Strict):
    contract: Contract
    dates: Dates
    extension: Extension
    money: Money
    areas: list[Area] = Field(min_length=1)
    allocation: Allocation = Allocation()
    alerts: Alerts = Alerts()
    confidentiality: Confidentiality = Confidentiality()
    reporting: Reporting = Reporting()
    advisors: list[Advisor] = Field(min_length=1)
    activities: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(min_length=1)
    risk_owner_roles: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(
        default_factory=lambda: ["DfE contract manager", "Supplier lead adviser"]
    )
    measures: list[Measure] = Field(min_length=1)
    measure_variants: dict[str, dict[str, str]] = Field(default_factory=dict)
    outcomes: list[Outcome] = Field(min_length=1)
    rag: list[RagDefinition] = Field(default_factory=_default_rag)
    # Dated records (xlsrc.model.terms.decisions): the rate card after the starting rate, and what
    # the Department decided about the term.
    day_rates: list[DayRateFrom] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _rate_card_and_old_keys(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        return _starting_rate(_refuse_old_keys(data))

    @model_validator(mode="after")
    def _rates_below_cap(self) -> Terms:
        cap = self.money.cap
        for i, line in enumerate(self.day_rates):
            if line.rate >= cap:
                raise ValueError(f"day_rates[{i}].rate ({line.rate}) must be below the cap ({cap})")
        for i, decision in enumerate(self.decisions):
            if decision.rate is not None and decision.rate >= cap:
                raise ValueError(
                    f"decisions[{i}].rate ({decision.rate}) must be below the cap ({cap})"
                )
        return self

    @model_validator(mode="after")
    def _decisions_obey_the_rules(self) -> Terms:
        _, problems = derive(self)
        if problems:
            raise DecisionProblems(problems)
        return self

    @model_validator(mode="after")
    def _cross_references(self) -> Terms:
        _unique("areas", [a.code for a in self.areas])
        _unique("areas (short names)", [a.short for a in self.areas])
        _unique("advisors", [a.id for a in self.advisors])
        _unique("activities", self.activities)
        _unique("measures", [m.id for m in self.measures])
        _unique("outcomes", [o.id for o in self.outcomes])
        if sorted(r.rating for r in self.rag) != sorted(RATINGS):
            raise ValueError("rag: define each of Red, Amber and Green exactly once")
        codes = {a.code for a in self.areas}
        measures = {m.id for m in self.measures}
        for i, outcome in enumerate(self.outcomes):
            for code in outcome.areas:
                if code not in codes:
                    raise ValueError(
                        f"outcomes[{i}] ({outcome.id}).areas: unknown area {code!r};"
                        f" the areas are {sorted(codes)}"
                    )
            for mid in outcome.measures:
                if mid not in measures:
                    raise ValueError(
                        f"outcomes[{i}] ({outcome.id}).measures: unknown measure {mid!r}"
                    )
            variant = outcome.measure_variant
            if variant is not None and variant not in self.measure_variants:
                raise ValueError(
                    f"outcomes[{i}] ({outcome.id}).measure_variant: no measure_variants.{variant}"
                )
        for name, texts in self.measure_variants.items():
            for mid in texts:
                if mid not in measures:
                    raise ValueError(f"measure_variants.{name}: unknown measure {mid!r}")
        return self

    # Derived facts, computed here once so the workbook and Python agree.
    @property
    def effective(self) -> EffectiveTerm:
        """The term in force after the recorded decisions (xlsrc.model.terms.effective). Derived
        on each call (a few decisions: cheap), so a model_copy never carries a stale one."""
        return derive(self)[0]

    @property
    def contract_end(self) -> dt.date:
        """The end in force: the break if terminated, an early end, or completion + extensions."""
        return self.effective.end

    @property
    def latest_possible_end(self) -> dt.date:
        """Completion + the maximum extension: how far the Budget's months run (its layout)."""
        return self.effective.horizon

    def area_by_short(self) -> dict[str, Area]:
        return {a.short: a for a in self.areas}

    def outcomes_for(self, area_code: str) -> list[Outcome]:
        return [o for o in self.outcomes if area_code in o.areas]

    def rag_meaning(self) -> dict[str, str]:
        """Rating -> meaning, worst first."""
        meanings: dict[str, str] = {r.rating: r.meaning for r in self.rag}
        return {r: meanings[r] for r in RATINGS}

    def measure_text(self, outcome: Outcome, measure_id: str) -> str:
        if outcome.measure_variant:
            override = self.measure_variants[outcome.measure_variant].get(measure_id)
            if override:
                return override
        return next(m.text for m in self.measures if m.id == measure_id)


# Keys of older terms files that decisions replace: refused with what to write instead.
_OLD_KEYS = {
    ("dates", "continued_past_break"): 'a [[decisions]] entry with kind = "continue" or '
    '"terminate-at-break"',
    ("extension", "agreed_months"): 'a [[decisions]] entry with kind = "extend" and months',
    ("extension", "days_per_month"): 'days_per_month on the "extend" decision, or a '
    '"days-per-month" decision',
}


def _refuse_old_keys(data: dict) -> dict:
    for (section, key), instead in _OLD_KEYS.items():
        part = data.get(section)
        if isinstance(part, dict) and key in part:
            raise ValueError(
                f"{section}.{key} is no longer a term: record {instead} (see docs/decisions.md)"
            )
    return data


def _starting_rate(data: dict) -> dict:
    """A rate line from the start (or earlier) is the starting day rate: money.day_rate."""
    lines = data.get("day_rates")
    money = data.get("money")
    dates = data.get("dates")
    if not lines or not isinstance(lines, list) or not isinstance(money, dict):
        return data
    first = lines[0]
    start = dates.get("start") if isinstance(dates, dict) else None
    if not isinstance(first, dict) or start is None or first.get("from") is None:
        return data
    try:
        at_start = first["from"] <= start
    except TypeError:
        return data
    if not at_start:
        return data
    rate = first.get("rate")
    given = money.get("day_rate")
    if given is not None and rate is not None and Decimal(str(given)) != Decimal(str(rate)):
        raise ValueError(
            f"money.day_rate ({given}) and the first [[day_rates]] line ({rate}) disagree:"
            " give the starting rate once"
        )
    return {**data, "money": {**money, "day_rate": rate}, "day_rates": lines[1:]}


def _unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what}: {value!r} appears twice")
        seen.add(value)
