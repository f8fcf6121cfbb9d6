"""The invoice register (issue 21, item 5): invoices recorded on the Invoices sheet, checked to
the penny against the Tracker when recorded, credit notes as negative lines; validate flags a
month invoiced twice and, once the register is kept, a month delivered but not invoiced.

The expected figures are the sample's own: March 2024 is 5.5 days x £650 = £3,575.00, VAT
£715.00; April 2024 is 4 days = £2,600.00."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xlsrc.actions.invoice_check import read_ledger
from xlsrc.actions.validate import check_workbook
from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.adapters.cli import main
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.sheets.invoices import HEADERS
from xlsrc.model import layout

TODAY = "2025-07-10"
MARCH = ["--month", "2024-03", "--net", "3575.00", "--vat", "715.00", "--gross", "4290.00"]


@pytest.fixture
def wb(sample: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "register.xlsx"
    shutil.copy(sample, copy)
    return copy


def record(capsys: pytest.CaptureFixture[str], wb: Path, *args: str) -> tuple[int, str]:
    code = main(["invoice", "record", str(wb), "--today", TODAY, *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_an_invoice_that_agrees_is_recorded_and_counts_as_invoiced(capsys, wb):
    code, said = record(capsys, wb, "--number", "RKS-0006", "--po", "PO-1", *MARCH)
    assert code == 0, said
    assert "recorded on Invoices row 5" in said and "£3,575.00" in said
    (inv,) = read_ledger(wb).invoices
    assert (inv.number, inv.status, inv.po, str(inv.net)) == (
        "RKS-0006",
        "Raised",
        "PO-1",
        "3575.00",
    )
    assert read_ledger(wb).invoiced_to_date() == inv.net


def test_an_invoice_that_disagrees_is_refused_with_the_figures(capsys, wb):
    code, said = record(capsys, wb, "--number", "RKS-0007", "--month", "2024-04", *MARCH[2:])
    assert code == 2
    assert "not recorded" in said and "£2,600.00" in said and "£975.00 (too high)" in said
    assert read_ledger(wb).invoices == ()  # nothing written


def test_a_credit_note_cancels_its_invoice_and_a_new_one_may_follow(capsys, wb):
    assert record(capsys, wb, "--number", "RKS-0006", *MARCH)[0] == 0
    assert record(capsys, wb, "--number", "RKS-0006B", *MARCH)[0] == 2  # invoiced twice
    credit = ["--month", "2024-03", "--net", "-3575.00", "--vat", "-715.00", "--gross", "-4290.00"]
    code, said = record(capsys, wb, "--number", "CN-0001", "--credits", "RKS-0006", *credit)
    assert code == 0, said
    assert "marked Credited" in said
    assert read_ledger(wb).invoiced_to_date() == 0
    assert record(capsys, wb, "--number", "RKS-0008", *MARCH)[0] == 0
    ledger = read_ledger(wb)
    assert [i.status for i in ledger.invoices] == ["Credited", "Raised", "Raised"]
    assert str(ledger.invoiced_to_date()) == "3575.00"
    assert [c.passed for c in map(ledger.check, ledger.invoices)] == [True, True, True]


def test_an_invoice_covering_two_months_is_checked_against_both(capsys, wb):
    both = ["--month", "2024-03", "--to-month", "2024-04"]
    money = ["--net", "6175.00", "--vat", "1235.00", "--gross", "7410.00"]
    code, said = record(capsys, wb, "--number", "RKS-0010", *both, *money)
    assert code == 0, said
    (inv,) = read_ledger(wb).invoices
    assert read_ledger(wb).in_force_for(inv.last_month) == [inv]


def test_validate_flags_a_month_invoiced_twice_and_months_not_invoiced(capsys, wb):
    import datetime as dt

    today = dt.date.fromisoformat(TODAY)
    assert record(capsys, wb, "--number", "RKS-0006", *MARCH)[0] == 0
    book = load_for_edit(wb)  # a second March invoice typed straight onto the sheet
    ws = book[layout.INVOICES]
    row = layout.FIRST_DATA_ROW + 1
    for header, value in {
        "Month": dt.date(2024, 3, 1),
        "Invoice number": "RKS-0099",
        "Net": 3575.0,
        "VAT": 715.0,
        "Gross": 4290.0,
    }.items():
        put(ws, row, HEADERS.index(header) + 1, value)
    save_workbook(book, wb)
    issues = check_workbook(load_workbook_data(wb), today, write=False).issues
    twice = [i for i in issues if i.code == "MONTH-INVOICED-TWICE"]
    assert sorted(i.row for i in twice) == [layout.FIRST_DATA_ROW, row]
    missing = {i.value for i in issues if i.code == "MONTH-NOT-INVOICED"}
    assert "2023-10" in missing and "2024-04" in missing and "2024-03" not in missing
    assert all(i.severity == "warning" for i in issues if i.code == "MONTH-NOT-INVOICED")


def test_the_sign_off_cites_the_register_and_a_nil_month_no_invoice(capsys, wb):
    import datetime as dt

    from xlsrc.actions.monthly_return import plan_returns
    from xlsrc.edges.fileio.reader import open_book

    today = dt.date.fromisoformat(TODAY)
    assert record(capsys, wb, "--number", "REG-0300", *MARCH)[0] == 0
    march, august = dt.date(2024, 3, 1), dt.date(2024, 8, 1)
    built, _ = plan_returns(open_book(wb), [march, august], today=today, confirm_incomplete=True)
    signoffs = {r.month: r.signoff for r in built}
    assert signoffs[march] is not None and signoffs[march].invoice == "REG-0300"
    assert signoffs[august] is not None and signoffs[august].invoice == ""  # nil month
