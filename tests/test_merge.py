"""Merging entries (xlsrc.core.tracker.merge): present / conflict / new, and two properties —
merging is idempotent, and without conflicts the result does not depend on file order."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tiers import examples
from xlsrc.core.tracker.merge import content, merge, merge_all
from xlsrc.model.entry import Entry

D = dt.date(2024, 1, 15)


def entry(row: int = 0, **changes: object) -> Entry:
    values: dict[str, object] = {
        "date": D,
        "advisor": "RK-01",
        "area": "Oxfordshire",
        "activity": "Deep dive",
        "days": Decimal("1"),
        "outcomes": ("OX-PA1",),
        "notes": "APA deep dive.",
    }
    values.update(changes)
    return Entry(row=row, **values)  # type: ignore[arg-type]


def test_identical_entry_is_present_even_on_another_row():
    result = merge([entry(row=12)], [entry(row=5)])
    assert (result.new, result.conflicts) == ([], [])
    assert [e.row for e in result.present] == [5]


def test_days_written_differently_are_still_identical():
    result = merge([entry(days=Decimal("1"))], [entry(days=Decimal("1.0"))])
    assert len(result.present) == 1


def test_same_work_with_other_details_is_a_conflict_naming_both_rows():
    result = merge([entry(row=12)], [entry(row=5, notes="Changed my mind.")])
    assert result.new == [] and result.present == []
    [conflict] = result.conflicts
    assert (conflict.incoming.row, conflict.existing.row) == (5, 12)
    assert conflict.incoming.notes == "Changed my mind."


def test_other_work_is_new():
    other = [entry(row=6, date=dt.date(2024, 1, 16)), entry(row=7, area="Medway")]
    result = merge([entry(row=12)], other)
    assert result.new == other and result.present == result.conflicts == []


def test_matching_is_one_to_one():
    # A file that repeats a row keeps both copies; the master's one copy accounts for one.
    result = merge([entry(row=12)], [entry(row=5), entry(row=6)])
    assert [e.row for e in result.present] == [5]
    assert [e.row for e in result.new] == [6]


def test_second_session_beside_an_unchanged_first_is_new_not_a_conflict():
    morning = entry(row=12, days=Decimal("0.5"), notes="Morning.")
    afternoon = entry(row=6, days=Decimal("0.5"), notes="Afternoon.")
    result = merge([morning], [entry(row=5, days=Decimal("0.5"), notes="Morning."), afternoon])
    assert [e.row for e in result.present] == [5]
    assert result.new == [afternoon] and result.conflicts == []


# --- Properties ---------------------------------------------------------------------------

KEYS = st.tuples(
    st.sampled_from(["RK-01", "RK-02", "RK-03"]),
    st.dates(dt.date(2024, 1, 1), dt.date(2024, 1, 20)),
    st.sampled_from(["Oxfordshire", "Medway"]),
    st.sampled_from(["Deep dive", "Travel"]),
)
DETAILS = st.tuples(
    st.sampled_from([Decimal("0.5"), Decimal("1")]),
    st.sampled_from([(), ("OX-PA1",), ("OX-PA1", "OX-0")]),
    st.sampled_from(["", "Visit.", "Report."]),
)


def as_entry(k: tuple, details: tuple, row: int) -> Entry:
    (advisor, date, area, activity), (days, outcomes, notes) = k, details
    return Entry(date, advisor, area, activity, days, outcomes, notes, row)


@st.composite
def sources(draw, conflicts: bool) -> tuple[list[Entry], list[list[Entry]]]:
    """(master entries, files). Without conflicts each key always has the same details."""
    keys = draw(st.lists(KEYS, min_size=1, max_size=8, unique=True))
    fixed = {k: draw(DETAILS) for k in keys}

    def batch() -> list[Entry]:
        picks = draw(st.lists(st.sampled_from(keys), max_size=8))
        return [
            as_entry(k, draw(DETAILS) if conflicts else fixed[k], row)
            for row, k in enumerate(picks, start=5)
        ]

    return batch(), [batch() for _ in range(draw(st.integers(1, 4)))]


def multiset(entries: list[Entry]) -> Counter:
    return Counter(content(e) for e in entries)


@settings(max_examples=examples(200), deadline=None)
@given(sources(conflicts=True))
def test_merging_again_adds_nothing(data):
    master, files = data
    once, _ = merge_all(master, files)
    twice, results = merge_all(once, files)
    assert all(r.new == [] for r in results)  # a conflict stays reported, never written
    assert multiset(twice) == multiset(once)


@settings(max_examples=examples(200), deadline=None)
@given(sources(conflicts=False), st.randoms(use_true_random=False))
def test_without_conflicts_file_order_does_not_matter(data, rnd):
    master, files = data
    merged, results = merge_all(master, files)
    shuffled = files[:]
    rnd.shuffle(shuffled)
    merged_shuffled, results_shuffled = merge_all(master, shuffled)
    assert all(r.conflicts == [] for r in results + results_shuffled)
    assert multiset(merged_shuffled) == multiset(merged)
    # Per entry: as many copies as the source holding the most of them, never more.
    expected = multiset(master)
    for f in files:
        expected |= multiset(f)
    assert multiset(merged) == expected


@settings(max_examples=examples(200), deadline=None)
@given(sources(conflicts=True))
def test_every_incoming_entry_is_classified_once(data):
    master, files = data
    for f in files:
        result = merge(master, f)
        assert sorted(
            result.new + result.present + [c.incoming for c in result.conflicts],
            key=lambda e: e.row,
        ) == sorted(f, key=lambda e: e.row)
        for c in result.conflicts:
            assert (c.incoming.advisor, c.incoming.date, c.incoming.area) == (
                c.existing.advisor,
                c.existing.date,
                c.existing.area,
            )
            assert content(c.incoming) != content(c.existing)
