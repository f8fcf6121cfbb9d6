"""Which months are locked, read from the workbook: invoiced (Invoices sheet) or returned
(a "Return issued" row on the Audit sheet, with the fingerprint of that month's rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from xlsrc.edges.fileio.invoices_reader import invoiced_months
from xlsrc.edges.fileio.period_lock import audit_month, return_sheets
from xlsrc.edges.fileio.progress_reader import read_audit
from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.model import layout
from xlsrc.model.dates import add_months
from xlsrc.model.errors import WorkbookFileError


@dataclass(frozen=True)
class IssuedReturn:
    month: dt.date
    version: int
    fingerprint: str
    net: Decimal | None = None  # the month's net as issued (a later rate must not change it)


def issued_returns(book: WorkbookSource, *, strict: bool = True) -> dict[dt.date, IssuedReturn]:
    """The latest issued version of each month's return (none for older workbooks).

    An Audit row whose month cannot be read stops a command that needs to know which months
    are locked (`strict`); validate reports it as an error instead (period_lock.py)."""
    if layout.AUDIT_TABLE not in book.table_names:
        return {}
    latest: dict[dt.date, IssuedReturn] = {}
    for row in read_audit(book):
        if row.action != layout.RETURN_ISSUED:
            continue
        month = audit_month(row.month)
        if month is None:
            if not strict:
                continue
            raise WorkbookFileError(
                f"{book.path}: the Audit sheet's row {row.row} records an issued return but"
                f" its Month is {row.month or 'blank'!r}, not YYYY-MM as calloff wrote it;"
                " calloff cannot tell which month is locked. Put it back (e.g. 2024-03)"
            )
        version = row.version or 1
        if month not in latest or version >= latest[month].version:
            net = row.net if isinstance(row.net, Decimal) else None
            latest[month] = IssuedReturn(month, version, row.fingerprint, net)
    return latest


def locked_months(book: WorkbookSource) -> frozenset[dt.date]:
    """No new entries may go into these months, nor any before them
    (xlsrc.model.dates.locked_through): invoiced, returned (Audit row), or with a Return sheet
    (its Audit row deleted does not unlock the month); and the month before an issued interim
    return's (the interim's own month stays open: a late day there is INTERIM-CHANGED)."""
    sheets = frozenset(month for month, _ in return_sheets(book).values())
    return invoiced_months(book) | frozenset(issued_returns(book)) | sheets | _before_interims(book)


def _before_interims(book: WorkbookSource) -> frozenset[dt.date]:
    if layout.AUDIT_TABLE not in book.table_names:
        return frozenset()
    out = set()
    for row in read_audit(book):
        if row.action != layout.INTERIM_ISSUED:
            continue
        try:
            as_at = dt.date.fromisoformat(row.month.strip())
        except ValueError:
            continue  # unreadable: validate names it (period_lock.py)
        out.add(add_months(as_at.replace(day=1), -1))
    return frozenset(out)
