"""calloff invoice-check: read the workbook, hand plain data to xlsrc.core.invoices, return the
verdict.

The Tracker's figure for a month is Python's own total (xlsrc.core.totals) over the rows the
workbook counts (docs/counting.md); the Invoices sheet's rows are the invoices received.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsrc.actions.workbook_data import WorkbookData, load_workbook_data, snapshot
from xlsrc.core.invoices import Invoice, InvoiceCheck, Ledger, parse_figures, parse_month
from xlsrc.edges.fileio.source import WorkbookSource


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
    return ledger_of(load_workbook_data(path), today)


def ledger_of(source: WorkbookSource | WorkbookData, today: dt.date | None = None) -> Ledger:
    """The contract's rules, the Tracker's figures per month and the Invoices sheet's rows,
    from one read of the workbook."""
    return snapshot(source).ledger(today)
