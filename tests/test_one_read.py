"""One read per command (issue 10): each command opens the workbook once, reads each table
once, validates the Tracker once, and takes every figure from that one snapshot
(xlsrc/actions/workbook_data.py). Spies count the reader's calls while a command runs."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest

from tests.xl import backends
from xlsrc.actions import workbook_data
from xlsrc.actions.invoice_check import check_invoice
from xlsrc.actions.mi import management_information
from xlsrc.actions.monthly_return import build_return
from xlsrc.actions.portfolio_read import read_contract
from xlsrc.actions.totals import workbook_totals
from xlsrc.actions.validate import validate_workbook
from xlsrc.adapters.xl import entry
from xlsrc.adapters.xl.book import XlBook
from xlsrc.core.portfolio import ContractLine
from xlsrc.edges.fileio import reader
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.reader import Book
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.workbook.cells import put
from xlsrc.model import layout

TODAY = dt.date(2025, 7, 15)  # after the sample's last delivery


class _Calamine:
    """python_calamine as the reader sees it, counting the workbooks it opens."""

    def __init__(self, counts: Counter[str]) -> None:
        self._counts = counts
        self._real = reader.pc
        counts_ = counts
        real = reader.pc.CalamineWorkbook

        class CalamineWorkbook:
            @staticmethod
            def from_path(*args, **kwargs):
                counts_["open"] += 1
                return real.from_path(*args, **kwargs)

        self.CalamineWorkbook = CalamineWorkbook

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


@pytest.fixture
def reads(monkeypatch) -> Counter[str]:
    """Counts: "open" (the file opened by the reader), "validate" (the Tracker validated),
    and each table's name (read from the file, or from Excel behind a button)."""
    counts: Counter[str] = Counter()
    monkeypatch.setattr(reader, "pc", _Calamine(counts))
    file_table, xl_table = Book._table, XlBook._read_table
    validate_rows = workbook_data.validate_rows

    def from_file(self, name):
        counts[name] += 1
        return file_table(self, name)

    def from_excel(self, name):
        counts[name] += 1
        return xl_table(self, name)

    def validated(*args, **kwargs):
        counts["validate"] += 1
        return validate_rows(*args, **kwargs)

    monkeypatch.setattr(Book, "_table", from_file)
    monkeypatch.setattr(XlBook, "_read_table", from_excel)
    monkeypatch.setattr(workbook_data, "validate_rows", validated)
    return counts


@pytest.fixture
def path(sample, tmp_path) -> Path:
    return Path(shutil.copy(sample, tmp_path / "wb.xlsx"))


def once(counts: Counter[str], *tables: str, opened: int = 1) -> None:
    assert counts["open"] == opened, counts
    assert counts["validate"] == 1, counts
    assert all(n == 1 for name, n in counts.items() if name != "open"), counts
    for table in (layout.TRACKER_TABLE, *tables):
        assert counts[table] == 1, (table, counts)


def test_totals_reads_once(path, reads):
    workbook_totals(path, TODAY)
    once(reads)


def test_validate_reads_once_and_no_progress_table(path, reads):
    validate_workbook(path, today=TODAY, write=False)
    # What it checks, once each: the Audit (issued months), the month's consistency (Annex A,
    # Report, VCU, Risks: RETURN-CONTRADICTS), the invoice register, and every typed table's
    # cells (CELL-UNREADABLE, the Evidence log included).
    once(
        reads,
        layout.AUDIT_TABLE,
        layout.ANNEXA_TABLE,
        layout.AREA_REPORT_TABLE,
        layout.RISKS_TABLE,
        layout.INVOICES_TABLE,
        layout.EVIDENCE_TABLE,
    )


def test_mi_reads_once(path, tmp_path, reads):
    management_information(path, fmt="json", out=tmp_path / "mi.json", today=TODAY)
    once(reads, layout.AUDIT_TABLE, layout.INVOICES_TABLE, layout.ANNEXA_TABLE, layout.RISKS_TABLE)


def test_portfolio_reads_each_workbook_once(path, reads):
    line = read_contract(path, TODAY)
    assert isinstance(line, ContractLine), line
    once(reads, layout.AUDIT_TABLE, layout.INVOICES_TABLE, layout.RISKS_TABLE)
    assert reads[layout.ANNEXA_TABLE] == 0  # read when asked for, and the portfolio does not


def test_invoice_check_reads_once(path, reads):
    verdict = check_invoice(
        path, month="2024-03", net="1.00", vat="0.20", gross="1.20", today=TODAY
    )
    assert not verdict.passed
    once(reads, layout.INVOICES_TABLE)


def test_return_reads_once(path, reads):
    report = build_return(path, "2024-03", today=TODAY)
    assert [r.version for r in report.returns] == [1]
    once(reads, layout.AUDIT_TABLE, layout.ANNEXA_TABLE, layout.EVIDENCE_TABLE, layout.PLANS_TABLE)


def test_reprint_reads_once(path, tmp_path, monkeypatch, reads):
    build_return(path, "2024-03", today=TODAY)
    reads.clear()
    printed: list[Path] = []
    monkeypatch.setattr(
        "xlsrc.edges.libreoffice.recalc.recalculate", lambda p, pdf, only_sheet: printed.append(pdf)
    )
    report = build_return(path, "2024-03", pdf=tmp_path / "again.pdf", today=TODAY)
    assert [r.version for r in report.reprints] == [1] and printed == [tmp_path / "again.pdf"]
    once(reads, layout.AUDIT_TABLE)


@pytest.mark.parametrize(
    ("button", "tables"),
    [
        (entry.run_totals, ()),
        (entry.run_validate, (layout.AUDIT_TABLE,)),
        (entry.run_build_return, (layout.AUDIT_TABLE, layout.ANNEXA_TABLE, layout.PLANS_TABLE)),
    ],
)
def test_buttons_read_once(path, reads, button, tables):
    """Behind a button the workbook is open in Excel: nothing opens the file, and each table
    is read from Excel once."""
    wb = load_for_edit(path)
    put(wb[layout.GUIDE], 4, 5, "2024-03")  # the month the Build return button reads
    save_workbook(wb, path)
    book = backends.make("fake").open(path, selection=(layout.GUIDE, "E4"))
    reads.clear()
    button(book, today=TODAY)
    once(reads, *tables, opened=0)
