"""calloff invoice-check: read the workbook, hand plain data to xlsrc.invoices, return the verdict.

The Tracker's figure for a month is Python's own total (xlsrc.totals) over the rows that
validate without errors; the Invoices sheet's rows are the invoices already received.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from xlsrc.dates import month_start
from xlsrc.fileio.invoices_reader import read_invoices
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
from xlsrc.totals import compute_totals
from xlsrc.tracker.model import RawRow
from xlsrc.validate import validate_rows
from xlsrc.validate.parse import parse_row


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
    rows = read_tracker(book)
    terms = read_terms(book)
    invoices = tuple(
        sheet_invoice(r.row, r.month, r.number, r.net, r.vat, r.gross) for r in read_invoices(book)
    )
    # No locked months: an invoiced month's own rows must count towards its invoice.
    checked = validate_rows(terms, rows, today=today or dt.date.today())
    bad = {i.row for i in checked.errors}
    totals = compute_totals(terms, [e for e in checked.entries if e.row not in bad])
    errors = _error_rows_by_month(terms, rows, bad)
    months = {
        m.month: TrackerMonth(m.month, m.days, m.net, errors.pop(m.month, ()))
        for m in totals.months
    }
    # Rows with errors dated outside the budget's months still belong to their month.
    months |= {m: TrackerMonth(m, error_rows=r) for m, r in errors.items()}
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


def _error_rows_by_month(
    terms: Terms, rows: list[RawRow], bad: set[int]
) -> dict[dt.date, tuple[int, ...]]:
    """Rows with errors by the month of their date; a row whose date cannot be read is in none."""
    found: dict[dt.date, list[int]] = defaultdict(list)
    for raw in rows:
        if raw.row in bad and (date := parse_row(terms, raw)[0].date) is not None:
            found[month_start(date)].append(raw.row)
    return {m: tuple(r) for m, r in found.items()}
