"""Merging advisors' entries into the master's: pure logic over Entry lists, no Excel.

An incoming entry is
- *present* when an identical entry (date, advisor, area, activity, outcomes, days, notes)
  is already there: skipped, so importing a file twice adds nothing;
- a *conflict* when an entry with the same advisor, date, area and activity is there but
  differs in days, outcomes or notes: reported, never written over;
- *new* otherwise: to be appended.

Matching is one-to-one: each existing entry accounts for one identical incoming entry. So a
file that deliberately repeats a row keeps both copies, and the merged result is, per entry,
the largest number of copies any source holds, whatever order the files come in.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xlsrc.model.entry import Entry

Key = tuple[str, dt.date, str, str]
Content = tuple[dt.date, str, str, str, tuple[str, ...], Decimal, str]


def key(entry: Entry) -> Key:
    """What identifies one piece of work: who, when, where, what."""
    return (entry.advisor, entry.date, entry.area, entry.activity)


def content(entry: Entry) -> Content:
    """Everything a person typed; the worksheet row is not part of it."""
    return (
        entry.date,
        entry.advisor,
        entry.area,
        entry.activity,
        entry.outcomes,
        entry.days,
        entry.notes,
    )


@dataclass(frozen=True)
class Conflict:
    incoming: Entry  # the file's entry (its row is the file's row)
    existing: Entry  # the entry it disagrees with (its row is the master's row)


@dataclass(frozen=True)
class MergeResult:
    new: list[Entry]
    present: list[Entry]
    conflicts: list[Conflict]


def merge(existing: Sequence[Entry], incoming: Sequence[Entry]) -> MergeResult:
    """Classify `incoming` against `existing`; order within `incoming` is kept."""
    unmatched = Counter(content(e) for e in existing)
    present: list[Entry] = []
    rest: list[Entry] = []
    for entry in incoming:
        if unmatched[content(entry)] > 0:
            unmatched[content(entry)] -= 1
            present.append(entry)
        else:
            rest.append(entry)

    # Existing entries nobody matched exactly: an incoming entry with their key changes them.
    left = unmatched.copy()
    open_by_key: dict[Key, list[Entry]] = defaultdict(list)
    for entry in existing:
        if left[content(entry)] > 0:
            left[content(entry)] -= 1
            open_by_key[key(entry)].append(entry)

    new: list[Entry] = []
    conflicts: list[Conflict] = []
    for entry in rest:
        if open_by_key.get(key(entry)):
            conflicts.append(Conflict(entry, open_by_key[key(entry)][0]))
        else:
            new.append(entry)
    return MergeResult(new, present, conflicts)


def merge_all(
    existing: Sequence[Entry], batches: Iterable[Sequence[Entry]]
) -> tuple[list[Entry], list[MergeResult]]:
    """Merge each batch in turn into what came before; (all entries after, each result)."""
    merged = list(existing)
    results = []
    for batch in batches:
        result = merge(merged, batch)
        merged += result.new
        results.append(result)
    return merged, results
