"""Tamper evidence: a change to a contract term since the build is reported, naming it."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from xlsrc.adapters.cli import main
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import load_for_edit, set_named_value


def _issues(capsys, path) -> list[dict]:
    main(["validate", str(path), "--no-write", "--json", "--today", "2025-07-15"])
    return json.loads(capsys.readouterr().out)["issues"]


def test_a_fresh_workbook_reports_no_term_change(built, tmp_path, capsys):
    path = tmp_path / "wb.xlsx"
    shutil.copy(built, path)
    assert [i for i in _issues(capsys, path) if i["code"].startswith("TERM")] == []


def test_a_changed_day_rate_is_named_with_its_cell(built, tmp_path, capsys):
    path = tmp_path / "wb.xlsx"
    wb = load_for_edit(built)
    set_named_value(wb, "DayRate", 700)
    save_workbook(wb, path)
    changed = [i for i in _issues(capsys, path) if i["code"] == "CONTRACT-FACT-CHANGED"]
    assert len(changed) == 1
    (issue,) = changed
    assert issue["sheet"] == "Contract" and issue["column"] == "DayRate"
    assert issue["severity"] == "error"
    assert "is 700 now; it was 650 when the workbook was built" in issue["message"]
    ((_sheet, ref),) = wb.defined_names["DayRate"].destinations
    assert issue["row"] == int(ref.replace("$", "")[1:])


def test_the_samples_recorded_extension_is_no_term_change(sample, capsys):
    """The sample's extension is a recorded decision: it acknowledges the change it makes."""
    assert [i for i in _issues(capsys, sample) if i["code"] == "TERM-CHANGED"] == []


