"""Every key of a terms file, read from the pydantic model: its type, whether it is required,
its default, and what it means in words (DESCRIPTIONS). docs/terms.md is generated from
here (tests/tools/make_docs.py) and a test keeps every key described; the loader points a
problem at its key's line in the file (`line_of`).
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass
from decimal import Decimal

from pydantic import BaseModel
from pydantic_core import PydanticUndefined


@dataclass(frozen=True)
class Key:
    path: str  # "money.cap", "areas[].code"
    kind: str  # "text", "date", "amount", ...
    required: bool
    default: str  # "" when required or none


DESCRIPTIONS: dict[str, str] = {
    "contract": "The call-off contract as the order form names it.",
    "contract.id": "Short identifier, e.g. CON_22889: names the workbook and every file.",
    "contract.reference": "The order form's reference (project, ITT).",
    "contract.title": "The service's title.",
    "contract.form": "The form of contract, e.g. a DPS order form.",
    "contract.authority": "The buyer (the Authority).",
    "contract.service_address": "Where the service is delivered.",
    "contract.invoice_address": "Where invoices are sent.",
    "contract.supplier": "The supplier's legal name.",
    "contract.protective_marking": "Printed at the top of every page, e.g. OFFICIAL-SENSITIVE.",
    "dates": "The term.",
    "dates.order": "Date of the order (on or before the start).",
    "dates.start": "First day of the term.",
    "dates.end": "Completion date: the last day before any extension.",
    "dates.break": "Break date, if the order form has one (between start and end).",
    "extension": "The extension the order form allows.",
    "extension.max_months": "Most months the term may be extended by, in all (0: none).",
    "extension.notice_months": "Months of notice before the end an extension needs.",
    "money": "Price and cap.",
    "money.currency": "Always GBP.",
    "money.cap": "Most the contract may cost, excluding VAT, in pounds (whole pence).",
    "money.vat_rate": "VAT as a fraction, e.g. 0.2 for 20%.",
    "money.vat_rounding": "How VAT is rounded: per invoice (month), halves up.",
    "money.day_rate": "Starting day rate excluding VAT (whole pence).",
    "money.day_rate_is_placeholder": "true when the order form gives no rate: the workbook"
    " says so.",
    "areas": "The local areas served, one [[areas]] table each.",
    "areas[].code": "The area's code, used by outcomes (e.g. OX).",
    "areas[].name": "The area's full name.",
    "areas[].short": "The name advisors pick in the Tracker (unique).",
    "areas[].days_allocated": "Days allocated to the area (0 if none).",
    "allocation": "About the areas' days.",
    "allocation.days_are_placeholder": "true when the order form gives no days per area.",
    "alerts": "When the Budget raises its alert.",
    "alerts.cap_bands": "Fractions of the cap, ascending, e.g. [0.5, 0.75, 0.9, 1].",
    "confidentiality": "What a return may show (order form section 4).",
    "confidentiality.names_may_be_shown": "true only if names may appear in returns.",
    "reporting": "Monthly-return settings.",
    "reporting.risk_score_threshold": "Risk score (1-25) at or above which a risk is escalated.",
    "reporting.interim_report_days": "Days after a return an interim report is due when"
    " progress is not sufficient.",
    "advisors": "The supplier's advisors by ID and role, never by name.",
    "advisors[].id": "The advisor's ID, e.g. RK-01.",
    "advisors[].role": "The advisor's role.",
    "activities": "The kinds of work a Tracker row may record (the Activity drop-down).",
    "risk_owner_roles": "Roles that may own a risk (the Risks drop-down).",
    "powers": "Which roles may take which decision: decision kind = [roles].",
    "measures": "Annex A success measures, one [[measures]] table each.",
    "measures[].id": "The measure's ID, e.g. SM-A.",
    "measures[].text": "The measure in the order form's words.",
    "measure_variants": "Other wordings of measures for some outcomes: [measure_variants.NAME]"
    " with measure ID = text.",
    "outcomes": "Annex A outcomes, one [[outcomes]] table each.",
    "outcomes[].id": "The outcome's stable ID, e.g. OX-PA1.",
    "outcomes[].areas": "Codes of the areas it applies to.",
    "outcomes[].kind": "Its kind as Annex A groups them (e.g. Priority action).",
    "outcomes[].text": "A short title for tables.",
    "outcomes[].wording": "The order form's paragraphs, one string each.",
    "outcomes[].measures": "IDs of its success measures.",
    "outcomes[].measure_variant": "Name of a [measure_variants.NAME] wording to use.",
    "rag": "What Red, Amber and Green mean: each exactly once.",
    "rag[].rating": "Red, Amber or Green.",
    "rag[].meaning": "What the rating means, as the AnnexA sheet and returns show it.",
    "day_rates": "Later day rates: each applies from its date (docs/decisions.md).",
    "day_rates[].from": "First day the rate applies.",
    "day_rates[].rate": "The rate excluding VAT (whole pence).",
    "decisions": "What the Department decided about the term (docs/decisions.md).",
    "decisions[].decided": "Date the decision was taken.",
    "decisions[].kind": "continue, terminate-at-break, end-early, extend, days-per-month,"
    " day-rate, allocation or vary-cap.",
    "decisions[].effective": "Date it takes effect (an early end: the last day).",
    "decisions[].months": "extend: whole months.",
    "decisions[].days_per_month": "Call-off days per month from then on.",
    "decisions[].rate": "day-rate: the new rate excluding VAT.",
    "decisions[].area": "allocation: the area's short name or code.",
    "decisions[].days": "allocation: the area's days allocated.",
    "decisions[].cap": "vary-cap: the new cap (maximum contract value) excluding VAT, from"
    " effective.",
    "decisions[].by": "Who decided: a role, never a name.",
    "decisions[].notice": "Date notice was given (an extension needs it).",
    "decisions[].note": "A short note, no names.",
}


def _kind(annotation: object) -> str:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kind(args[0])
    if origin is typing.Literal:
        return "one of " + ", ".join(f'"{a}"' for a in typing.get_args(annotation))
    if origin is list:
        return f"list of {_kind(args[0])}" if args else "list"
    if origin is dict:
        return "table"
    if args and origin is not None:  # X | None
        return _kind(args[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "table"
    return {
        str: "text",
        int: "whole number",
        bool: "true or false",
        Decimal: "number",
        dt.date: "date YYYY-MM-DD",
    }.get(annotation, str(annotation))  # type: ignore[call-overload]


def _model_of(annotation: object) -> tuple[type[BaseModel] | None, bool]:
    """The model a field holds (and whether it is a list of them), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    args = typing.get_args(annotation)
    inner = args[0] if args else None
    if (
        typing.get_origin(annotation) is list
        and isinstance(inner, type)
        and issubclass(inner, BaseModel)
    ):
        return inner, True
    return None, False


