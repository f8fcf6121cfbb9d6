"""calloff invoice-check: read the workbook, hand plain data to xlsrc.invoices, return the verdict.

The Tracker's figure for a month is Python's own total (xlsrc.totals) over the rows the
workbook counts (docs/counting.md); the Invoices sheet's rows are the invoices received.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsrc.dates import month_start
from xlsrc.fileio.invoices_reader import InvoiceRow, read_invoices
from xlsrc.fileio.reader import open_book, read_tracker
from xlsrc.fileio.source import WorkbookSource
from xlsrc.fileio.terms_reader import read_terms
from xlsrc.invoices import (
    Invoice,
    InvoiceCheck,
    Ledger,
    Rules,
    TrackerMonth,
    parse_figures,
    parse_month,
    sheet_invoice,
)
from xlsrc.terms.models import Terms
from xlsrc.totals import Totals, compute_totals
from xlsrc.validate import ValidationResult, validate_rows


def check_invoice(
    path: Path,
    *,
    month: str,
    net: str | None,
    vat: str | None,
    gross: str | None,
    today: dt.date | None = None,
) -> InvoiceCheck:
    """Check the invoice for `month`: the figures given, or else the Invoices sheet's row."""
    wanted = parse_month(month)
    figures = parse_figures(net, vat, gross)  # bad input fails before the file is read
    ledger = read_ledger(path, today)
    invoice = Invoice(wanted, *figures) if figures else ledger.sheet_invoice_for(wanted)
    return ledger.check(invoice)


def check_invoices_sheet(path: Path, today: dt.date | None = None) -> list[InvoiceCheck]:
    """One verdict per Invoices sheet row, in sheet order (what its Result column shows)."""
    ledger = read_ledger(path, today)
    return [ledger.check(invoice) for invoice in ledger.invoices]


def read_ledger(path: Path, today: dt.date | None = None) -> Ledger:
    return ledger_of(open_book(path), today)


def ledger_of(book: WorkbookSource, today: dt.date | None = None) -> Ledger:
    """The contract's rules, the Tracker's figures per month and the Invoices sheet's rows."""
    terms = read_terms(book)
    # No locked months: an invoiced month's own rows must count towards its invoice.
    checked = validate_rows(terms, read_tracker(book), today=today or dt.date.today())
    return build_ledger(terms, checked, compute_totals(terms, checked.entries), read_invoices(book))


def build_ledger(
    terms: Terms, checked: ValidationResult, totals: Totals, invoice_rows: list[InvoiceRow]
) -> Ledger:
    """The ledger from what a command has already read: the same figures as `calloff totals`
    (every row the workbook counts), each month blocked by the errors up to it."""
    invoices = tuple(
        sheet_invoice(r.row, r.month, r.number, r.net, r.vat, r.gross) for r in invoice_rows
    )
    months = {
        m.month: TrackerMonth(
            m.month,
            m.days,
            m.net,
            tuple(sorted({i.row for i in checked.errors_up_to(m.month)})),
        )
        for m in totals.months
    }
    return Ledger(_rules(terms), months, invoices)


def _rules(terms: Terms) -> Rules:
    dates = terms.dates
    # Work stops at the end in force: the break if terminated there, an early end, an extension.
    last = terms.contract_end
    return Rules(
        cap=terms.money.cap,
        day_rate=terms.effective.rate_now,
        vat_rate=terms.money.vat_rate,
        first_month=month_start(dates.start),
        last_month=month_start(last),
    )
