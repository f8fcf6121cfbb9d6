"""Advisors' tracker files (calloff tracker) and merging them into the master (calloff import).

Each test fills real advisor files the way an advisor would end up with them (rows in the
Tracker table, saved), imports them into a copy of an empty built master, and reads the
master back with the same reader the other commands use.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from xlsrc.actions.advisor_tracker import write_advisor_tracker
from xlsrc.actions.import_trackers import import_trackers
from xlsrc.adapters.cli import cli, main
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.reader import open_book, read_tracker
from xlsrc.edges.fileio.terms_reader import read_terms
from xlsrc.edges.fileio.tracker_writer import append_entries, load_for_edit, set_named_value
from xlsrc.edges.workbook.builder import build_workbook
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.structure import structural_problems
from xlsrc.model import layout
from xlsrc.model.entry import INPUT_COLUMNS, Entry
from xlsrc.model.errors import UserDataError

TODAY = dt.date(2025, 3, 31)
FIRST = layout.FIRST_DATA_ROW  # 5: the first Tracker row, in the master and in every file


def entry(
    advisor: str,
    date: dt.date,
    area: str = "Oxfordshire",
    activity: str = "Deep dive",
    days: str = "1",
    outcomes: tuple[str, ...] = ("OX-PA1",),
    notes: str = "",
) -> Entry:
    return Entry(date, advisor, area, activity, Decimal(days), outcomes, notes)


# Three advisors' months: weekdays, no bank holidays, far below the cap.
WORK = {
    "RK-01": [
        entry("RK-01", dt.date(2024, 1, 15), notes="APA deep dive: lines of enquiry."),
        entry("RK-01", dt.date(2024, 1, 16), activity="SIB / board meeting", days="0.5",
              outcomes=("OX-0",)),
        entry("RK-01", dt.date(2024, 1, 16), activity="Written report to DfE", days="0.5",
              outcomes=("OX-PA2", "OX-0")),
    ],
    "RK-02": [
        entry("RK-02", dt.date(2024, 1, 15), area="Medway", activity="DfE / VCU progress review",
              days="0.5", outcomes=("PM-1",)),
        entry("RK-02", dt.date(2024, 1, 17), area="Portsmouth", activity="Work with senior leaders",
              outcomes=("PM-1",), notes="=not a formula"),
    ],
    "RK-03": [
        entry("RK-03", dt.date(2024, 2, 5), activity="Work with practitioners", days="0.5",
              outcomes=("OX-AI3",)),
    ],
}  # fmt: skip


def tracker_file(folder: Path, advisor: str, entries: list[Entry], name: str = "") -> Path:
    path = write_advisor_tracker(advisor, out=folder / (name or f"{advisor}.xlsx"))
    wb = load_for_edit(path)
    append_entries(wb, entries)
    save_workbook(wb, path)
    return path


def tracker_values(path: Path) -> list[tuple[object, ...]]:
    """Every input cell of every Tracker row (blank rows included), as the reader sees it."""
    return [tuple(r.values[c] for c in INPUT_COLUMNS) for r in read_tracker(open_book(path))]


def filled(path: Path) -> list[tuple[object, ...]]:
    return [v for v in tracker_values(path) if any(x is not None for x in v)]


def as_values(e: Entry) -> tuple[object, ...]:
    days = int(e.days) if e.days == 1 else float(e.days)
    return (e.date, e.advisor, e.area, e.activity, e.outcomes_text or None, days, e.notes or None)


@pytest.fixture
def master(tmp_path: Path, built: Path) -> Path:
    path = tmp_path / "master.xlsx"
    shutil.copy(built, path)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The three advisors' filled files (read-only: importing never changes them)."""
    folder = tmp_path_factory.mktemp("trackers")
    return [tracker_file(folder, advisor, entries) for advisor, entries in WORK.items()]


# --- calloff tracker -----------------------------------------------------------------------


def test_an_advisors_tracker_has_the_masters_table_lists_and_validation(tmp_path, built, terms):
    path = write_advisor_tracker("RK-01", out=tmp_path / "RK-01.xlsx")
    assert structural_problems(path) == []
    book, master = open_book(path), open_book(built)
    assert book.named_value("TrackerAdvisor") == "RK-01"
    assert book.names["TrackerAdvisor"] == "'Guide'!$B$3"
    assert read_terms(book) == terms
    assert book.table(layout.TRACKER_TABLE) == master.table(layout.TRACKER_TABLE)
    for name in layout.LIST_NAMES:
        assert book.named_column(name) == master.named_column(name), name

    wb = load_workbook(path)
    guide = wb[layout.GUIDE]
    assert guide["A1"].value == (
        "Tracker for advisor RK-01 — return this file to the contract manager"
    )
    assert guide["B3"].value == "RK-01" and guide["B3"].protection.locked
    assert wb[layout.TRACKER]["A1"].value == "Day tracker — CON_22889 — advisor RK-01"

    def validations(p: Path) -> dict[str, tuple[str, str | None, str | None]]:
        ws = load_workbook(p)[layout.TRACKER]
        return {
            str(dv.sqref).split(":")[0][0]: (dv.type, dv.formula1, dv.formula2)
            for dv in ws.data_validations.dataValidation
        }

    mine, theirs = validations(path), validations(built)
    assert mine.pop("B") == ("list", "TrackerAdvisor", None)  # only this advisor's ID
    assert theirs.pop("B") == ("list", "AdvisorList", None)
    assert mine == theirs and len(mine) == 6


