"""Example tests for each tracker rule: what passes, what fails, and what the message says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.terms_helpers import extended, terminated
from xlsrc.core.validate import ValidationResult, validate_rows
from xlsrc.core.validate.privacy import EMAIL, UK_PHONE
from xlsrc.model.entry import RawRow
from xlsrc.model.terms import load_terms
from xlsrc.model.terms.models import Terms

TERMS = load_terms()
TODAY = dt.date(2025, 6, 30)
THU = dt.date(2023, 10, 12)  # the start date, a Thursday


def values(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "Date": THU,
        "Advisor": "RK-01",
        "Area": "Oxfordshire",
        "Activity": "Deep dive",
        "Outcomes": "OX-PA3, OX-0",
        "Days": 1,
        "Notes": "Reviewed EHCP timeliness data",
    }
    return base | changes


def row(number: int = 2, **changes: object) -> RawRow:
    return RawRow("Tracker", number, values(**changes))


def check(
    *rows: RawRow,
    terms: Terms = TERMS,
    today: dt.date = TODAY,
    locked: frozenset[dt.date] = frozenset(),
) -> ValidationResult:
    return validate_rows(terms, list(rows), today=today, locked_months=locked)


def codes(result: ValidationResult) -> list[tuple[str, int, str]]:
    return [(i.code, i.row, i.column) for i in result.issues]


def only(result: ValidationResult, code: str) -> str:
    """The message of the one issue, which must have `code`."""
    assert [i.code for i in result.issues] == [code], [str(i) for i in result.issues]
    return result.issues[0].message


def with_extension(terms: Terms, months: int) -> Terms:
    return extended(terms, months)


def working_days(first: dt.date, count: int) -> list[dt.date]:
    """`count` weekdays from `first` that are not English bank holidays (for these years)."""
    from xlsrc.core.validate.dates import english_bank_holidays

    days: list[dt.date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5 and day not in english_bank_holidays():
            days.append(day)
        day += dt.timedelta(1)
    return days


# --- A clean row ------------------------------------------------------------------------


def test_clean_row_becomes_an_entry() -> None:
    result = check(row())
    assert result.ok and result.issues == []
    (entry,) = result.entries
    assert (entry.date, entry.advisor, entry.area, entry.activity) == (
        THU,
        "RK-01",
        "Oxfordshire",
        "Deep dive",
    )
    assert entry.days == Decimal(1) and entry.outcomes == ("OX-PA3", "OX-0") and entry.row == 2


def test_blank_rows_are_skipped_silently() -> None:
    blank = {c: None for c in values()}
    rows = [
        RawRow("Tracker", 2, blank),
        RawRow("Tracker", 3, {"Date": "  ", "Notes": ""}),
        RawRow("Tracker", 4, blank | {"Month": dt.date(2023, 10, 1), "Cost": 0}),
        RawRow("Tracker", 5, {}),
    ]
    result = check(*rows)
    assert result.issues == [] and result.entries == []


# --- Reading cells ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", [THU, dt.datetime(2023, 10, 12, 0, 0), dt.datetime(2023, 10, 12, 14, 30)]
)
def test_dates_that_read(typed: object) -> None:
    result = check(row(Date=typed))
    assert result.issues == [] and result.entries[0].date == THU


@pytest.mark.parametrize("typed", ["12/10/2023", " 12/10/2023 ", "2023-10-12"])
def test_a_date_typed_as_text_is_an_error_and_counts_nowhere(typed: str) -> None:
    # The workbook's formulas cannot count text, so neither does Python: the row is an error.
    result = check(row(Date=typed))
    message = only(result, "DATE-TEXT")
    assert "retype 12/10/2023 as a date" in message
    assert result.entries == [] and result.uncounted == {("Tracker", 2)}


def test_a_number_in_the_date_column_counts_as_the_workbook_counts_it() -> None:
    # Excel holds a date as a number: 45211 in the term counts (on 12/10/2023), but the cell
    # should be a date, so it is still an error; a number outside the term counts nowhere.
    result = check(row(Date=45211))
    assert "a number" in only(result, "DATE-INVALID")
    assert [e.date for e in result.entries] == [THU]
    assert check(row(Date=7)).entries == []


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("31/02/2024", "does not exist"),
        ("12/13/2023", "does not exist"),
        ("12-10-2023", "dd/mm/yyyy"),
        ("2023/10/12", "dd/mm/yyyy"),
        ("12/10/23", "dd/mm/yyyy"),
        ("next Tuesday", '"next Tuesday"'),
        (7, "a number"),
        (7.5, "a number"),
        (True, "TRUE, a true/false value"),
    ],
)
def test_dates_that_do_not_read(typed: object, says: str) -> None:
    result = check(row(Date=typed))
    message = only(result, "DATE-INVALID")
    assert says in message and message.startswith("Date must be")
    assert result.issues[0].value == typed and result.entries == []


@pytest.mark.parametrize(
    ("typed", "days"),
    [(1, "1"), (1.0, "1"), (Decimal("1"), "1"), (0.5, "0.5"), (Decimal("0.50"), "0.5")],
)  # fmt: skip
def test_days_that_read(typed: object, days: str) -> None:
    result = check(row(Days=typed))
    assert result.issues == []
    assert str(result.entries[0].days) == days  # stored as the allowed value itself


@pytest.mark.parametrize(("typed", "number"), [("1", "1"), ("1.00", "1.00"), (" .5", ".5")])
def test_days_typed_as_text_are_an_error_and_count_nowhere(typed: str, number: str) -> None:
    result = check(row(Days=typed))
    assert f"retype {number} as a number" in only(result, "DAYS-TEXT")
    assert result.entries == []


@pytest.mark.parametrize(
    ("typed", "found"),
    [(1.5, "found 1.5"), ("1.5", 'found "1.5"'), (2, "found 2"), (0, "found 0"),
     (-0.5, "found -0.5"), (0.25, "found 0.25"), ("1,5", 'found "1,5", which is not a number'),
     ("two", "not a number"), (True, "found TRUE"), (float("nan"), "found nan"),
     (float("inf"), "found inf"), (THU, "found 12/10/2023")],
)  # fmt: skip
def test_days_must_be_half_or_whole(typed: object, found: str) -> None:
    result = check(row(Days=typed))
    message = only(result, "DAYS-INVALID")
    assert message.startswith("Days must be 0.5 or 1; ") and found in message
    assert result.entries == []  # an unusable Days never reaches the totals


def test_days_message_matches_the_style_guide_example() -> None:
    assert only(check(row(Days=1.5)), "DAYS-INVALID").startswith("Days must be 0.5 or 1; found 1.5")


@pytest.mark.parametrize("column", ["Date", "Advisor", "Area", "Activity", "Days"])
@pytest.mark.parametrize("blank", [None, "", "   "])
def test_required_cells(column: str, blank: object) -> None:
    result = check(row(**{column: blank}))
    assert codes(result) == [("REQUIRED", 2, column)]
    assert result.issues[0].message.startswith(f"{column} is required; the cell is blank")
    assert result.entries == []


def test_outcomes_and_notes_may_be_blank_for_travel() -> None:
    result = check(row(Activity="Travel", Outcomes=None, Notes=None))
    assert result.issues == [] and result.entries[0].outcomes == ()


def test_outcomes_are_trimmed() -> None:
    result = check(row(Outcomes=" OX-0 ;OX-PA1 "))
    assert result.issues == [] and result.entries[0].outcomes == ("OX-0", "OX-PA1")


@pytest.mark.parametrize(
    ("column", "typed", "differs"),
    [("Advisor", " RK-01 ", "spaces"), ("Area", "Oxfordshire\u00a0", "non-breaking"),
     ("Area", "oxfordshire", "different capitals"), ("Activity", "deep  Dive", "spaces and")],
)  # fmt: skip
def test_names_must_be_exact_to_count(column: str, typed: str, differs: str) -> None:
    # EXACT in the workbook's formula: a padded or mis-cased name counts nowhere, an error.
    result = check(row(**{column: typed}))
    message = only(result, "NAME-NOT-EXACT")
    assert differs in message and "Retype it as" in message
    assert result.entries == []


# --- Dates against the term -------------------------------------------------------------


def test_before_start() -> None:
    message = only(check(row(Date=dt.date(2023, 10, 11))), "DATE-BEFORE-START")
    assert message == "Date must be on or after the contract start, 12/10/2023; found 11/10/2023"


def test_after_break_only_when_the_contract_ended_there() -> None:
    after_break = row(Date=dt.date(2024, 4, 2))
    assert check(after_break).issues == []  # the real contract continued past the break
    ended = terminated(TERMS)
    message = only(check(after_break, terms=ended), "DATE-AFTER-BREAK")
    assert "31/03/2024" in message and "found 02/04/2024" in message
    assert check(row(Date=dt.date(2024, 3, 28)), terms=ended).issues == []


def test_after_end_needs_a_recorded_extension() -> None:
    late = row(Date=dt.date(2025, 4, 1))
    message = only(check(late), "DATE-OUTSIDE-TERM")
    assert "31/03/2025" in message and "found 01/04/2025" in message
    assert "extension" in message and "decision" in message

    extended = with_extension(TERMS, 3)
    assert check(late, terms=extended).issues == []
    assert check(row(Date=dt.date(2025, 6, 30)), terms=extended).issues == []
    july = row(Date=dt.date(2025, 7, 1))
    message = only(check(july, terms=extended, today=dt.date(2025, 9, 1)), "DATE-OUTSIDE-TERM")
    assert "30/06/2025" in message and "3-month extension" in message


def test_ended_at_break_reports_the_break_not_the_end() -> None:
    ended = terminated(TERMS)
    assert [i.code for i in check(row(Date=dt.date(2025, 4, 1)), terms=ended).issues] == [
        "DATE-AFTER-BREAK"
    ]


def test_future_date() -> None:
    message = only(check(row(Date=dt.date(2024, 7, 1)), today=dt.date(2024, 6, 28)), "DATE-FUTURE")
    assert "today (28/06/2024)" in message and "found 01/07/2024" in message
    assert check(row(Date=dt.date(2024, 6, 28)), today=dt.date(2024, 6, 28)).issues == []


def test_weekend_is_a_warning_naming_the_day() -> None:
    result = check(row(Date=dt.date(2023, 10, 14)))
    assert only(result, "DATE-WEEKEND") == "14/10/2023 is a Saturday; check the date is right"
    assert result.ok and len(result.entries) == 1


@pytest.mark.parametrize(
    ("day", "name"),
    [(dt.date(2023, 12, 25), "Christmas Day"), (dt.date(2024, 4, 1), "Easter Monday"),
     (dt.date(2024, 5, 27), "Spring Bank Holiday"), (dt.date(2024, 8, 26), "Late Summer")],
)  # fmt: skip
def test_bank_holiday_is_a_warning_naming_the_holiday(day: dt.date, name: str) -> None:
    result = check(row(Date=day))
    assert name in only(result, "DATE-BANK-HOLIDAY") and result.ok


def test_scottish_holidays_do_not_count() -> None:
    assert check(row(Date=dt.date(2024, 1, 2))).issues == []  # 2 January: Scotland only


# --- References -------------------------------------------------------------------------


def test_unknown_area_lists_the_areas_and_suggests() -> None:
    message = only(check(row(Area="Oxfordshre")), "AREA-UNKNOWN")
    assert message == (
        "Area must be one of Oxfordshire, Portsmouth, Medway; found"
        ' "Oxfordshre" (did you mean "Oxfordshire"?)'
    )
    assert "did you mean" not in only(check(row(Area="Kent")), "AREA-UNKNOWN")


def test_unknown_advisor_and_activity() -> None:
    assert "RK-01, RK-02, RK-03" in only(check(row(Advisor="RK-9")), "ADVISOR-UNKNOWN")
    message = only(check(row(Activity="Deep dives")), "ACTIVITY-UNKNOWN")
    assert 'did you mean "Deep dive"' in message and "Travel" in message


def test_unknown_outcome_is_reported_per_id() -> None:
    result = check(row(Outcomes="OX-0, OX-PA9, ZZ"))
    assert codes(result) == [("OUTCOME-UNKNOWN", 2, "Outcomes")] * 2
    assert [i.value for i in result.issues] == ["OX-PA9", "ZZ"]
    assert "the Oxfordshire outcomes are OX-0, OX-PA1" in result.issues[0].message


def test_outcome_of_another_area() -> None:
    message = only(check(row(Outcomes="OX-0, PM-1")), "OUTCOME-WRONG-AREA")
    assert message.startswith("Outcome PM-1 is for Portsmouth, Medway, not Oxfordshire")
    assert check(row(Area="Medway", Outcomes="PM-1")).issues == []


def test_missing_outcome_is_a_warning_except_for_travel() -> None:
    result = check(row(Outcomes=""))
    assert "OX-0" in only(result, "OUTCOME-MISSING") and result.ok
    assert check(row(Activity="Travel", Outcomes="")).issues == []
    # An unknown activity is already an error; no second complaint about its outcomes.
    assert [i.code for i in check(row(Activity="Lunch", Outcomes="")).issues] == [
        "ACTIVITY-UNKNOWN"
    ]


# --- Days per advisor per date ----------------------------------------------------------


def test_more_than_one_day_per_date_is_reported_from_the_row_that_tips_it() -> None:
    rows = [
        row(2, Days=0.5),
        row(3, Days=0.5, Activity="Work with senior leaders"),
        row(4, Advisor="RK-02"),  # another advisor: fine
        row(5, Days=0.5, Activity="Travel"),
        row(6, Days=1, Activity="Written report to DfE"),
    ]
    result = check(*rows)
    assert codes(result) == [
        ("DAYS-OVER-ONE-PER-DATE", 5, "Days"),
        ("DAYS-OVER-ONE-PER-DATE", 6, "Days"),
    ]
    first, second = (i.message for i in result.issues)
    assert "RK-01 already has 1 day on 12/10/2023 (row 2, row 3)" in first
    assert "makes 1.5 days" in first
    assert "(row 2, row 3, row 5)" in second and "makes 2.5 days" in second


# --- Cap --------------------------------------------------------------------------------


def cap_rows(days: list[Decimal]) -> list[RawRow]:
    """One row per working day from the start, RK-01..03 in turn, so no date has >1 day each."""
    dates = working_days(THU, len(days))
    return [
        row(n + 2, Date=dates[n], Advisor=f"RK-0{n % 3 + 1}", Days=float(d))
        for n, d in enumerate(days)
    ]


def test_cap_exceeded_states_the_amount_over_to_the_penny() -> None:
    # 90 days at £650 is exactly the £58,500 cap; half a day more is £325.00 over.
    rows = cap_rows([Decimal(1)] * 90 + [Decimal("0.5"), Decimal(1)])
    result = check(*rows)
    over = [i for i in result.issues if i.code == "CAP-EXCEEDED"]
    assert [i.row for i in over] == [92, 93]
    assert "£58,825.00, £325.00 over the £58,500.00 cap" in over[0].message
    assert "already exceeded at row 92" in over[1].message
    assert "£975.00 over the £58,500.00 cap" in over[1].message
    assert all(i.column == "Days" and i.severity == "error" for i in over)


def test_cap_reached_exactly_is_not_exceeded() -> None:
    result = check(*cap_rows([Decimal(1)] * 90))
    assert "CAP-EXCEEDED" not in {i.code for i in result.issues}


def test_cap_bands_are_warned_on_the_row_that_reaches_them() -> None:
    result = check(*cap_rows([Decimal(1)] * 90))
    bands = [(i.row, i.message) for i in result.issues if i.code == "CAP-BAND"]
    # Day n is on row n + 1: 45 days = 50%, the 68th passes 75% (67.5), 81 days = 90%.
    # The 100% band is CAP-EXCEEDED's business, not a warning.
    assert [r for r, _ in bands] == [46, 69, 82]
    assert bands[0][1].startswith("Cumulative cost reaches 50% of the £58,500.00 cap")
    assert "£29,250.00 spent up to" in bands[0][1]
    assert "75%" in bands[1][1] and "90%" in bands[2][1]
    assert {i.code for i in result.issues} == {"CAP-BAND"}


def test_cap_follows_date_order_not_sheet_order() -> None:
    rows = cap_rows([Decimal(1)] * 91)
    # The earliest-dated row placed last in the sheet: the cap is still crossed by date.
    moved = [*rows[1:], RawRow("Tracker", 200, rows[0].values)]
    result = check(*moved)
    assert [i.row for i in result.issues if i.code == "CAP-EXCEEDED"] == [92]


# --- Locked months, duplicates ----------------------------------------------------------


def test_entry_in_a_locked_month() -> None:
    result = check(
        row(), row(3, Date=dt.date(2023, 11, 1)), locked=frozenset({dt.date(2023, 10, 1)})
    )
    assert codes(result) == [("MONTH-LOCKED", 2, "Date")]
    assert result.issues[0].message.startswith(
        "October 2023 is locked: returns or invoices have been issued up to 31/10/2023"
    )


def test_duplicate_names_the_first_row() -> None:
    result = check(row(2, Days=0.5), row(3, Days=0.5), row(4, Days=0.5, Advisor="RK-02"))
    assert codes(result) == [("DUPLICATE", 3, "Date")]
    assert "as row 2 (RK-01, 12/10/2023, Oxfordshire, Deep dive)" in result.issues[0].message
    assert result.ok


# --- Text: personal data, formula-like --------------------------------------------------


@pytest.mark.parametrize(
    "notes",
    ["Call 07700 900123", "Tel: 07700900123", "+44 20 7946 0000", "(020) 7946 0000",
     "020 7946 0000", "+44 (0)20 7946 0000", "jo.bloggs@example.org", "via JO@COUNCIL.GOV.UK",
     "0117 496 0123", "07700-900-123", "016977 3456"],
)  # fmt: skip
def test_contact_details_in_notes(notes: str) -> None:
    result = check(row(Notes=notes))
    codes_found = {i.code for i in result.issues}
    assert "NOTES-PERSONAL-DATA" in codes_found and not result.ok
    personal = next(i for i in result.issues if i.code == "NOTES-PERSONAL-DATA")
    assert "order form section 4" in personal.message and personal.column == "Notes"


@pytest.mark.parametrize(
    ("notes", "found"),
    [("Met Mrs Smith, SEND lead", "a person's name (Mrs Smith)"),
     ("Dr. Patel joined the SIB", "a person's name (Dr. Patel)"),
     ("DSG deficit now £12.4m", "a DSG figure"),
     ("£3.2m overspend on the DSG high needs block", "a DSG figure")],
)  # fmt: skip
def test_names_and_dsg_figures_in_notes_are_errors_before_any_return(notes, found) -> None:
    """What would stop the monthly return (returns/confidentiality.py) is found at its cell."""
    result = check(row(Notes=notes))
    assert codes(result) == [("NOTES-PERSONAL-DATA", 2, "Notes")]
    assert found in result.issues[0].message and not result.ok


def test_names_are_allowed_in_notes_when_the_terms_allow_them() -> None:
    terms = load_terms()
    open_terms = terms.model_copy(
        update={
            "confidentiality": terms.confidentiality.model_copy(update={"names_may_be_shown": True})
        }
    )
    result = validate_rows(open_terms, [row(Notes="Met Mrs Smith, SEND lead")], today=TODAY)
    assert result.issues == []


@pytest.mark.parametrize(
    "notes",
    ["Meeting 12/10/2023, 0.5 day, £650.00", "Ref 2023-10-12 OX-PA3", "Room 101, 3 attendees",
     "EHCP 20 weeks, 85% on time", "Invoice INV-2024-0007", "Budget £58,500.00 (10 x 5,850)",
     "Figures 2023/24 and 2024/25", "Year 2024 12 plans"],
)  # fmt: skip
def test_ordinary_notes_are_not_personal_data(notes: str) -> None:
    assert not EMAIL.search(notes) and not UK_PHONE.search(notes)
    assert check(row(Notes=notes)).issues == []


@pytest.mark.parametrize("column", ["Advisor", "Area", "Activity", "Outcomes", "Notes"])
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_formula_like_text_is_a_warning_in_any_column(column: str, start: str) -> None:
    typed = f"{start}HYPERLINK(1)"
    result = check(row(**{column: typed}))
    flagged = [i for i in result.issues if i.code == "FORMULA-LIKE-TEXT"]
    assert [(i.row, i.column, i.value) for i in flagged] == [(2, column, typed)]
    assert "kept as plain text" in flagged[0].message


def test_formula_like_notes_are_kept_as_text() -> None:
    result = check(row(Notes="=1+1"))
    assert only(result, "FORMULA-LIKE-TEXT") and result.ok
    assert result.entries[0].notes == "=1+1"


# --- Collecting everything --------------------------------------------------------------


def test_every_problem_is_collected_in_one_run() -> None:
    rows = [
        row(2, Date="31/02/2024"),
        row(3, Date=dt.date(2023, 10, 11)),
        row(4, Advisor="RK-9"),
        row(5, Area="Kent", Date=dt.date(2023, 10, 13)),
        row(6, Days="1.5"),
        row(7, Notes="ring 07700 900123", Date=dt.date(2023, 10, 16)),
        row(8, Date=dt.date(2023, 10, 14), Advisor="RK-02"),
        row(9, Date=dt.date(2023, 10, 16)),  # row 7 again
        # All at once: weekend, unknown activity, unknown outcome, blank days, formula text.
        row(
            10, Date=dt.date(2023, 10, 15), Activity="Lunch", Outcomes="OX-9", Days=None, Notes="@x"
        ),
    ]
    result = check(*rows)
    assert sorted((i.row, i.code) for i in result.issues) == sorted(
        [
            (2, "DATE-INVALID"),
            (3, "DATE-BEFORE-START"),
            (4, "ADVISOR-UNKNOWN"),
            (5, "AREA-UNKNOWN"),
            (6, "DAYS-INVALID"),
            (7, "NOTES-PERSONAL-DATA"),
            (8, "DATE-WEEKEND"),
            (9, "DUPLICATE"),
            (9, "DAYS-OVER-ONE-PER-DATE"),
            (10, "REQUIRED"),
            (10, "DATE-WEEKEND"),
            (10, "ACTIVITY-UNKNOWN"),
            (10, "OUTCOME-UNKNOWN"),
            (10, "FORMULA-LIKE-TEXT"),
        ]
    )
    # Reported in sheet order, left to right within a row.
    assert [(i.row, i.column) for i in result.issues if i.row == 10] == [
        (10, "Date"),
        (10, "Activity"),
        (10, "Outcomes"),
        (10, "Days"),
        (10, "Notes"),
    ]
    assert not result.ok
    assert len(result.errors) + len(result.warnings) == len(result.issues)
    # Rows that count are entries even with rule errors (a duplicate, personal data); rows
    # that cannot count (unknown names, dates outside the term, bad days) are not.
    assert [e.row for e in result.entries] == [7, 8, 9]
    assert "as row 7" in next(i.message for i in result.issues if i.code == "DUPLICATE")
