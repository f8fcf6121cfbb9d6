"""A stable fingerprint of the contract terms (what was agreed), for tamper evidence."""

from __future__ import annotations

import hashlib
import json

from xlsrc.model.terms.models import Terms


def terms_fingerprint(terms: Terms, *, with_allocations: bool = False) -> str:
    """sha256 of the terms in canonical JSON: numbers as normalised decimal strings.
    `with_allocations`: the form workbooks built before allocations were compared on their
    own (xlsrc.edges.fileio.tamper accepts either)."""
    data = terms.model_dump(mode="json", by_alias=True)
    # Decisions are records, not terms; the rate card and the areas' days allocated change by
    # decision and are compared item by item (xlsrc.edges.fileio.tamper).
    data.pop("decisions", None)
    data.pop("day_rates", None)
    if not with_allocations:
        for area in data.get("areas", []):
            area.pop("days_allocated", None)
    text = json.dumps(_normalise(data), sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normalise(value: object) -> object:
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, str):
        try:  # "100.00" and "100.0" are the same amount
            from decimal import Decimal, InvalidOperation

            return format(Decimal(value).normalize(), "f") if value.strip() else value
        except (InvalidOperation, ValueError):
            return value
    if isinstance(value, float):
        return format(value, "g")
    return value
