"""Prepared -> approved -> issued (issue 20 item 5): a return is issued (sheet written, month
locked, Audit row) only when the Report sheet's SignOff row says who prepared it and when, who
approved it and when, by roles the terms give those powers, prepared once its period ended and
approved on or after it was prepared. Otherwise `calloff return` exits 1 naming what is missing
and the file is byte-identical; `--draft` saves the return marked DRAFT in a file of its own."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from xlsrc.actions.monthly_return import issue_returns, plan_returns
from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.adapters.cli import main
from xlsrc.core.returns.signoff import NotSignedOff
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.workbook.cells import put
from xlsrc.model import layout
from xlsrc.model.dates import months_in_range

TODAY = "2025-08-01"
SUPPLIER, DEPARTMENT = "Supplier lead adviser", "DfE contract manager"


@pytest.fixture
def wb(sample, tmp_path):
    path = tmp_path / "wb.xlsx"
    shutil.copy(sample, path)
    return path


def sign(path, month: str, **cells: object) -> None:
    """Set cells of the SignOff row for `month` (header -> value; None clears)."""
    book = load_for_edit(path)
    ws = book[layout.REPORT]
    first_col, first_row, last_col, last_row = range_boundaries(ws.tables[layout.SIGNOFF_TABLE].ref)
    headers = [ws.cell(first_row, c).value for c in range(first_col, last_col + 1)]
    for r in range(first_row + 1, last_row + 1):
        value = ws.cell(r, first_col).value
        if isinstance(value, dt.datetime | dt.date) and f"{value:%Y-%m}" == month:
            for header, new in cells.items():
                put(ws, r, first_col + headers.index(header), new)
            break
    else:
        raise AssertionError(f"no SignOff row for {month}")
    save_workbook(book, path)


def run(path, *args: str, capsys) -> tuple[int, str, str]:
    code = main(["return", str(path), *args, "--today", TODAY])
    got = capsys.readouterr()
    return code, got.out, got.err


def test_an_unsigned_month_exits_1_naming_what_is_missing_and_writes_nothing(wb, capsys):
    sign(wb, "2024-03", **{"Approved by (role)": None, "Approved on": None})
    before = wb.read_bytes()
    code, _, err = run(wb, "--month", "2024-03", capsys=capsys)
    assert code == 1, err
    assert wb.read_bytes() == before
    lines = err.splitlines()
    assert "The return for March 2024 is not signed off" in lines[0]
    missing = [x for x in lines if x.startswith("  - ")]
    assert len(missing) == 2, err  # one line per missing thing
    assert any("Approved by (role): blank" in x and DEPARTMENT in x for x in missing)
    assert any("Approved on: blank" in x for x in missing)
    assert all("Report!row" in x for x in missing)  # where to type it
    assert "--month 2024-03 --draft" in err


def test_a_month_with_no_signoff_row_names_all_four(wb, capsys):
    sign(wb, "2024-03", **{"Month": None})  # the row no longer names the month
    before = wb.read_bytes()
    code, _, err = run(wb, "--month", "2024-03", capsys=capsys)
    assert code == 1, err
    assert wb.read_bytes() == before
    missing = [x for x in err.splitlines() if x.startswith("  - ")]
    assert len(missing) == 4, err
    assert all("SignOff table" in x for x in missing)


def test_approved_by_a_role_without_the_power_is_refused_naming_the_role_that_has_it(wb, capsys):
    sign(wb, "2024-03", **{"Approved by (role)": SUPPLIER})
    before = wb.read_bytes()
    code, _, err = run(wb, "--month", "2024-03", capsys=capsys)
    assert code == 1, err
    assert wb.read_bytes() == before
    assert f"{SUPPLIER} may not approve a monthly return" in err
    assert f"only {DEPARTMENT} may" in err


def test_prepared_by_the_department_is_refused_naming_the_supplier(wb, capsys):
    sign(wb, "2024-03", **{"Prepared by (role)": DEPARTMENT})
    code, _, err = run(wb, "--month", "2024-03", capsys=capsys)
    assert code == 1, err
    assert f"only {SUPPLIER} may" in err


def test_approved_before_prepared_is_refused(wb, capsys):
    sign(wb, "2024-03", **{"Approved on": dt.datetime(2024, 4, 4)})  # prepared 05/04/2024
    before = wb.read_bytes()
    code, _, err = run(wb, "--month", "2024-03", capsys=capsys)
    assert code == 1, err
    assert wb.read_bytes() == before
    assert "Approved on: 04/04/2024 is before Prepared on (05/04/2024)" in err


def test_prepared_before_the_month_ended_is_refused(wb, capsys):
    sign(wb, "2024-03", **{"Prepared on": dt.datetime(2024, 3, 30)})
    code, _, err = run(wb, "--month", "2024-03", capsys=capsys)
    assert code == 1, err
    assert "Prepared on: 30/03/2024 is before 31/03/2024" in err


def test_prepared_on_the_months_last_day_and_approved_the_same_day_issues(wb, capsys):
    sign(
        wb,
        "2024-03",
        **{"Prepared on": dt.datetime(2024, 3, 31), "Approved on": dt.datetime(2024, 3, 31)},
    )
    code, out, err = run(wb, "--month", "2024-03", capsys=capsys)
    assert code == 0, err
    assert "Issued 'Return 2024-03'" in out


def test_the_date_prepared_is_the_signoffs_not_the_clocks(wb, capsys):
    code, _, err = run(wb, "--month", "2024-03", capsys=capsys)
    assert code == 0, err
    grid = openpyxl.load_workbook(wb)["Return 2024-03"]
    prepared = next(row[1] for row in grid.iter_rows(values_only=True) if row[0] == "Date prepared")
    assert f"{prepared:%Y-%m-%d}" == "2024-04-05"  # Prepared on; --today is 2025-08-01


def test_draft_writes_a_draft_marked_return_and_locks_nothing(wb, capsys):
    sign(wb, "2024-03", **{"Approved by (role)": None, "Approved on": None})
    before = wb.read_bytes()
    code, out, err = run(wb, "--month", "2024-03", "--draft", capsys=capsys)
    assert code == 0, err
    assert wb.read_bytes() == before  # nothing locked, no Audit row, no sheet
    draft = wb.with_name("wb-DRAFT-2024-03.xlsx")
    assert draft.exists() and str(draft) in out
    assert "Approved on: blank" in out  # what it still needs
    ws = openpyxl.load_workbook(draft)["Draft 2024-03"]
    assert ws["A1"].value.startswith("DRAFT")
    assert ws["A2"].value.startswith("DRAFT Monthly return — March 2024")
    assert "DRAFT" in ws.oddHeader.center.text  # on every printed page
    texts = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert not any(t.startswith("Seal:") for t in texts)  # a draft is never sealed
    # A later real issue still works, once signed off.
    sign(
        wb, "2024-03", **{"Approved by (role)": DEPARTMENT, "Approved on": dt.datetime(2024, 4, 12)}
    )
    code, out, err = run(wb, "--month", "2024-03", capsys=capsys)
    assert code == 0, err
    assert "Issued 'Return 2024-03' (version 1)" in out


def test_returns_all_names_every_unsigned_month_at_once_and_writes_nothing(wb, capsys):
    sign(wb, "2023-11", **{"Prepared on": None})
    sign(wb, "2024-02", **{"Approved by (role)": SUPPLIER})
    before = wb.read_bytes()
    code = main(["returns", str(wb), "--today", TODAY, "--confirm-incomplete"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert wb.read_bytes() == before
    assert "November 2023 is not signed off" in err
    assert "February 2024 is not signed off" in err


def test_reissue_and_interim_need_the_signoff_too(wb):
    today = dt.date(2025, 8, 1)
    issue_returns(wb, [dt.date(2024, 3, 1)], today=today)
    sign(wb, "2024-03", **{"Approved on": None})
    with pytest.raises(NotSignedOff, match="Approved on: blank"):
        issue_returns(wb, [dt.date(2024, 3, 1)], today=today, reissue=True)
    # An interim return as at 15/04/2024: prepared on or after that day, approved after it.
    sign(wb, "2024-04", **{"Prepared on": dt.datetime(2024, 4, 10)})
    with pytest.raises(NotSignedOff, match="10/04/2024 is before 15/04/2024"):
        issue_returns(wb, None, today=today, interim=dt.date(2024, 4, 15))
    sign(wb, "2024-04", **{"Prepared on": dt.datetime(2024, 4, 16)})
    report = issue_returns(wb, None, today=today, interim=dt.date(2024, 4, 15))
    assert [r.sheet_name for r in report.returns] == ["Return 2024-04-15 interim"]


def test_every_month_of_the_sample_is_signed_off_and_issues(sample):
    data = load_workbook_data(sample)
    signed = {s.month for s in data.progress.signoffs}
    data_months = set(months_in_range(dt.date(2023, 10, 1), dt.date(2025, 6, 1)))
    assert data_months <= signed
    built, _ = plan_returns(data, None, today=dt.date(2025, 8, 1), confirm_incomplete=True)
    assert {r.month for r in built} == data_months