def keys(model: type[BaseModel] | None = None, prefix: str = "") -> list[Key]:
    """Every key of the terms file, in the model's order, nested tables after their key."""
    from xlsrc.model.terms.models import Terms

    found: list[Key] = []
    for name, field in (model or Terms).model_fields.items():
        path = prefix + (field.alias or name)
        inner, many = _model_of(field.annotation)
        kind = (
            ("list of tables [[" + path + "]]" if many else "table [" + path + "]")
            if inner
            else _kind(field.annotation)
        )
        default = ""
        if not field.is_required() and not inner:
            value = field.get_default(call_default_factory=True)
            if value not in (None, PydanticUndefined, "", [], {}):
                default = (
                    str(value) if not isinstance(value, list) else str([str(v) for v in value])
                )
        found.append(Key(path, kind, field.is_required(), default))
        if inner:
            found += keys(inner, path + ("[]." if many else "."))
    return found


def describe(path: str) -> str:
    return DESCRIPTIONS.get(path, "")


def terms_markdown() -> str:
    """docs/terms.md's table: every key, its kind, required or its default, its meaning."""
    lines = ["| key | kind | required / default | what it is |", "|---|---|---|---|"]
    for key in keys():
        need = (
            "required"
            if key.required
            else (f"default `{key.default}`" if key.default else "optional")
        )
        lines.append(f"| `{key.path}` | {key.kind} | {need} | {describe(key.path)} |")
    return "\n".join(lines)


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def line_of(text: str, loc: tuple[object, ...]) -> int | None:
    """The line (from 1) of the key at `loc` (pydantic's location: ("outcomes", 1, "kind")) in
    a terms file's text: the key's own line, else its table's header; None if not found."""
    want = [str(p) for p in loc]
    counts: dict[str, int] = {}
    table: list[str] = []
    best: tuple[int, int] | None = None  # (how much of loc matched, line)
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            parts = header.group(2).split(".")
            if header.group(1) == "[[":
                name = ".".join(parts)
                counts[name] = counts.get(name, -1) + 1
                table = [*parts, str(counts[name])]
            else:
                table = parts
            path = table
        else:
            assign = _ASSIGN.match(line)
            if not assign:
                continue
            path = [*table, assign.group(1)]
        matched = 0
        for got, wanted in zip(path, want, strict=False):
            if got != wanted:
                break
            matched += 1
        if matched == len(path) and (best is None or matched > best[0]):
            best = (matched, number)
    return best[1] if best else None
