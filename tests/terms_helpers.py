"""Terms with decisions recorded, for tests: validated like a terms file (every rule)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xlsrc.model.terms.loader import terms_from_mapping
from xlsrc.model.terms.models import Terms

ROLE = "DfE contract manager"


def with_decisions(terms: Terms, *decisions: dict, day_rates: list | None = None) -> Terms:
    raw = terms.model_dump(mode="python", by_alias=True)
    raw["decisions"] = [*raw["decisions"], *({"by": ROLE, **d} for d in decisions)]
    if day_rates is not None:
        raw["day_rates"] = day_rates
    return terms_from_mapping(raw)


def terminated(terms: Terms) -> Terms:
    return with_decisions(terms, {"decided": dt.date(2024, 2, 20), "kind": "terminate-at-break"})


def extended(terms: Terms, months: int, days_per_month: Decimal | None = None) -> Terms:
    """Continued past the break and extended by `months`, notice given in time."""
    notice = dt.date(2025, 2, 10)
    extend: dict[str, object] = {
        "decided": notice,
        "kind": "extend",
        "months": months,
        "notice": notice,
    }
    if days_per_month is not None:
        extend["days_per_month"] = days_per_month
        extend["effective"] = terms.dates.end + dt.timedelta(days=1)
    return with_decisions(terms, {"decided": dt.date(2024, 2, 20), "kind": "continue"}, extend)
