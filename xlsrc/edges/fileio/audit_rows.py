"""What each writing command's Audit row says (the issued return's:
xlsrc.actions.monthly_return). Plain data, no file format: the CLI writes it with openpyxl
(xlsrc.edges.fileio.audit_writer), the buttons with xlwings (xlsrc.adapters.xl.write)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from xlsrc.core.invoices.check import Invoice
from xlsrc.model import layout
from xlsrc.model.entry import Entry
from xlsrc.model.terms.decisions import Decision


def _tool() -> str:
    from xlsrc import __version__

    return f"calloff {__version__}"


def entries_audit(action: str, entries: Sequence[Entry], rows: Sequence[int]) -> dict[str, object]:
    """Tracker rows added (fill, import): the months they fall in, how many, their days."""
    months = sorted({f"{e.date:%Y-%m}" for e in entries})
    days = sum((e.days for e in entries), Decimal(0))
    where = f"Tracker rows {min(rows)}-{max(rows)}" if rows else "no Tracker rows"
    return {
        "Action": action,
        "Month": (f"{months[0]} to {months[-1]}" if len(months) > 2 else ", ".join(months)) or None,
        "Rows": len(entries),
        "Tool": _tool(),
        "Details": f"{where}; {days.normalize():f} day(s)",
    }


def decision_audit(decision: Decision, row: int) -> dict[str, object]:
    """A decision recorded: its kind, dates and figures (the Decisions row holds the rest)."""
    figures = {
        "effective": decision.effective,
        "months": decision.months,
        "days per month": decision.days_per_month,
        "rate": decision.rate,
        "area": decision.area,
        "days": decision.days,
        "cap": decision.cap,
    }
    said = "; ".join(f"{k} {v}" for k, v in figures.items() if v is not None)
    return {
        "Action": f"{layout.DECISION_RECORDED}: {decision.kind}",
        "Month": f"{decision.decided:%Y-%m}",
        "Tool": _tool(),
        "Details": f"Decisions row {row}; decided {decision.decided} by {decision.by}"
        + (f"; {said}" if said else ""),
    }


def simple_audit(action: str, details: str, month: str | None = None) -> dict[str, object]:
    """Any other writing command: what it did, in words."""
    return {"Action": action, "Month": month, "Tool": _tool(), "Details": details}


def invoice_audit(invoice: Invoice, credited: Invoice | None = None) -> dict[str, object]:
    """An invoice put on the register (the CLI's `invoice record`, the Record invoice button)."""
    what = f"Invoices row {invoice.row}: {invoice.number}, {invoice.status or 'Raised'}"
    if credited is not None:
        what += f"; credits {credited.number}"
    return {
        **simple_audit(layout.INVOICE_RECORDED, what, f"{invoice.month:%Y-%m}"),
        "Net": float(invoice.net),
    }