def test_tracker_from_a_master_takes_the_masters_edited_terms(tmp_path, master, monkeypatch):
    wb = load_for_edit(master)
    set_named_value(wb, "DayRate", 700)
    save_workbook(wb, master)
    monkeypatch.chdir(tmp_path)
    path = write_advisor_tracker("RK-02", master=master)
    assert path == Path("trackers/CON_22889-RK-02.xlsx")
    assert open_book(tmp_path / path).named_value("DayRate") == 700


def test_unknown_advisor_names_the_known_ones(tmp_path, capsys):
    with pytest.raises(UserDataError, match=r"'XX'.*RK-01, RK-02, RK-03"):
        write_advisor_tracker("XX", out=tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    code = main(["tracker", "--advisor", "XX", "--out", str(tmp_path / "x.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "RK-03" in err


@pytest.mark.libreoffice
def test_libreoffice_opens_an_advisors_tracker(lo, tmp_path):
    from xlsrc.edges.libreoffice.recalc import recalculate

    path = tracker_file(tmp_path, "RK-01", WORK["RK-01"])
    names = recalculate(path, names=tmp_path / "names.json")
    assert names is not None
    assert names["TrackerAdvisor"] == "RK-01"
    assert names["TotalDays"] == 2
    assert names["TotalNet"] == 1300
    assert names["MasterCheck"] == 1  # TRUE comes back from LibreOffice as 1.0


# --- calloff import ------------------------------------------------------------------------


def test_importing_three_advisors_adds_exactly_their_rows(master, files):
    report = import_trackers(master, files, today=TODAY)
    expected = [as_values(e) for entries in WORK.values() for e in entries]
    assert filled(master) == expected
    assert report.rows_written == list(range(FIRST, FIRST + 6))
    assert [len(f.added) for f in report.files] == [3, 2, 1]
    assert [f.master_rows for f in report.files] == [[5, 6, 7], [8, 9], [10]]
    assert not report.has_problems
    assert structural_problems(master) == []
    text = report.to_text()
    assert f"{files[0]} (RK-01): 3 added, 0 already present, 0 conflict(s), 0 error(s)" in text
    assert text.endswith("master.xlsx: 6 row(s) added (Tracker rows 5-10).")
    # Text that looks like a formula arrives as text.
    ws = load_workbook(master)[layout.TRACKER]
    assert ws["G9"].value == "=not a formula" and ws["G9"].data_type == "s"


def test_importing_twice_changes_nothing(master, files):
    import_trackers(master, files, today=TODAY)
    once, bytes_once = tracker_values(master), master.read_bytes()
    report = import_trackers(master, files, today=TODAY)
    assert tracker_values(master) == once
    assert master.read_bytes() == bytes_once  # not even re-saved
    assert report.rows_written == [] and not report.has_problems
    assert [(len(f.added), len(f.present)) for f in report.files] == [(0, 3), (0, 2), (0, 1)]
    assert report.to_text().endswith("master.xlsx: unchanged.")


def test_file_order_does_not_change_what_is_merged(tmp_path, built, files):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    shutil.copy(built, a)
    shutil.copy(built, b)
    import_trackers(a, files, today=TODAY)
    import_trackers(b, files[::-1], today=TODAY)
    assert sorted(filled(a), key=repr) == sorted(filled(b), key=repr)


def test_a_conflict_is_reported_with_both_rows_and_not_written(tmp_path, master, files):
    import_trackers(master, files[:1], today=TODAY)
    changed = [
        entry("RK-01", dt.date(2024, 1, 15), notes="Deep dive, second thoughts."),
        entry("RK-01", dt.date(2024, 1, 19), activity="Travel", days="0.5", outcomes=()),
    ]
    v2 = tracker_file(tmp_path, "RK-01", WORK["RK-01"][1:] + changed, name="RK-01-v2.xlsx")
    report = import_trackers(master, [v2], today=TODAY)

    [result] = report.files
    [conflict] = result.conflicts
    assert (conflict.incoming.row, conflict.existing.row) == (7, 5)
    assert conflict.existing.notes == "APA deep dive: lines of enquiry."
    assert report.has_problems
    assert [e.row for e in result.present] == [5, 6]
    assert [e.row for e in result.added] == [8]  # the new Travel row still goes in
    rows = filled(master)
    assert len(rows) == 4
    assert rows[0][6] == "APA deep dive: lines of enquiry."  # never overwritten
    assert rows[3][3] == "Travel"
    text = report.to_text()
    assert "CONFLICT at Tracker, row 7: RK-01 15/01/2024 Oxfordshire / Deep dive" in text
    assert "differs from master row 5" in text and "second thoughts" in text
    data = report.to_json()["files"][0]["conflicts"][0]
    assert (data["file"]["row"], data["master"]["row"]) == (7, 5)
    assert data["file"]["days"] == "1.0"


def test_a_file_with_one_bad_row_imports_nothing_unless_take_valid(tmp_path, master):
    rows = [
        *WORK["RK-02"],
        entry("RK-02", dt.date(2024, 1, 18), area="Kent", outcomes=("PM-1",)),
    ]
    path = tracker_file(tmp_path, "RK-02", rows)
    before = master.read_bytes()

    report = import_trackers(master, [path], today=TODAY)
    [result] = report.files
    assert [(i.code, i.row, i.column) for i in result.errors] == [("AREA-UNKNOWN", 7, "Area")]
    assert result.added == [] and result.withheld == 2
    assert master.read_bytes() == before and report.has_problems
    assert "use --take-valid to import its 2 valid new row(s)" in report.to_text()

    report = import_trackers(master, [path], take_valid=True, today=TODAY)
    assert filled(master) == [as_values(e) for e in WORK["RK-02"]]
    assert report.has_problems  # the bad row is still reported
    assert [e.row for e in report.files[0].added] == [5, 6]


def test_no_new_entry_goes_into_an_invoiced_month(tmp_path, master):
    wb = load_for_edit(master)
    put(wb[layout.INVOICES], FIRST, 1, dt.date(2024, 1, 1))  # January 2024 invoiced
    save_workbook(wb, master)
    path = tracker_file(tmp_path, "RK-03", [entry("RK-03", dt.date(2024, 1, 22)), *WORK["RK-03"]])

    report = import_trackers(master, [path], today=TODAY)
    [result] = report.files
    assert [(i.code, i.row) for i in result.errors] == [("MONTH-LOCKED", 5)]
    assert "January 2024 is locked: returns or invoices have been issued up to 31/01/2024" in (
        result.errors[0].message
    )
    assert filled(master) == []

    import_trackers(master, [path], take_valid=True, today=TODAY)
    assert filled(master) == [as_values(WORK["RK-03"][0])]


def test_rows_are_checked_against_what_the_master_already_holds(tmp_path, master, files):
    import_trackers(master, files[:1], today=TODAY)  # RK-01: 1 day on 15/01/2024, row 5
    extra = entry("RK-01", dt.date(2024, 1, 15), activity="Travel", days="0.5", outcomes=())
    path = tracker_file(tmp_path, "RK-01", [*WORK["RK-01"], extra], name="RK-01-v2.xlsx")
    report = import_trackers(master, [path], today=TODAY)
    [error] = report.files[0].errors
    assert (error.code, error.row) == ("DAYS-OVER-ONE-PER-DATE", 8)
    assert "(master row 5)" in error.message
    assert len(filled(master)) == 3


def test_a_row_for_another_advisor_is_refused(tmp_path, master):
    path = tracker_file(tmp_path, "RK-01", [WORK["RK-01"][0], WORK["RK-02"][0]])
    report = import_trackers(master, [path], today=TODAY)
    [error] = report.files[0].errors
    assert (error.code, error.row, error.column, error.value) == (
        "ADVISOR-NOT-OWNER",
        6,
        "Advisor",
        "RK-02",
    )
    assert "This file is RK-01's tracker; found a row for RK-02" in error.message
    assert filled(master) == []


def test_a_tracker_for_another_contract_is_refused(tmp_path, master, terms):
    contract = terms.contract.model_copy(update={"id": "CON_99999"})
    path = tmp_path / "other-contract.xlsx"
    wb = build_workbook(terms.model_copy(update={"contract": contract}))
    append_entries(wb, WORK["RK-01"])
    save_workbook(wb, path)
    report = import_trackers(master, [path], take_valid=True, today=TODAY)
    [error] = report.files[0].errors
    assert error.code == "CONTRACT-MISMATCH" and "CON_99999, not CON_22889" in error.message
    assert filled(master) == []


def test_cli_import_text_json_and_exit_codes(capsys, tmp_path, master, files):
    args = ["import", str(master), *map(str, files), "--today", TODAY.isoformat()]
    assert main([*args, "--json"]) == 0
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert data["rows_added"] == 6 and out.err == ""  # no progress bar when not a terminal
    assert [len(f["added"]) for f in data["files"]] == [3, 2, 1]
    assert data["files"][0]["added"][1] == {
        "row": 6,
        "date": "2024-01-16",
        "advisor": "RK-01",
        "area": "Oxfordshire",
        "activity": "SIB / board meeting",
        "outcomes": ["OX-0"],
        "days": "0.5",
        "notes": "",
        "master_row": 6,
    }

    bad_row = [entry("RK-03", dt.date(2024, 2, 6), days="1", area="Kent")]
    bad = tracker_file(tmp_path, "RK-03", bad_row, name="bad-row.xlsx")
    # Through click itself: xlsrc.adapters.cli.main drops click's exit code 1 (see
    # test_invoice_check).
    done = CliRunner().invoke(cli, ["import", str(master), str(bad), "--today", "2025-03-31"])
    assert done.exit_code == 1
    assert "ERROR AREA-UNKNOWN at Tracker, row 5, column Area" in done.output


@pytest.mark.parametrize("content", [b"just some text", b"PK\x03\x04 truncated"])
def test_cli_import_of_a_non_workbook_is_one_line(capsys, tmp_path, master, files, content):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(content)
    before = master.read_bytes()
    code = main(["import", str(master), str(files[0]), str(bad)])
    out = capsys.readouterr()
    assert code == 2
    assert "not an Excel .xlsx workbook" in out.err and "Traceback" not in out.err + out.out
    assert len(out.err.strip().splitlines()) == 1
    assert master.read_bytes() == before  # the good file before it was not half-imported


@pytest.mark.parametrize(
    ("name", "code"), [("TrackerAdvisor", "OWNER-UNKNOWN"), ("ContractId", "CONTRACT-UNKNOWN")]
)
def test_a_file_whose_owner_or_contract_cannot_be_established_is_refused(
    tmp_path, master, name, code
):
    """RK-03's file with its TrackerAdvisor (or ContractId) name deleted booked a day for
    RK-01: with no owner or contract to check against, the file is refused, --take-valid too."""
    path = tracker_file(tmp_path, "RK-03", [entry("RK-01", dt.date(2024, 2, 6))])
    wb = load_for_edit(path)
    del wb.defined_names[name]
    save_workbook(wb, path)
    report = import_trackers(master, [path], take_valid=True, today=TODAY)
    [error] = report.files[0].errors
    assert error.code == code and "nothing from it was imported" in error.message
    assert report.has_problems and report.rows_written == []
    assert filled(master) == []


def test_a_blank_owner_is_refused_too(tmp_path, master):
    path = tracker_file(tmp_path, "RK-03", [entry("RK-01", dt.date(2024, 2, 6))])
    wb = load_for_edit(path)
    put(wb[layout.GUIDE], 3, 2, None)
    save_workbook(wb, path)
    [error] = import_trackers(master, [path], today=TODAY).files[0].errors
    assert error.code == "OWNER-UNKNOWN"
    assert filled(master) == []


def test_identical_rows_in_one_file_are_refused(tmp_path, master):
    row = WORK["RK-03"][0]
    path = tracker_file(tmp_path, "RK-03", [row, row])
    report = import_trackers(master, [path], today=TODAY)
    errors = report.files[0].errors
    assert [(e.code, e.row) for e in errors if e.code == "DUPLICATE-IN-FILE"] == [
        ("DUPLICATE-IN-FILE", FIRST + 1)
    ]
    assert f"Repeats row {FIRST} of this file exactly" in errors[-1].message
    assert filled(master) == []
    # --take-valid takes the first of the two, once.
    report = import_trackers(master, [path], take_valid=True, today=TODAY)
    assert filled(master) == [as_values(row)]


def test_a_row_typed_below_an_advisors_table_is_imported_not_dropped(tmp_path, master):
    """Issue 19: a row typed a few rows below the table (Excel does not always grow it)."""
    path = tracker_file(tmp_path, "RK-01", WORK["RK-01"][:1])
    wb = load_for_edit(path)
    ws = wb[layout.TRACKER]
    table = ws.tables[layout.TRACKER_TABLE]
    last = int(table.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    below = last + 5
    late = WORK["RK-01"][1]
    for col, value in enumerate(as_values(late), start=1):
        put(ws, below, col, value)
    save_workbook(wb, path)

    report = import_trackers(master, [path], today=TODAY)
    [result] = report.files
    assert not result.errors, report.to_text()
    assert sorted(e.date for e in result.added) == [WORK["RK-01"][0].date, late.date]
    assert any(e.row == below for e in result.added)
    assert filled(master) == [as_values(WORK["RK-01"][0]), as_values(late)]
    assert "2 added" in report.to_text()
