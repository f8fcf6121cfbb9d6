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
from typing import cast

import numpy as np
import pandas as pd

from xlsrc.money import from_pence

NO_OUTCOME = "(none)"


@dataclass(frozen=True)
class BreakdownLine:
    name: str
    days: Decimal
    net: Decimal


def by_column(frame: pd.DataFrame, column: str, declared: Iterable[str]) -> list[BreakdownLine]:
    """Sum half days and pence per value of `column` (one name per entry)."""
    sums: dict[str, tuple[int, int]] = {}
    if len(frame):
        grouped = frame.groupby(column, sort=False)[["half_days", "cost_pence"]].sum()
        sums = {
            str(name): (int(h), int(p))
            for name, h, p in zip(
                grouped.index, grouped["half_days"], grouped["cost_pence"], strict=True
            )
        }
    return [_line(name, *sums.get(name, (0, 0))) for name in _ordered(declared, sums)]


def by_outcome(frame: pd.DataFrame, declared: Iterable[str]) -> list[BreakdownLine]:
    """Split each entry's days and cost across its outcomes (the rule in the module docstring)."""
    half: dict[str, Fraction] = {}
    pence: dict[str, Fraction] = {}
    total_half = total_pence = 0
    if len(frame):
        # Sum per distinct set of outcomes first (a tracker has few), then split each sum.
        served_by_row = frame["outcomes"].tolist()
        kinds = {served: n for n, served in enumerate(dict.fromkeys(served_by_row))}
        codes = np.fromiter(map(kinds.__getitem__, served_by_row), dtype=np.int64)
        sums = frame[["half_days", "cost_pence"]].groupby(codes).sum()
        for served, code in kinds.items():
            names = served or (NO_OUTCOME,)
            h = int(cast(int, sums.at[code, "half_days"]))
            p = int(cast(int, sums.at[code, "cost_pence"]))
            for name in names:
                half[name] = half.get(name, Fraction(0)) + Fraction(h, len(names))
                pence[name] = pence.get(name, Fraction(0)) + Fraction(p, len(names))
        total_half, total_pence = int(frame["half_days"].sum()), int(frame["cost_pence"].sum())
    names = [*_ordered(declared, half), NO_OUTCOME]
    half_whole = largest_remainder({n: half.get(n, Fraction(0)) for n in names}, total_half)
    pence_whole = largest_remainder({n: pence.get(n, Fraction(0)) for n in names}, total_pence)
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
