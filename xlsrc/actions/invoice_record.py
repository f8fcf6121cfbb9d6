"""calloff invoice record: put one invoice (or credit note) on the register, the Invoices sheet.

It is checked to the penny against the Tracker first (xlsrc.core.invoices, the same check as
`calloff invoice-check` and the sheet's Result column): when it disagrees it is refused (exit 2)
with the figures, and nothing is written. A credit note is a line of its own with negative
amounts; `--credits NUMBER` marks the invoice it cancels Credited in the same save. The register
is then the source of "invoiced to date" (the Budget's headline, the invoice check's figure).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.core.invoices import Invoice, InvoiceCheck, Ledger, parse_amount, parse_month
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.audit_rows import invoice_audit
from xlsrc.edges.fileio.audit_writer import append_audit
from xlsrc.edges.fileio.invoices_reader import first_blank_row
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.fileio.writer_lock import workbook_lock
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.sheets.invoices import STATUSES
from xlsrc.model import fmt, layout
from xlsrc.model.errors import UserDataError


class InvoiceRefused(UserDataError):
    """The invoice disagrees with the Tracker (or the register): nothing was written."""


@dataclass(frozen=True)
class RecordResult:
    workbook: Path
    row: int
    check: InvoiceCheck
    credited_row: int | None
    invoiced_to_date: Decimal

    @property
    def has_problems(self) -> bool:
        return False

    def to_text(self) -> str:
        inv = self.check.invoice
        what = "Credit note" if inv.is_credit_note else "Invoice"
        lines = [
            f"{what} {inv.number} recorded on Invoices row {self.row} ({_covers(inv)}; net"
            f" {fmt.money(inv.net)}, VAT {fmt.money(inv.vat)}, gross {fmt.money(inv.gross)};"
            f" {inv.status}).",
            self.check.to_text().replace("PASS: ", "Checked: ", 1),
        ]
        if self.credited_row is not None:
            lines.append(f"Invoices row {self.credited_row} marked Credited.")
        lines.append(f"Invoiced to date (net, the register): {fmt.money(self.invoiced_to_date)}.")
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return fmt.json_object(
            {
                "workbook": str(self.workbook),
                "row": self.row,
                "credited_row": self.credited_row,
                "invoiced_to_date": self.invoiced_to_date,
                "check": self.check.to_json(),
            }
        )


def _covers(inv: Invoice) -> str:
    if inv.to_month is None:
        return fmt.month(inv.month)
    return f"{fmt.month(inv.month)} to {fmt.month(inv.to_month)}"


def _date(text: str | None, what: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserDataError(f"{what} must be a date, YYYY-MM-DD; found {text!r}") from None


def _signed_amount(text: str, what: str) -> Decimal:
    """An amount, negative for a credit note ("-2925.00")."""
    stripped = text.strip()
    if stripped.startswith("-"):
        return -parse_amount(stripped[1:], what)
    return parse_amount(stripped, what)


def record_invoice(
    workbook: Path,
    *,
    number: str,
    month: str,
    net: str,
    vat: str,
    gross: str,
    to_month: str | None = None,
    invoice_date: str | None = None,
    po: str = "",
    status: str = "Raised",
    credits: str | None = None,
    today: dt.date | None = None,
) -> RecordResult:
    """Check one invoice against the Tracker and, when it agrees to the penny, add it to the
    register. Refused (InvoiceRefused, exit 2) with the figures when it does not."""
    if not number.strip():
        raise UserDataError("--number is required: the invoice's number, e.g. RKS-0009")
    said = status.strip().capitalize()
    if said not in STATUSES:
        raise UserDataError(f"--status must be Raised, Paid or Credited; found {status!r}")
    first = parse_month(month)
    last = parse_month(to_month) if to_month else None
    if last is not None and last < first:
        raise UserDataError(f"--to-month {to_month} is before --month {month}")
    figures = (
        _signed_amount(net, "--net"),
        _signed_amount(vat, "--vat"),
        _signed_amount(gross, "--gross"),
    )
    date = _date(invoice_date, "--date")
    with workbook_lock(workbook):
        data = load_workbook_data(workbook)
        ledger = data.ledger(today)
        row = first_blank_row(data.book)
        if row > layout.HEADER_ROW + layout.INVOICES_CAPACITY:
            raise UserDataError(
                f"the Invoices sheet is full ({layout.INVOICES_CAPACITY} rows); rebuild the"
                " workbook with more room"
            )
        invoice = Invoice(
            first,
            *figures,
            row=row,
            number=number.strip(),
            to_month=last if last != first else None,
            status=said,
            po=po.strip(),
            date=date,
        )
        planned = plan_record(ledger, invoice, credits)
        credited, verdict, after = planned.credited, planned.check, planned.after
        headers = data.book.table(layout.INVOICES_TABLE)[0]
        if "Status" not in headers:
            raise UserDataError(
                "this workbook's Invoices sheet predates the register (no Status column):"
                " rebuild it with `calloff build` and copy its data across"
            )
        _write(workbook, headers, invoice, credited)
    return RecordResult(
        workbook, row, verdict, credited.row if credited else None, after.invoiced_to_date()
    )


@dataclass(frozen=True)
class Planned:
    check: InvoiceCheck  # passed
    credited: Invoice | None  # the invoice a credit note cancels, to mark Credited
    after: Ledger  # the register with the invoice on it


def plan_record(ledger: Ledger, invoice: Invoice, credits: str | None = None) -> Planned:
    """The check `calloff invoice record` and the Record invoice button share: `invoice`
    (the register's row it goes on, or is typed on) against the Tracker and the rest of the
    register, to the penny. Refused (InvoiceRefused) with the figures when it disagrees, or
    when its number is already on the register."""
    others = [i for i in ledger.invoices if i.row != invoice.row]
    number = invoice.number.strip().lower()
    if not number:
        raise UserDataError("an invoice needs its number (Invoice number), e.g. RKS-0009")
    if any(i.number.strip().lower() == number for i in others):
        raise InvoiceRefused(
            f"invoice {invoice.number} is already on the register (Invoices sheet); a"
            " correction is a credit note (negative amounts, --credits) and a new invoice"
        )
    credited = _credited(ledger, credits, invoice.month) if credits else None
    register = [
        Invoice(
            i.month, i.net, i.vat, i.gross, i.row, i.number, i.to_month, "Credited", i.po, i.date
        )
        if credited is not None and i.row == credited.row
        else i
        for i in others
    ]
    after = Ledger(ledger.rules, ledger.months, (*register, invoice))
    verdict = after.check(invoice)
    if not verdict.passed:
        what = "credit note" if invoice.is_credit_note else "invoice"
        raise InvoiceRefused(
            f"{what} {invoice.number} not recorded: it does not agree with the Tracker.\n"
            f"{verdict.to_text()}"
        )
    return Planned(verdict, credited, after)


def _credited(ledger: Ledger, number: str, month: dt.date) -> Invoice:
    found = [i for i in ledger.invoices if i.number.strip().lower() == number.strip().lower()]
    if not found:
        raise UserDataError(f"--credits {number}: no such invoice on the register")
    invoice = found[0]
    if invoice.month != month:
        raise UserDataError(
            f"--credits {number}: that invoice is for {fmt.month(invoice.month)}; give the"
            f" credit note --month {invoice.month:%Y-%m}"
        )
    return invoice


def _write(workbook: Path, headers: list[str], invoice: Invoice, credited: Invoice | None) -> None:
    """Write the register's cells by their headers (the table starts in column A)."""
    wb = load_for_edit(workbook)
    ws = wb[layout.INVOICES]
    values: dict[str, object] = {
        "Month": invoice.month,
        "Invoice number": invoice.number,
        "Net": float(invoice.net),
        "VAT": float(invoice.vat),
        "Gross": float(invoice.gross),
        "To month": invoice.to_month,
        "Invoice date": invoice.date,
        "PO": invoice.po or None,
        "Status": invoice.status,
    }
    assert invoice.row is not None
    for header, value in values.items():
        if value is not None:
            put(ws, invoice.row, headers.index(header) + 1, value)
    if credited is not None and credited.row is not None:
        put(ws, credited.row, headers.index("Status") + 1, "Credited")
    append_audit(wb, invoice_audit(invoice, credited))
    from xlsrc.edges.formulas.cache import kept_from  # with openpyxl, to write

    save_workbook(wb, workbook, kept=kept_from(workbook))
