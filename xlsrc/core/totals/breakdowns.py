"""Days and net spend by advisor, by activity and by outcome; each sums exactly to the total.

An entry has one advisor and one activity, so those breakdowns are plain sums of its half days
and its cost in pence.

The outcome split, the one rule stated here: an entry serving k outcomes gives each of them
exactly 1/k of its days and 1/k of its cost. Each outcome's exact share, summed over all its
entries, is rounded down to the half day and to the penny; the half days and pence this leaves
over (fewer than the number of outcomes) go one each to the outcomes with the largest
remainders (the largest-remainder method), ties in Annex A order. So the breakdown adds up to
TotalDays and TotalNet exactly, and every figure is within half a day and a penny of its exact
share. An entry with no outcome counts in full under "(none)". An outcome listed twice in one
entry counts twice (2/k).

Names the terms declare are listed first, in their order, zeros included; names seen only in
the tracker (rows that failed validation) follow, sorted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from xlsrc.core.totals.priced import Priced, sums_by
from xlsrc.model.money import from_pence

NO_OUTCOME = "(none)"


@dataclass(frozen=True)
class BreakdownLine:
    name: str
    days: Decimal
    net: Decimal


def by_name(priced: Priced, names: list[str], declared: Iterable[str]) -> list[BreakdownLine]:
    """Sum half days and pence per name (one name per entry: its advisor, its activity)."""
    sums = sums_by(names, priced)
    return [_line(name, *sums.get(name, (0, 0))) for name in _ordered(declared, sums)]


def by_outcome(priced: Priced, declared: Iterable[str]) -> list[BreakdownLine]:
    """Split each entry's days and cost across its outcomes (the rule in the module docstring)."""
    # Sum per distinct set of outcomes first (a tracker has few), then split each sum.
    by_served = sums_by(priced.outcomes, priced)
    half_share: dict[str, Fraction] = {}
    pence_share: dict[str, Fraction] = {}
    for served, (half, pence) in by_served.items():
        served_by = served or (NO_OUTCOME,)
        for name in served_by:
            half_share[name] = half_share.get(name, Fraction(0)) + Fraction(half, len(served_by))
            pence_share[name] = pence_share.get(name, Fraction(0)) + Fraction(pence, len(served_by))
    total_half = sum(half for half, _ in by_served.values())
    total_pence = sum(pence for _, pence in by_served.values())
    names = [*_ordered(declared, half_share), NO_OUTCOME]
    half_whole = largest_remainder({n: half_share.get(n, Fraction(0)) for n in names}, total_half)
    pence_whole = largest_remainder(
        {n: pence_share.get(n, Fraction(0)) for n in names}, total_pence
    )
    return [_line(n, half_whole[n], pence_whole[n]) for n in names]


def largest_remainder(shares: dict[str, Fraction], total: int) -> dict[str, int]:
    """Whole units per name, summing to `total` (= the sum of `shares`), each the floor or the
    ceiling of its share; leftover units by largest remainder, ties in the dict's order."""
    floors = {name: share.numerator // share.denominator for name, share in shares.items()}
    left = total - sum(floors.values())
    position = {name: n for n, name in enumerate(shares)}
    ranked = sorted(shares, key=lambda name: (floors[name] - shares[name], position[name]))
    for name in ranked[:left]:
        floors[name] += 1
    return floors


def _ordered(declared: Iterable[str], seen: Iterable[str]) -> list[str]:
    known = list(dict.fromkeys(declared))
    extra = sorted(set(seen) - set(known) - {NO_OUTCOME})
    return known + extra


def _line(name: str, half_days: int, pence: int) -> BreakdownLine:
    return BreakdownLine(name, Decimal(half_days) / 2, from_pence(pence))
