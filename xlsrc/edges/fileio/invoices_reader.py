"""The Invoices table, as typed by finance (raw values; the invoice check interprets them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.edges.fileio.source import clean as _clean
from xlsrc.model import layout
from xlsrc.model.dates import month_start


@dataclass(frozen=True)
class InvoiceRow:
    row: int  # worksheet row on the Invoices sheet
    month: object  # a date when typed properly; anything else as typed
    number: object
    net: object
    vat: object
    gross: object
    received: object
    # The register's columns (workbooks built before them have none: None).
    to_month: object = None
    invoice_date: object = None
    po: object = None
    status: object = None

    @property
    def month_start(self) -> dt.date | None:
        if isinstance(self.month, dt.datetime):
            return month_start(self.month.date())
        if isinstance(self.month, dt.date):
            return month_start(self.month)
        return None


def read_invoices(book: WorkbookSource) -> list[InvoiceRow]:
    """Every non-blank row of the Invoices table."""
    headers, rows, first_row = book.table(layout.INVOICES_TABLE)
    wanted: tuple[str, ...] = ("Month", "Invoice number", "Net", "VAT", "Gross", "Date received")
    wanted += ("To month", "Invoice date", "PO", "Status")
    index = {h: headers.index(h) for h in wanted if h in headers}
    out = []
    for offset, values in enumerate(rows):
        cells = {h: _clean(values[i]) for h, i in index.items()}
        for h in wanted:
            cells.setdefault(h, None)
        if all(v is None for v in cells.values()):
            continue
        out.append(
            InvoiceRow(
                first_row + offset,
                cells["Month"],
                cells["Invoice number"],
                cells["Net"],
                cells["VAT"],
                cells["Gross"],
                cells["Date received"],
                cells["To month"],
                cells["Invoice date"],
                cells["PO"],
                cells["Status"],
            )
        )
    return out


def invoiced_months(book: WorkbookSource) -> frozenset[dt.date]:
    """First-of-month dates that have an invoice recorded: no new entries may go there."""
    return frozenset(m for r in read_invoices(book) if (m := r.month_start) is not None)


def first_blank_row(book: WorkbookSource) -> int:
    """The Invoices table's first wholly blank row (where `calloff invoice record` writes)."""
    headers, rows, first_row = book.table(layout.INVOICES_TABLE)
    inputs = [i for i, h in enumerate(headers) if h in ("Month", "Invoice number", "Net")]
    for offset, values in enumerate(rows):
        if all(_clean(values[i]) is None for i in inputs):
            return first_row + offset
    return first_row + len(rows)