def test_a_day_rate_change_recorded_as_a_decision_is_acknowledged(built, tmp_path, capsys):
    path = tmp_path / "wb.xlsx"
    shutil.copy(built, path)
    assert (
        main(
            [
                "decide",
                str(path),
                "day-rate",
                "--rate",
                "700.00",
                "--effective",
                "2024-04-01",
                "--decided",
                "2024-03-01",
                "--by",
                "DfE contract manager",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert [i for i in _issues(capsys, path) if i["code"].startswith("TERM")] == []
    wb = load_for_edit(path)  # the same line typed in without a decision is not acknowledged
    ws = wb["Contract"]
    first = int(ws.tables["Rates"].ref.split(":")[0][1:]) + 2
    ws.cell(first + 1, 1).value = ws.cell(first, 1).value.replace(month=6)
    ws.cell(first + 1, 2).value = 720
    save_workbook(wb, path)
    changed = [i for i in _issues(capsys, path) if i["code"] == "CONTRACT-FACT-CHANGED"]
    assert [i["column"] for i in changed] == ["Rates"]


# --- The period lock: an issued return's Audit row, Return sheet and rows check each other ---

TODAY = "2025-07-15"


@pytest.fixture(scope="module")
def returned(sample, tmp_path_factory):
    """The sample with March 2024's return issued (read-only: copy before changing)."""
    path = tmp_path_factory.mktemp("returned") / "wb.xlsx"
    shutil.copy(sample, path)
    assert main(["return", str(path), "--month", "2024-03", "--today", TODAY]) == 0
    return path


def _errors(capsys, path) -> list[dict]:
    main(["validate", str(path), "--no-write", "--json", "--today", TODAY])
    return [i for i in json.loads(capsys.readouterr().out)["issues"] if i["severity"] == "error"]


def _edit(returned, tmp_path, change) -> object:
    path = tmp_path / "wb.xlsx"
    wb = load_for_edit(returned)
    change(wb)
    save_workbook(wb, path)
    return path


def _audit_row(wb) -> int:
    ws = wb["Audit"]
    for row in ws.iter_rows(min_row=5):
        if row[1].value == "Return issued" and row[2].value == "2024-03":
            return row[0].row
    raise AssertionError("no Audit row for the return")


def _march_rows(wb) -> list[int]:
    ws = wb["Tracker"]
    return [
        c.row
        for c in ws["A"][4:]
        if hasattr(c.value, "month") and (c.value.year, c.value.month) == (2024, 3)
    ]


def test_an_issued_return_validates_clean(returned, capsys):
    assert _errors(capsys, returned) == []


def _clear_audit(wb):
    for cell in wb["Audit"][_audit_row(wb)]:
        cell.value = None


def _net(wb):
    wb["Audit"].cell(_audit_row(wb), 6).value = 1.0


def _month_as_date(wb):
    wb["Audit"].cell(_audit_row(wb), 3).value = dt.date(2024, 3, 1)


def _month_as_words(wb):
    wb["Audit"].cell(_audit_row(wb), 3).value = "March 2024"


def _delete_sheet(wb):
    del wb["Return 2024-03"]


def _edit_figure(wb):
    ws = wb["Return 2024-03"]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, float))
    cell.value += 100


def _remove_seal(wb):
    ws = wb["Return 2024-03"]
    for row in ws.iter_rows():
        if isinstance(row[0].value, str) and row[0].value.startswith("Period lock seal"):
            row[0].value = None


def _overwrite_cost(wb):
    wb["Tracker"].cell(_march_rows(wb)[0], 9).value = 1


def _clear_cost(wb):
    wb["Tracker"].cell(_march_rows(wb)[0], 9).value = None


def _days_as_text(wb):
    cell = wb["Tracker"].cell(_march_rows(wb)[0], 6)
    cell.value = str(cell.value)


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        (_clear_audit, "RETURN-AUDIT-MISSING", "Audit row has been deleted or cleared"),
        (_net, "RETURN-AUDIT-CHANGED", "Net no longer as issued"),
        (_month_as_date, "RETURN-AUDIT-CHANGED", "Month no longer as issued"),
        (_month_as_words, "RETURN-AUDIT-CHANGED", "Month no longer as issued"),
        (_delete_sheet, "RETURN-SHEET-CHANGED", "has been deleted"),
        (_edit_figure, "RETURN-SHEET-CHANGED", "figures on the return sheet"),
        (_remove_seal, "RETURN-SHEET-CHANGED", "its seal line is gone"),
        (_overwrite_cost, "MONTH-LOCKED-CHANGED", "Cost formula here has been overwritten"),
        (_clear_cost, "MONTH-LOCKED-CHANGED", "Cost formula here has been cleared"),
        (_days_as_text, "MONTH-LOCKED-CHANGED", "Days here is text"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_the_period_lock_cannot_be_removed_or_bypassed_silently(
    returned, tmp_path, capsys, change, code, words
):
    path = _edit(returned, tmp_path, change)
    errors = _errors(capsys, path)
    mine = [e for e in errors if e["code"] == code]
    assert mine, errors
    assert any(words in e["message"] for e in mine), mine
    assert any("March 2024" in e["message"] or "2024-03" in e["message"] for e in mine)
    assert main(["validate", str(path), "--no-write", "--today", TODAY]) == 1  # never 3


def test_a_month_whose_audit_row_was_cleared_stays_locked(returned, tmp_path, capsys):
    path = _edit(returned, tmp_path, _clear_audit)
    csv = tmp_path / "march.csv"
    csv.write_text(
        "Date,Advisor,Area,Activity,Outcomes,Days,Notes\n"
        "2024-03-28,RK-02,Portsmouth,Work with senior leaders,PM-1,1,late entry\n"
    )
    code = main(["fill", str(path), "--tracker", str(csv), "--today", TODAY])
    assert code == 2 and "MONTH-LOCKED" in capsys.readouterr().err


def test_an_unreadable_audit_month_is_one_line_for_other_commands(returned, tmp_path, capsys):
    def soon(wb):
        wb["Audit"].cell(_audit_row(wb), 3).value = "soon"

    path = _edit(returned, tmp_path, soon)
    code = main(["import", str(path), str(path), "--today", TODAY])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "'soon', not YYYY-MM" in err
    errors = _errors(capsys, path)
    assert [e["code"] for e in errors if "names no month (soon)" in e["message"]] == [
        "RETURN-AUDIT-CHANGED"
    ]


# An interim return (issue 15): what it reported cannot change silently either. Its month is
# still open, so a change is a warning (INTERIM-CHANGED) until the month's own return is
# issued; from then on that return's lock (an error) covers every row of the month.


@pytest.fixture(scope="module")
def interim(sample, tmp_path_factory):
    from xlsrc.actions.monthly_return import build_return

    path = tmp_path_factory.mktemp("interim") / "wb.xlsx"
    shutil.copy(sample, path)
    build_return(path, None, interim=dt.date(2024, 3, 15), today=dt.date(2025, 7, 15))
    return path


def _interim_warnings(capsys, path) -> list[dict]:
    return [i for i in _issues(capsys, path) if i["code"] == "INTERIM-CHANGED"]


def _note_on(wb, day_test) -> int:
    ws = wb["Tracker"]
    row = next(r for r in _march_rows(wb) if day_test(ws.cell(r, 1).value.day))
    ws.cell(row, 7).value = "Changed after the interim return."
    return row


def test_an_interim_return_validates_clean(interim, capsys):
    assert _interim_warnings(capsys, interim) == []
    assert _errors(capsys, interim) == []


def test_an_edit_to_a_row_an_interim_return_reported_is_flagged(interim, tmp_path, capsys):
    path = _edit(interim, tmp_path, lambda wb: _note_on(wb, lambda day: day <= 15))
    (warning,) = _interim_warnings(capsys, path)
    assert warning["severity"] == "warning" and warning["value"] == "2024-03-15"
    assert "interim return as at 15/03/2024" in warning["message"]
    assert "--interim 2024-03-15 --reissue" in warning["message"]
    assert _errors(capsys, path) == []  # the month is open: March's return can still be issued


def test_an_edit_after_the_interim_date_is_no_change_to_it(interim, tmp_path, capsys):
    path = _edit(interim, tmp_path, lambda wb: _note_on(wb, lambda day: day > 15))
    assert _interim_warnings(capsys, path) == []


def test_the_months_own_return_takes_over_the_interim_lock(interim, tmp_path, capsys):
    from xlsrc.actions.monthly_return import build_return

    path = tmp_path / "wb.xlsx"
    shutil.copy(interim, path)
    build_return(path, "2024-03", today=dt.date(2025, 7, 15))
    path = _edit(path, tmp_path / "edited", lambda wb: _note_on(wb, lambda day: day <= 15))
    assert _interim_warnings(capsys, path) == []
    assert [e["code"] for e in _errors(capsys, path)] == ["MONTH-LOCKED-CHANGED"]


def test_a_cost_typed_over_in_a_locked_month_is_one_issue_with_one_fix(returned, tmp_path, capsys):
    path = _edit(returned, tmp_path, _overwrite_cost)
    row = _march_rows(load_for_edit(path))[0]
    at_cell = [i for i in _issues(capsys, path) if (i["row"], i["column"]) == (row, "Cost")]
    assert [i["code"] for i in at_cell] == ["MONTH-LOCKED-CHANGED"], at_cell
    assert "Run calloff validate (it puts the formula back)" in at_cell[0]["message"]

    # The fix it names: validate puts the formula back, and the month is whole again.
    main(["validate", str(path), "--json", "--today", TODAY])
    report = json.loads(capsys.readouterr().out)
    assert any("formulas are back" in r for r in report["repaired"]), report
    assert [i for i in report["issues"] if i["severity"] == "error"] == []
    assert _errors(capsys, path) == []


def _interim_audit_row(wb) -> int:
    ws = wb["Audit"]
    return next(r[0].row for r in ws.iter_rows(min_row=5) if r[1].value == "Interim return issued")


def _clear_interim_audit(wb):
    for cell in wb["Audit"][_interim_audit_row(wb)]:
        cell.value = None


def _interim_net(wb):
    wb["Audit"].cell(_interim_audit_row(wb), 6).value = 1.0


def _delete_interim_sheet(wb):
    del wb["Return 2024-03-15 interim"]


def _edit_interim_figure(wb):
    ws = wb["Return 2024-03-15 interim"]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, float))
    cell.value += 100


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        (_clear_interim_audit, "RETURN-AUDIT-MISSING", "Audit row has been deleted or cleared"),
        (_interim_net, "RETURN-AUDIT-CHANGED", "Net no longer as issued"),
        (_delete_interim_sheet, "RETURN-SHEET-CHANGED", "has been deleted"),
        (_edit_interim_figure, "RETURN-SHEET-CHANGED", "figures on the return sheet"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_an_interim_returns_record_cannot_be_removed_or_edited_silently(
    interim, tmp_path, capsys, change, code, words
):
    path = _edit(interim, tmp_path, change)
    mine = [e for e in _errors(capsys, path) if e["code"] == code]
    assert mine and all("15/03/2024" in e["message"] or "2024-03-15" in e["message"] for e in mine)
    assert any(words in e["message"] for e in mine), mine
