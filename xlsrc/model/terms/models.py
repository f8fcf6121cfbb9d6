"""Contract terms as declared data: pydantic models, no Excel here.

A terms file (TOML) is parsed into `Terms`; the workbook's Contract sheet round-trips to the
same model. Every rule a terms file must obey lives in these validators, so a bad file fails
with the field named.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import Field, model_validator

from xlsrc.model.terms.authority import POWERS
from xlsrc.model.terms.decisions import DayRateFrom, Decision
from xlsrc.model.terms.effective import DecisionProblems, EffectiveTerm, derive
from xlsrc.model.terms.sections import (
    RATINGS,
    Advisor,
    Alerts,
    Allocation,
    Area,
    Confidentiality,
    Contract,
    Dates,
    Extension,
    Measure,
    Money,
    Outcome,
    RagDefinition,
    Reporting,
    _default_rag,
    _Strict,
)


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
    # Who may do what (xlsrc.model.terms.authority): power -> the roles holding it.
    powers: dict[str, list[Annotated[str, Field(min_length=1, max_length=60)]]]
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
    def _every_power_held(self) -> Terms:
        roles = set(self.risk_owner_roles)
        for power in self.powers:
            if power not in POWERS:
                raise ValueError(f"powers.{power}: not a power; the powers are {', '.join(POWERS)}")
        for power in POWERS:
            held = self.powers.get(power)
            if not held:
                raise ValueError(f"powers.{power}: name the role(s) holding it")
            for role in held:
                if role not in roles:
                    raise ValueError(
                        f"powers.{power}: {role!r} is not one of the contract's roles"
                        f" ({', '.join(self.risk_owner_roles)})"
                    )
        return self

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
    def cap_now(self) -> Decimal:
        """The cap in force after every cap variation (the order's cap when none)."""
        return self.effective.cap_now

    def cap_on(self, day: dt.date) -> Decimal:
        """The cap in force on `day` (xlsrc.model.terms.effective.EffectiveTerm.cap_on)."""
        return self.effective.cap_on(day)

    @property
    def latest_possible_end(self) -> dt.date:
        """Completion + the maximum extension: how far the Budget's months run (its layout)."""
        return self.effective.horizon

    def as_at(self, day: dt.date) -> Terms:
        """These terms with only the decisions decided by `day`: the end, break state, days per
        month and allocations in force then (what a return dated `day` may know)."""
        known = [d for d in self.decisions if d.decided <= day]
        if len(known) == len(self.decisions):
            return self
        return self.model_copy(update={"decisions": known})

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
