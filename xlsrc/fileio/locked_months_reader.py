"""Which months are locked, read from the workbook: invoiced (Invoices sheet) or returned
(a "Return issued" row on the Audit sheet, with the fingerprint of that month's rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from xlsrc import fmt, layout

from .invoices_reader import invoiced_months
from .progress_reader import read_audit
from .source import WorkbookSource


@dataclass(frozen=True)
class IssuedReturn:
    month: dt.date
    version: int
    fingerprint: str
    net: Decimal | None = None  # the month's net as issued (a later rate must not change it)


def issued_returns(book: WorkbookSource) -> dict[dt.date, IssuedReturn]:
    """The latest issued version of each month's return (none for older workbooks)."""
    if layout.AUDIT_TABLE not in book.table_names:
        return {}
    latest: dict[dt.date, IssuedReturn] = {}
    for row in read_audit(book):
        if row.action != layout.RETURN_ISSUED or not row.month:
            continue
        month = fmt.parse_month(row.month)
        version = row.version or 1
        if month not in latest or version >= latest[month].version:
            net = row.net if isinstance(row.net, Decimal) else None
            latest[month] = IssuedReturn(month, version, row.fingerprint, net)
    return latest


def locked_months(book: WorkbookSource) -> frozenset[dt.date]:
    """No new entries may go into these months."""
    return invoiced_months(book) | frozenset(issued_returns(book))
