"""The sections of a terms file, each a pydantic model: the contract, its dates, extension,
money, areas, advisors, Annex A's outcomes and measures, the RAG meanings. `Terms`
(xlsrc.model.terms.models) holds one of each; xlsrc.model.terms.effective reads them to derive
the term in force.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from xlsrc.model.terms.decisions import days, money, texts_checked
from xlsrc.model.typed import date_not_number, parse_number

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

    @field_validator("order", "start", "end", "break_", mode="before")
    @classmethod
    def _a_date(cls, value: object) -> object:
        return date_not_number(value)

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
