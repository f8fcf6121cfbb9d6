"""Property tests for the tracker validator (hypothesis).

- Generated valid trackers pass with no issue at all, and every row becomes the right Entry.
- For every rule code, one planted fault is found: exactly one issue, that code, at that cell.
- Junk of any type in any cell gives Issues, never an exception.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

import holidays
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.terms_helpers import extended, terminated
from tests.tiers import examples
from xlsrc.core.validate import ROW_RULES, validate_rows
from xlsrc.model.dates import month_start
from xlsrc.model.entry import ALLOWED_DAYS, INPUT_COLUMNS, Entry, RawRow
from xlsrc.model.issues import Issue
from xlsrc.model.money import line_cost
from xlsrc.model.rules import BY_CODE
from xlsrc.model.terms import load_terms
from xlsrc.model.terms.models import Terms

TERMS = load_terms()
SHEET = "Tracker"
BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG")
MAX_SLOTS = 20  # (advisor, date) pairs; at most 20 days, far below 50% of the real cap

FAST = settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


# --- Terms variants (the models are frozen: copy with nested copies) -------------------------


def with_extension(terms: Terms, months: int) -> Terms:
    return extended(terms, months)


def with_cap(terms: Terms, cap: Decimal, bands: list[Decimal]) -> Terms:
    money = terms.money.model_copy(update={"cap": cap})
    alerts = terms.alerts.model_copy(update={"cap_bands": bands})
    return terms.model_copy(update={"money": money, "alerts": alerts})


# --- Scenarios: terms, today, and the window valid dates are drawn from ----------------------


@dataclass(frozen=True)
class Scenario:
    name: str
    terms: Terms
    today: dt.date
    last: dt.date  # last date a valid row may have
    locked: frozenset[dt.date] = frozenset()

    @property
    def first(self) -> dt.date:
        return self.terms.dates.start


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(n) for n in range((last - first).days + 1)]


def working_days(sc: Scenario) -> list[dt.date]:
    return [
        d
        for d in days_between(sc.first, sc.last)
        if is_working_day(d) and month_start(d) not in sc.locked
    ]


def next_working_day(after: dt.date) -> dt.date:
    day = after + dt.timedelta(1)
    while not is_working_day(day):
        day += dt.timedelta(1)
    return day


def previous_working_day(before: dt.date) -> dt.date:
    day = before - dt.timedelta(1)
    while not is_working_day(day):
        day -= dt.timedelta(1)
    return day


BREAK = TERMS.dates.break_
assert BREAK is not None
DEFAULT = Scenario("default", TERMS, today=dt.date(2025, 6, 30), last=TERMS.contract_end)
SCENARIOS = {
    sc.name: sc
    for sc in (
        DEFAULT,
        Scenario("mid-term", TERMS, today=dt.date(2024, 6, 28), last=dt.date(2024, 6, 28)),
        Scenario(
            "ended-at-break",
            terminated(TERMS),
            today=dt.date(2025, 6, 30),
            last=BREAK,
        ),
        Scenario(
            "extended",
            with_extension(TERMS, 3),
            today=dt.date(2025, 9, 30),
            last=with_extension(TERMS, 3).contract_end,
        ),
        Scenario(
            "locked-october",
            TERMS,
            today=dt.date(2025, 6, 30),
            last=TERMS.contract_end,
            locked=frozenset({dt.date(2023, 10, 1)}),
        ),
    )
}


# --- A valid tracker ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Tracker:
    rows: list[RawRow]
    entries: list[Entry]  # what each non-blank row must become, in row order
    by_row: dict[int, Entry] = field(default_factory=dict)

    def next_row(self) -> int:
        return max((r.row for r in self.rows), default=1) + 1

    def total_cost(self, terms: Terms) -> Decimal:
        return sum((line_cost(e.days, terms.money.day_rate) for e in self.entries), Decimal(0))


SAFE_NOTES = st.text(alphabet=string.ascii_letters + " .,'()", max_size=30)


def render_date(draw: st.DrawFn, day: dt.date) -> object:
    """A date cell as a reader gives it (text that reads as a date is an error: DATE-TEXT)."""
    if draw(st.booleans()):
        return day
    return dt.datetime(day.year, day.month, day.day)


def render_days(draw: st.DrawFn, days: Decimal) -> object:
    """A number cell (text that reads as a number is an error: DAYS-TEXT)."""
    if days == 1:
        return draw(st.sampled_from([1, 1.0, Decimal("1")]))
    return draw(st.sampled_from([0.5, Decimal("0.5"), Decimal("0.50")]))


@st.composite
def row_content(
    draw: st.DrawFn, terms: Terms, not_activity: str = ""
) -> tuple[str, str, tuple[str, ...]]:
    """(area short name, activity, outcomes) that the contract accepts together."""
    area = draw(st.sampled_from(terms.areas))
    activity = draw(st.sampled_from([a for a in terms.activities if a != not_activity]))
    if activity == "Travel" and draw(st.booleans()):
        return area.short, activity, ()
    ids = [o.id for o in terms.outcomes_for(area.code)]
    outcomes = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
    return area.short, activity, tuple(outcomes)


@st.composite
def trackers(draw: st.DrawFn, sc: Scenario, min_slots: int = 0) -> Tracker:
    terms = sc.terms
    advisors = [a.id for a in terms.advisors]
    slots = draw(
        st.lists(
            st.tuples(st.sampled_from(advisors), st.sampled_from(working_days(sc))),
            min_size=min_slots,
            max_size=MAX_SLOTS,
            unique=True,
        )
    )
    specs: list[tuple[str, dt.date, str, str, tuple[str, ...], Decimal]] = []
    for advisor, day in slots:
        kind = draw(st.sampled_from(["whole", "half", "split"]))
        first = draw(row_content(terms))
        if kind == "split":  # two half days: different area or activity, so not duplicates
            second = draw(row_content(terms, not_activity=first[1]))
            specs += [
                (advisor, day, *first, Decimal("0.5")),
                (advisor, day, *second, Decimal("0.5")),
            ]
        else:
            specs.append((advisor, day, *first, Decimal("1" if kind == "whole" else "0.5")))

    specs = draw(st.permutations(specs))  # rows out of date order, split halves apart
    rows: list[RawRow] = []
    entries: list[Entry] = []
    number = 2  # row 1 is the header
    for advisor, day, area, activity, outcomes, days in specs:
        # Now and then blank rows, skipped silently (0 first, so examples shrink to none).
        for _ in range(draw(st.sampled_from([0] * 8 + [1, 2]))):
            blank = draw(st.sampled_from([None, "", "   "]))
            rows.append(RawRow(SHEET, number, {c: blank for c in INPUT_COLUMNS} | {"Cost": 0}))
            number += 1
        notes = draw(st.one_of(st.none(), SAFE_NOTES))
        separator = draw(st.sampled_from([", ", ",", "; ", " , "]))
        values: dict[str, object] = {
            "Date": render_date(draw, day),
            "Advisor": advisor,
            "Area": area,
            "Activity": activity,
            "Outcomes": separator.join(outcomes) if outcomes else draw(st.sampled_from([None, ""])),
            "Days": render_days(draw, days),
            "Notes": notes,
        }
        rows.append(RawRow(SHEET, number, values))
        entries.append(
            Entry(day, advisor, area, activity, days, outcomes, (notes or "").strip(), number)
        )
        number += 1
    return Tracker(rows, entries, {e.row: e for e in entries})


def run(sc: Scenario, rows: list[RawRow], terms: Terms | None = None):
    return validate_rows(terms or sc.terms, rows, today=sc.today, locked_months=sc.locked)


# --- Valid trackers pass ------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SCENARIOS))
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_valid_tracker_has_no_issues(name: str, data: st.DataObject) -> None:
    sc = SCENARIOS[name]
    tracker = data.draw(trackers(sc))
    result = run(sc, tracker.rows)
    assert result.issues == []
    assert result.ok
    assert result.entries == tracker.entries


# --- One planted fault, found at its cell ---------------------------------------------------


@dataclass(frozen=True)
class Planted:
    rows: list[RawRow]
    row: int
    column: str
    terms: Terms | None = None  # when the fault needs other terms (a smaller cap)


Mutation = Callable[[Scenario, Tracker, st.DataObject], Planted]


def set_cell(tracker: Tracker, row: int, **values: object) -> list[RawRow]:
    return [replace(r, values={**r.values, **values}) if r.row == row else r for r in tracker.rows]


def pick(tracker: Tracker, data: st.DataObject) -> Entry:
    return data.draw(st.sampled_from(tracker.entries))


def move_to(day: dt.date, column: str = "Date") -> Mutation:
    def mutate(sc: Scenario, tracker: Tracker, data: st.DataObject) -> Planted:
        entry = pick(tracker, data)
        return Planted(set_cell(tracker, entry.row, Date=day), entry.row, column)

    return mutate


def move_to_one_of(days: list[dt.date]) -> Mutation:
    def mutate(sc: Scenario, tracker: Tracker, data: st.DataObject) -> Planted:
        entry = pick(tracker, data)
        day = data.draw(st.sampled_from(days))
        return Planted(set_cell(tracker, entry.row, Date=day), entry.row, "Date")

    return mutate


def set_to(column: str, values: list[object]) -> Mutation:
    def mutate(sc: Scenario, tracker: Tracker, data: st.DataObject) -> Planted:
        entry = pick(tracker, data)
        value = data.draw(st.sampled_from(values))
        return Planted(set_cell(tracker, entry.row, **{column: value}), entry.row, column)

    return mutate


def blank_required(sc: Scenario, tracker: Tracker, data: st.DataObject) -> Planted:
    entry = pick(tracker, data)
    column = data.draw(st.sampled_from(["Date", "Advisor", "Area", "Activity", "Days"]))
    blank = data.draw(st.sampled_from([None, "", "  "]))
    return Planted(set_cell(tracker, entry.row, **{column: blank}), entry.row, column)


def add_outcome(unknown: bool) -> Mutation:
    def mutate(sc: Scenario, tracker: Tracker, data: st.DataObject) -> Planted:
        entry = pick(tracker, data)
        if unknown:
            extra = data.draw(st.sampled_from(["OX-PA9", "XX-1", "Annex A"]))
        else:  # an outcome of another area
            code = sc.terms.area_by_short()[entry.area].code
            extra = next(o.id for o in sc.terms.outcomes if code not in o.areas)
        text = ", ".join((*entry.outcomes, extra))
        return Planted(set_cell(tracker, entry.row, Outcomes=text), entry.row, "Outcomes")

    return mutate


def blank_outcomes(sc: Scenario, tracker: Tracker, data: st.DataObject) -> Planted:
    entry = pick(tracker, data)
    values: dict[str, object] = {"Outcomes": data.draw(st.sampled_from([None, "", " "]))}
    if entry.activity == "Travel":  # Travel may have no outcome; pick an unused activity
        used = {
            e.activity
            for e in tracker.entries
            if (e.advisor, e.date) == (entry.advisor, entry.date)
        }
        values["Activity"] = next(a for a in sc.terms.activities if a not in used | {"Travel"})
    return Planted(set_cell(tracker, entry.row, **values), entry.row, "Outcomes")


def free_slot(sc: Scenario, tracker: Tracker) -> tuple[str, dt.date]:
    """An (advisor, date) with no row yet, on or after the latest date, for an appended row."""
    taken = {(e.advisor, e.date) for e in tracker.entries}
    latest = max(e.date for e in tracker.entries)
    for day in [d for d in working_days(sc) if d >= latest]:
        for advisor in sc.terms.advisors:
            if (advisor.id, day) not in taken:
                return advisor.id, day
    assume(False)
    raise AssertionError("unreachable")


def appended(
    sc: Scenario, tracker: Tracker, advisor: str, day: dt.date, **values: object
) -> RawRow:
    base = {
        "Date": day,
        "Advisor": advisor,
        "Area": "Oxfordshire",
        "Activity": "Deep dive",
        "Outcomes": "OX-0",
        "Days": 0.5,
        "Notes": None,
    }
    return RawRow(SHEET, tracker.next_row(), base | values)


def over_one_day(sc: Scenario, tracker: Tracker, data: st.DataObject) -> Planted:
    entry = pick(tracker, data)
    used = {
        e.activity for e in tracker.entries if (e.advisor, e.date) == (entry.advisor, entry.date)
    }
    activity = next(a for a in sc.terms.activities if a not in used and a != "Travel")
    extra = appended(sc, tracker, entry.advisor, entry.date, Activity=activity, Days=1)
    return Planted([*tracker.rows, extra], extra.row, "Days")


def duplicate(sc: Scenario, tracker: Tracker, data: st.DataObject) -> Planted:
    counts: dict[tuple[str, dt.date], int] = {}
    for e in tracker.entries:
        counts[(e.advisor, e.date)] = counts.get((e.advisor, e.date), 0) + 1
    alone = [e for e in tracker.entries if counts[(e.advisor, e.date)] == 1]
    assume(alone)
    entry = data.draw(st.sampled_from(alone))
    rows = set_cell(tracker, entry.row, Days=0.5)  # two halves: a duplicate, not too many days
    original = next(r for r in rows if r.row == entry.row)
    copy = RawRow(SHEET, tracker.next_row(), dict(original.values))
    return Planted([*rows, copy], copy.row, "Date")


def exceed_cap(sc: Scenario, tracker: Tracker, data: st.DataObject) -> Planted:
    # The cap is exactly what the tracker spends (valid); half a day more, last in date order.
    terms = with_cap(sc.terms, tracker.total_cost(sc.terms), [Decimal(1)])
    extra = appended(sc, tracker, *free_slot(sc, tracker))
    return Planted([*tracker.rows, extra], extra.row, "Days", terms)


def reach_band(sc: Scenario, tracker: Tracker, data: st.DataObject) -> Planted:
    # With a cap of 2 x (spend + half a day), the appended half day reaches exactly 50%.
    half_day = line_cost(Decimal("0.5"), sc.terms.money.day_rate)
    cap = 2 * (tracker.total_cost(sc.terms) + half_day)
    terms = with_cap(sc.terms, cap, [Decimal("0.5"), Decimal(1)])
    extra = appended(sc, tracker, *free_slot(sc, tracker))
    return Planted([*tracker.rows, extra], extra.row, "Days", terms)


def in_locked_month(sc: Scenario, tracker: Tracker, data: st.DataObject) -> Planted:
    (month,) = sc.locked
    days = [d for d in days_between(month, month + dt.timedelta(27)) if is_working_day(d)]
    return move_to_one_of([d for d in days if d >= sc.first])(sc, tracker, data)


def _window_days(sc: Scenario, weekend: bool) -> list[dt.date]:
    days = days_between(sc.first, sc.last)
    if weekend:
        return [d for d in days if d.weekday() >= 5 and d not in BANK_HOLIDAYS]
    return [d for d in days if d.weekday() < 5 and d in BANK_HOLIDAYS]


MUTATIONS: dict[str, tuple[str, Mutation]] = {
    "REQUIRED": ("default", blank_required),
    "DATE-INVALID": (
        "default",
        set_to("Date", ["31/02/2024", "12/13/2023", "next Tuesday", "2023/10/12", 45212, True]),
    ),
    "DATE-BEFORE-START": ("default", move_to(previous_working_day(TERMS.dates.start))),
    "DATE-AFTER-BREAK": ("ended-at-break", move_to(next_working_day(BREAK))),
    "DATE-OUTSIDE-TERM": ("default", move_to(next_working_day(TERMS.contract_end))),
    "DATE-FUTURE": ("mid-term", move_to(next_working_day(dt.date(2024, 6, 28)))),
    "DATE-WEEKEND": ("default", move_to_one_of(_window_days(DEFAULT, weekend=True))),
    "DATE-BANK-HOLIDAY": ("default", move_to_one_of(_window_days(DEFAULT, weekend=False))),
    "ADVISOR-UNKNOWN": ("default", set_to("Advisor", ["RK-99", "Jo Bloggs", 1])),
    "AREA-UNKNOWN": ("default", set_to("Area", ["Oxfordshre", "Kent", "OX"])),
    "ACTIVITY-UNKNOWN": ("default", set_to("Activity", ["Deep-dive", "Lunch"])),
    "NAME-NOT-EXACT": (
        "default",
        set_to("Advisor", ["rk-01", " RK-01", "RK-01\u00a0", "RK-01 ", "Rk-02"]),
    ),
    "DATE-TEXT": ("default", set_to("Date", ["12/10/2023", "2024-01-31", " 3/4/2024 "])),
    "DAYS-TEXT": ("default", set_to("Days", ["1", "0.5", " 1 ", ".5"])),
    "OUTCOME-UNKNOWN": ("default", add_outcome(unknown=True)),
    "OUTCOME-WRONG-AREA": ("default", add_outcome(unknown=False)),
    "OUTCOME-MISSING": ("default", blank_outcomes),
    "DAYS-INVALID": (
        "default",
        set_to("Days", [1.5, 2, 0, -0.5, 0.25, "1,5", "two", "1.5", True, float("nan")]),
    ),
    "DAYS-OVER-ONE-PER-DATE": ("default", over_one_day),
    "CAP-EXCEEDED": ("default", exceed_cap),
    "CAP-BAND": ("default", reach_band),
    "MONTH-LOCKED": ("locked-october", in_locked_month),
    "DUPLICATE": ("default", duplicate),
    "NOTES-PERSONAL-DATA": (
        "default",
        set_to(
            "Notes",
            [
                "Call 07700 900123 after the SIB",
                "email jo.bloggs@example.org",
                "Rang 020 7946 0000 re plan",
                "mobile +447700900123",
                "tel (020) 7946 0000",
                "Head: +44 20 7946 0000",
            ],
        ),
    ),
    "FORMULA-LIKE-TEXT": (
        "default",
        set_to("Notes", ["=SUM(A1:A3)", "+ agreed actions", "-- see plan", "@SENCO team"]),
    ),
}


# Found in the workbook file, not in the rows' values: tests/test_validate_workbook.py.
TABLE_RULES = {"FORMULA-OVERWRITTEN", "ROW-BELOW-TABLE"}


def test_every_rule_has_a_planted_fault() -> None:
    assert set(MUTATIONS) == {r.code for r in ROW_RULES} - TABLE_RULES


@pytest.mark.parametrize("code", list(MUTATIONS))
@FAST
@given(data=st.data())
def test_planted_fault_is_found_at_its_cell(code: str, data: st.DataObject) -> None:
    name, mutate = MUTATIONS[code]
    sc = SCENARIOS[name]
    tracker = data.draw(trackers(sc, min_slots=1))
    planted = mutate(sc, tracker, data)
    result = run(sc, planted.rows, planted.terms)
    found = [(i.code, i.row, i.column) for i in result.issues]
    assert found == [(code, planted.row, planted.column)], [str(i) for i in result.issues]
    (only,) = result.issues
    assert only.sheet == SHEET
    assert only.severity == BY_CODE[code].severity
    assert result.ok == (only.severity == "warning")


# --- Junk never raises ----------------------------------------------------------------------

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(),
    st.text(alphabet="0123456789/-.:+=@ ", max_size=12),
    st.dates(),
    st.datetimes(),
    st.from_type(dt.time),
)


def cell(column: str) -> st.SearchStrategy[object]:
    """Junk, mixed with plausible values so the later rules run too."""
    plausible = {
        "Date": st.dates(dt.date(2023, 9, 1), dt.date(2025, 6, 1)),
        "Advisor": st.sampled_from([a.id for a in TERMS.advisors]),
        "Area": st.sampled_from([a.short for a in TERMS.areas]),
        "Activity": st.sampled_from(TERMS.activities),
        "Outcomes": st.sampled_from([o.id for o in TERMS.outcomes]),
        "Days": st.sampled_from([0.5, 1, "1", 1.5]),
        "Notes": SAFE_NOTES,
    }[column]
    return st.one_of(JUNK, plausible)


junk_rows = st.lists(st.fixed_dictionaries({c: cell(c) for c in INPUT_COLUMNS}), max_size=15).map(
    lambda values: [RawRow(SHEET, n + 2, v) for n, v in enumerate(values)]
)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=junk_rows,
    today=st.dates(),
    locked=st.frozensets(st.dates(dt.date(2023, 10, 1), dt.date(2025, 6, 1)), max_size=3),
)
def test_junk_gives_issues_never_exceptions(
    rows: list[RawRow], today: dt.date, locked: frozenset[dt.date]
) -> None:
    result = validate_rows(TERMS, rows, today=today, locked_months=locked)
    numbers = {r.row for r in rows}
    for found in result.issues:
        assert isinstance(found, Issue)
        assert found.severity == BY_CODE[found.code].severity
        assert found.row in numbers and found.column in INPUT_COLUMNS
        assert found.message and str(found)
        found.to_json()
    for entry in result.entries:
        assert entry.days in ALLOWED_DAYS and entry.row in numbers
