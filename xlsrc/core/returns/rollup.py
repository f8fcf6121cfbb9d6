"""The Annex A roll-up: an outcome takes the worst rating of its success measures in a month,
an area the worst of all its measures (Red over Amber over Green; nothing rated, no rating).

The AnnexA sheet's roll-up formulas (SUMPRODUCT over EXACT area and outcome names and a
case-insensitive, whole-cell `=` on the rating) are the twin of `worst`: only a cell that
reads Red, Amber or Green, in any case, counts, under the area and outcome as named.
"""

from __future__ import annotations

from collections.abc import Iterable

from xlsrc.model.terms.models import RATINGS

_BY_LOWER = {r.lower(): r for r in RATINGS}


def rating(value: object) -> str:
    """The rating a cell holds ("" when it holds none)."""
    return _BY_LOWER.get(value.lower(), "") if isinstance(value, str) else ""


def worst(values: Iterable[object]) -> str:
    found = {rating(v) for v in values} - {""}
    return next((r for r in RATINGS if r in found), "")
