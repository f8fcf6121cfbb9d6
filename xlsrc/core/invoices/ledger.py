"""The ledger the invoice check works on, from what a command has already read (pure)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from xlsrc.core.invoices.check import Invoice, Ledger, Rules, TrackerMonth, sheet_invoice
from xlsrc.core.totals import Totals
from xlsrc.core.validate import ValidationResult
from xlsrc.model.dates import month_start
from xlsrc.model.entry import Entry
from xlsrc.model.errors import UserDataError
from xlsrc.model.money import ZERO, line_cost
from xlsrc.model.terms.models import Terms


class InvoiceCells(Protocol):
    """An Invoices sheet row as typed (xlsrc.edges.fileio.invoices_reader.InvoiceRow)."""

    @property
    def row(self) -> int: ...
    @property
    def month(self) -> object: ...
    @property
    def number(self) -> object: ...
    @property
    def net(self) -> object: ...
    @property
    def vat(self) -> object: ...
    @property
    def gross(self) -> object: ...
    @property
    def to_month(self) -> object: ...
    @property
    def status(self) -> object: ...
    @property
    def po(self) -> object: ...
    @property
    def invoice_date(self) -> object: ...


def build_ledger(
    terms: Terms, checked: ValidationResult, totals: Totals, invoice_rows: Iterable[InvoiceCells]
) -> Ledger:
    """The ledger from what a command has already read: the same figures as `calloff totals`
    (every row the workbook counts), each month blocked by the errors up to it."""
    # The counting rule: a row whose Month is not a date or whose amounts are not numbers
    # counts nowhere (the sheet's formulas skip it too); checking its month says why.
    invoices: list[Invoice] = []
    unreadable: list[tuple[object, str]] = []
    for r in invoice_rows:
        try:
            invoices.append(
                sheet_invoice(
                    r.row,
                    r.month,
                    r.number,
                    r.net,
                    r.vat,
                    r.gross,
                    to_month=r.to_month,
                    status=r.status,
                    po=r.po,
                    date=r.invoice_date,
                )
            )
        except UserDataError as exc:
            unreadable.append((r.month, str(exc)))
    rules = _rules(terms)
    parts = _by_rate(checked.entries, rules)
    months = {
        m.month: TrackerMonth(
            m.month,
            m.days,
            m.net,
            tuple(sorted({i.row for i in checked.errors_up_to(m.month)})),
            parts.get(m.month, ()),
        )
        for m in totals.months
    }
    return Ledger(rules, months, tuple(invoices), tuple(unreadable))


def _by_rate(
    entries: Iterable[Entry], rules: Rules
) -> dict[dt.date, tuple[tuple[Decimal, Decimal, Decimal], ...]]:
    """Per month: (rate, days, net) per day rate in force, in the order rates came in; each row
    priced on its own (line_cost), as the Budget and the monthly return do."""
    days: dict[dt.date, dict[Decimal, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    net: dict[dt.date, dict[Decimal, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for e in sorted(entries, key=lambda e: (e.date, e.row)):
        month, rate = month_start(e.date), rules.rate_on(e.date)
        days[month][rate] += e.days
        net[month][rate] += line_cost(e.days, rate)
    return {m: tuple((r, d, net[m][r]) for r, d in by_rate.items()) for m, by_rate in days.items()}


def _rules(terms: Terms) -> Rules:
    dates = terms.dates
    # Work stops at the end in force: the break if terminated there, an early end, an extension.
    last = terms.contract_end
    return Rules(
        cap=terms.cap_now,
        day_rate=terms.effective.rate_now,
        rates=tuple(terms.effective.rates),
        vat_rate=terms.money.vat_rate,
        first_month=month_start(dates.start),
        last_month=month_start(last),
    )
