"""Which months are locked, read from the workbook: invoiced (Invoices sheet) or returned
(a "Return issued" row on the Audit sheet, with the fingerprint of that month's rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xlsrc import fmt, layout

from .invoices_reader import invoiced_months
from .progress_reader import read_audit
from .source import WorkbookSource


@dataclass(frozen=True)
class IssuedReturn:
    month: dt.date
    version: int
    fingerprint: str


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
            latest[month] = IssuedReturn(month, version, row.fingerprint)
    return latest


def locked_months(book: WorkbookSource) -> frozenset[dt.date]:
    """No new entries may go into these months."""
    return invoiced_months(book) | frozenset(issued_returns(book))
