"""Invoiced to date comes from the invoice register (issue 21, item 5): the Budget's
InvoicedToDate, InvoicedHeadroom and DeliveredNotInvoiced sum the Invoices rows that count
(credit notes negative, junk rows nowhere), and Python's twins (xlsrc.core.invoices.check.
invoiced) say the same; a return states the register as at its date.

The expected figures are worked out here from the planted lines, not by the code under test:
the sample's March 2024 is 5.5 days x £650 = £3,575.00, its April 2024 4 days = £2,600.00.
LibreOffice recalculates the planted file to hold the formulas to the penny."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlsrc.actions.monthly_return import plan_returns
from xlsrc.actions.validate import validate_workbook
from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.core.invoices.check import Invoiced
from xlsrc.core.returns.sheet import describe
from xlsrc.edges.fileio.reader import open_book
from xlsrc.edges.libreoffice.recalc import recalculate
from xlsrc.edges.workbook.sheets import budget
from xlsrc.edges.workbook.sheets.invoices import COL, HEADERS
from xlsrc.model import layout

TODAY = dt.date(2025, 7, 10)
FIRST = layout.FIRST_DATA_ROW
D = dt.datetime

# (Month, number, net, VAT, gross, To month, Invoice date, Status); None: left blank.
GOOD = [
    (D(2024, 3, 1), "RKS-0006", 3575.00, 715.00, 4290.00, None, D(2024, 4, 3), "Paid"),
    (D(2024, 4, 1), "RKS-0007", 2600.00, 520.00, 3120.00, None, D(2024, 5, 2), "Credited"),
    (D(2024, 4, 1), "RKS-0007C", -2600.00, -520.00, -3120.00, None, D(2024, 5, 9), "Raised"),
    (D(2024, 4, 1), "RKS-0008", 2600.00, 520.00, 3120.00, None, D(2024, 5, 10), "raised"),
]
# Rows that count nowhere (the counting rule), each with a number in Net that would count.
JUNK = [
    (D(2024, 5, 1), "RKS-0009", "1,950.00", 390.00, 2340.00, None, None, "Raised"),
    (D(2024, 6, 1), "RKS-0010", 999.99, 200.00, 1199.99, None, None, "Pending"),
    (D(2024, 7, 1), "RKS-0011", 999.99, 200.00, 1199.99, D(2024, 6, 1), None, "Raised"),
]
INVOICED = Decimal("3575.00") + Decimal("2600.00") - Decimal("2600.00") + Decimal("2600.00")


def _planted(sample: Path, tmp_path: Path, rows: list[tuple[object, ...]], name: str) -> Path:
    path = Path(shutil.copy(sample, tmp_path / f"{name}.xlsx"))
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.INVOICES]
    for n, (month, number, net, vat, gross, to, date, status) in enumerate(rows):
        cells = {
            "Month": month,
            "Invoice number": number,
            "Net": net,
            "VAT": vat,
            "Gross": gross,
            "To month": to,
            "Invoice date": date,
            "Status": status,
        }
        for header, value in cells.items():
            ws.cell(FIRST + n, HEADERS.index(header) + 1).value = value
    wb.save(path)
    return path


def _expected(path: Path) -> dict[str, Decimal]:
    data = load_workbook_data(path)
    delivered = data.totals(TODAY).TotalNet
    cap = data.terms.cap_now
    return {
        "InvoicedToDate": INVOICED,
        "InvoicedHeadroom": cap - INVOICED,
        "DeliveredNotInvoiced": delivered - INVOICED,
    }


def test_python_sums_the_register_lines_that_count(sample, tmp_path):
    path = _planted(sample, tmp_path, GOOD + JUNK, "register")
    data = load_workbook_data(path)
    ledger = data.ledger(TODAY)
    assert [i.number for i in ledger.invoices] == [g[1] for g in GOOD]
    assert len(ledger.unreadable) == len(JUNK)
    got = ledger.against(data.totals(TODAY).TotalNet, data.terms.cap_now)
    assert got.figures() == _expected(path)


def test_a_return_states_the_register_as_at_its_date(sample, tmp_path):
    path = _planted(sample, tmp_path, GOOD, "register")
    months = [dt.date(2024, 3, 1), dt.date(2024, 4, 1), dt.date(2024, 5, 1)]
    built, _ = plan_returns(open_book(path), months, today=TODAY)
    by_month = {r.month: r for r in built}
    # March's invoice is dated 03/04/2024: at the end of March nothing had been invoiced; at
    # the end of April, March's; at the end of May, April's too (credited, its credit note,
    # and the invoice that replaced it).
    expected = {
        months[0]: Decimal("0.00"),
        months[1]: Decimal("3575.00"),
        months[2]: INVOICED,
    }
    for month, invoiced in expected.items():
        ret = by_month[month]
        assert ret.delivery.invoiced is not None
        assert ret.delivery.invoiced.InvoicedToDate == invoiced, month
        not_invoiced = ret.delivery.cumulative_net - invoiced
        assert ret.delivery.invoiced.DeliveredNotInvoiced == not_invoiced, month
        rows = {row[0]: row for row in describe(ret).rows if row and row[0]}
        assert Decimal(str(rows["Invoiced to date (net)"][1])) == invoiced, month


def test_a_return_without_a_register_says_nothing_of_invoicing(sample):
    built, _ = plan_returns(open_book(sample), [dt.date(2024, 3, 1)], today=TODAY)
    (ret,) = built
    assert ret.delivery.invoiced is None
    assert not any(row and row[0] == "Invoiced to date (net)" for row in describe(ret).rows)


def _budget_figure(wb: openpyxl.Workbook, name: str, terms: object) -> object:
    names = [f.name for f in budget.figures(terms, "X1")]  # type: ignore[arg-type]
    return wb[layout.BUDGET][f"B{budget.HEADLINE_ROW + names.index(name)}"].value


@pytest.mark.libreoffice
@pytest.mark.parametrize("junk", [False, True], ids=["register", "with-junk-rows"])
def test_budget_formulas_python_and_libreoffice_agree(sample, tmp_path, lo, junk):
    rows = GOOD + JUNK if junk else GOOD
    path = _planted(sample, tmp_path, rows, "planted")
    validate_workbook(path, today=TODAY)  # writes the cached values calloff computes
    out = tmp_path / "lo.xlsx"
    names = recalculate(path, xlsx=out, names=tmp_path / "names.json")
    assert names is not None
    expected = _expected(path)
    data = load_workbook_data(path)
    python = data.ledger(TODAY).against(data.totals(TODAY).TotalNet, data.terms.cap_now)
    assert python.figures() == expected
    engines = {
        "calloff": openpyxl.load_workbook(path, data_only=True),
        "LibreOffice": openpyxl.load_workbook(out, data_only=True),
    }
    for name in Invoiced.NAMES:
        got = Decimal(str(names[name])).quantize(Decimal("0.01"))
        assert got == expected[name], ("LibreOffice names", name, got)
    for engine, wb in engines.items():
        for name in Invoiced.NAMES:
            value = _budget_figure(wb, name, data.terms)
            assert isinstance(value, int | float), (engine, name, value)
            got = Decimal(str(value)).quantize(Decimal("0.01"))
            assert got == expected[name], (engine, name, got)
        ws = wb[layout.INVOICES]
        results = [ws[f"{COL['Result']}{FIRST + n}"].value for n in range(len(rows))]
        assert results[:4] == ["PASS", "Credited", "PASS", "PASS"], (engine, results)
        for result in results[4:]:
            assert str(result).startswith("CHECK: a Month or To month"), (engine, results)
    assert names["CheckInvoicesWithinCap"] in (True, 1)
    # A credited invoice passes with its credit note; a junk row does not pass.
    assert names["CheckInvoicesPass"] in ((False, 0) if junk else (True, 1))
