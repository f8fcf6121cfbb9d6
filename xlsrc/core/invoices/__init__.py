"""Finance's invoice check, as pure logic: an invoice against the Tracker, to the penny."""

from xlsrc.core.invoices.check import (
    Difference,
    Invoice,
    InvoiceCheck,
    Ledger,
    Rules,
    TrackerMonth,
    check,
    parse_amount,
    parse_figures,
    parse_month,
    sheet_invoice,
)

__all__ = [
    "Difference",
    "Invoice",
    "InvoiceCheck",
    "Ledger",
    "Rules",
    "TrackerMonth",
    "check",
    "parse_amount",
    "parse_figures",
    "parse_month",
    "sheet_invoice",
]
