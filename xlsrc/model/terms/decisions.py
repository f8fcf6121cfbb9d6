"""Contract decisions as dated records, and the day rates in force by date: declared data only.

A decision is what the Department decided about the term or the price: continue past the
break, terminate at it, end early, extend, change the call-off days per month, change the day
rate, change an area's allocation, vary the cap. `xlsrc.model.terms.effective` derives the
term in force from them; the rules a decision must obey (within the maximum, notice given
in time, a role not a name) live there too, so the terms file and the workbook's Decisions
table are checked alike.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from xlsrc.model.typed import MAX_DAYS_PER_MONTH, check_text, date_not_number, parse_number

Kind = Literal[
    "continue",
    "terminate-at-break",
    "end-early",
    "extend",
    "days-per-month",
    "day-rate",
    "allocation",
    "vary-cap",
]

# The words the workbook's Decisions table shows for each kind (its drop-down), in order.
KIND_LABELS: dict[str, str] = {
    "continue": "Continue past the break",
    "terminate-at-break": "Terminate at the break",
    "end-early": "End early",
    "extend": "Extend",
    "days-per-month": "Change days per month",
    "day-rate": "Change the day rate",
    "allocation": "Change an area's allocation",
    "vary-cap": "Vary the cap",
}
KIND_BY_LABEL: dict[str, str] = {label.lower(): kind for kind, label in KIND_LABELS.items()}

# Which value columns each kind needs (attribute names; the workbook headers are in
# xlsrc.edges.workbook.sheets.decisions).
NEEDS: dict[str, tuple[str, ...]] = {
    "continue": (),
    "terminate-at-break": (),
    "end-early": ("effective",),
    "extend": ("months", "notice"),
    "days-per-month": ("effective", "days_per_month"),
    "day-rate": ("effective", "rate"),
    "allocation": ("effective", "area", "days"),
    "vary-cap": ("effective", "cap"),
}

PosDecimal = Annotated[Decimal, Field(gt=0)]
NonNegDecimal = Annotated[Decimal, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _texts_fit_a_cell(cls, data: object) -> object:
        return texts_checked(data)


def texts_checked(data: object, where: str = "") -> object:
    """Every text in `data` (a mapping as read, nested) fits an Excel cell as typed."""
    if isinstance(data, str):
        check_text(data, where)
    elif isinstance(data, dict):
        for key, value in data.items():
            texts_checked(value, f"{where}.{key}" if where else str(key))
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            texts_checked(value, f"{where}[{i}]")
    return data


def money(value: object) -> object:
    """A price as typed (xlsrc.model.typed): more than 0, whole pence, below the money limit."""
    if value is None:
        return None
    return parse_number(value, "", kind="money", places=2, positive=True)


def days(value: object, maximum: Decimal | None = None) -> object:
    """A count of days as typed (xlsrc.model.typed): 0 or more, within the limit."""
    if value is None:
        return None
    return parse_number(value, "", kind="days", maximum=maximum)


class DayRateFrom(_Strict):
    """One line of the rate card: `rate` (excl. VAT) applies to days dated on or after `from`."""

    from_: dt.date = Field(alias="from")
    rate: PosDecimal

    @field_validator("from_", mode="before")
    @classmethod
    def _a_date(cls, value: object) -> object:
        return date_not_number(value)

    @field_validator("rate", mode="before")
    @classmethod
    def _a_price(cls, value: object) -> object:
        return money(value)


class Decision(_Strict):
    """One decision. `effective` is the date it takes effect (the break date for a break
    decision, the first day of an extension, the last day of an early-ended contract)."""

    decided: dt.date
    kind: Kind
    effective: dt.date | None = None
    months: Annotated[int, Field(ge=1, le=120)] | None = None
    days_per_month: NonNegDecimal | None = None
    rate: PosDecimal | None = None
    area: str | None = None
    days: NonNegDecimal | None = None
    cap: PosDecimal | None = None  # a cap variation: the new maximum contract value, net
    by: Annotated[str, Field(min_length=1, max_length=60)]
    notice: dt.date | None = None
    note: Annotated[str, Field(max_length=500)] = ""

    @field_validator("decided", "effective", "notice", mode="before")
    @classmethod
    def _a_date(cls, value: object) -> object:
        return date_not_number(value)

    @field_validator("rate", "cap", mode="before")
    @classmethod
    def _a_price(cls, value: object) -> object:
        return money(value)

    @field_validator("days_per_month", mode="before")
    @classmethod
    def _days_in_a_month(cls, value: object) -> object:
        return days(value, MAX_DAYS_PER_MONTH)

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        return days(value)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind_words(cls, value: object) -> object:
        """The workbook's words ("Extend") are accepted as well as the file's ("extend")."""
        if isinstance(value, str):
            return KIND_BY_LABEL.get(value.strip().lower(), value.strip())
        return value

    @model_validator(mode="after")
    def _has_its_values(self) -> Decision:
        missing = [name for name in NEEDS[self.kind] if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {KIND_LABELS[self.kind]!r} decision needs {', '.join(missing)}")
        return self

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]
