"""Finance's invoice check: one supplier invoice against the Tracker, to the penny.

Pure logic over plain data: xlsrc.actions.invoice_check reads the workbook and hands over the
contract's rules, the Tracker's figures per month and the invoices on the Invoices sheet.
Every difference is collected (never only the first), each naming its amount to the penny.

The rules, as the Invoices sheet's formulas apply them:
- net equals the Tracker's net for the month (the sum of its lines, each days x day rate);
- VAT equals ROUND(invoice net x VAT rate, 2), halves up: VAT is charged per invoice;
- gross equals net + VAT, not rounded again;
- a month is invoiced once;
- net invoiced for months up to and including this one stays within the cap.
Two more the sheet cannot see: the month is inside the term, and no Tracker row dated in or
before the month (or with no readable date) has an error (until then no figure is final).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from xlsrc.model import fmt, layout
from xlsrc.model.errors import UserDataError
from xlsrc.model.money import PENNY, ZERO, vat_on
from xlsrc.model.rules import (
    GROSS_NOT_NET_PLUS_VAT,
    MONTH_INVOICED_TWICE,
    MONTH_OUTSIDE_TERM,
    NET_DIFFERS,
    OVER_CAP,
    TRACKER_ERRORS,
    VAT_DIFFERS,
    Rule,
)
from xlsrc.model.typed import NumberError, parse_number

# Far beyond any contract, and keeps every sum exact within Decimal's 28 digits.
TOO_LARGE = Decimal(10**12)


@dataclass(frozen=True)
class Invoice:
    month: dt.date  # first of the month invoiced
    net: Decimal
    vat: Decimal
    gross: Decimal
    row: int | None = None  # its Invoices sheet row; None for figures typed on the command line
    number: str = ""
    to_month: dt.date | None = None  # the last month it covers; None: `month` only
    status: str = ""  # "Raised", "Paid" or "Credited" ("" when not said)
    po: str = ""
    date: dt.date | None = None  # the invoice's own date

    @property
    def last_month(self) -> dt.date:
        return self.to_month or self.month

    @property
    def credited(self) -> bool:
        return self.status.strip().lower() == "credited"

    @property
    def is_credit_note(self) -> bool:
        return self.net < 0

    @property
    def in_force(self) -> bool:
        """An invoice that counts as the month's: not credited, not a credit note."""
        return not self.credited and not self.is_credit_note

    def covers(self, month: dt.date) -> bool:
        return self.month <= month <= self.last_month

    @property
    def where(self) -> str:
        return f"Invoices row {self.row}" if self.row is not None else "from the command line"

    def same_figures(self, other: Invoice) -> bool:
        return (self.net, self.vat, self.gross) == (other.net, other.vat, other.gross)


@dataclass(frozen=True)
class TrackerMonth:
    """What the Tracker says a month cost: its rows that count (docs/counting.md)."""

    month: dt.date
    days: Decimal = ZERO
    net: Decimal = ZERO
    # Tracker rows with errors dated in or before this month, or with no readable date
    error_rows: tuple[int, ...] = ()
    # One part per day rate in force in the month, in the order rates came in: (rate, days,
    # net), the nets adding up to `net` (each row priced on its own, as the Budget does).
    by_rate: tuple[tuple[Decimal, Decimal, Decimal], ...] = ()


@dataclass(frozen=True)
class Rules:
    cap: Decimal
    day_rate: Decimal  # the rate in force now (rate_on tells a month's)
    vat_rate: Decimal
    first_month: dt.date  # first of the month the contract starts
    last_month: dt.date  # first of the last month work may be done (extension/break applied)
    # (from, rate) per rate-card line in date order; empty: `day_rate` throughout
    rates: tuple[tuple[dt.date, Decimal], ...] = ()

    def rate_on(self, day: dt.date) -> Decimal:
        """The day rate in force on `day` (a rate applies from its date on)."""
        found = self.day_rate if not self.rates else self.rates[0][1]
        for start, rate in self.rates:
            if start <= day:
                found = rate
        return found


@dataclass(frozen=True)
class Difference:
    code: str
    message: str


@dataclass(frozen=True)
class InvoiceCheck:
    """The verdict on one invoice: a Report (xlsrc.model.report) for the CLI and the Excel
    adapter."""

    invoice: Invoice
    tracker: TrackerMonth
    rules: Rules
    expected_vat: Decimal  # on the invoice's own net: what the VAT line should say
    cumulative_net: Decimal
    differences: tuple[Difference, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return not self.differences

    @property
    def has_problems(self) -> bool:
        return not self.passed

    def to_text(self) -> str:
        inv, t = self.invoice, self.tracker
        figures = (
            f"net {fmt.money(inv.net)}, VAT {fmt.money(inv.vat)}, gross {fmt.money(inv.gross)}"
        )
        if self.passed and inv.credited:
            return f"CREDITED: invoice for {fmt.month(inv.month)} ({inv.where}: {figures})."
        if self.passed and inv.is_credit_note:
            return (
                f"PASS: credit note for {fmt.month(inv.month)} ({inv.where}: {figures}) cancels"
                f" the invoice marked Credited; net invoiced up to this month"
                f" {fmt.money(self.cumulative_net)} of the {fmt.money(self.rules.cap)} cap."
            )
        if self.passed:
            return (
                f"PASS: invoice for {fmt.month(inv.month)} ({inv.where}: {figures}) matches the"
                f" Tracker to the penny: {_days_at_rate(t, self.rules)}, VAT at"
                f" {fmt.percent(self.rules.vat_rate)} per invoice; net invoiced up to this month"
                f" {fmt.money(self.cumulative_net)} of the {fmt.money(self.rules.cap)} cap."
            )
        lines = [f"FAIL: invoice for {fmt.month(inv.month)} ({inv.where}: {figures})"]
        lines += [f"  - {d.message}" for d in self.differences]
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        inv, t = self.invoice, self.tracker
        expected_vat = vat_on(t.net, self.rules.vat_rate)
        return fmt.json_object(
            {
                "month": fmt.month_key(inv.month),
                "passed": self.passed,
                "invoice": {
                    "row": inv.row,
                    "number": inv.number,
                    "net": inv.net,
                    "vat": inv.vat,
                    "gross": inv.gross,
                },
                "expected": {
                    "days": t.days,
                    # The month's one rate; null when it changed within the month (see by_rate).
                    "day_rate": _one_rate(t, self.rules),
                    "by_rate": [
                        {"day_rate": rate.quantize(PENNY), "days": days, "net": net}
                        for rate, days, net in t.by_rate
                    ],
                    "net": t.net,
                    "vat": expected_vat,
                    "gross": t.net + expected_vat,
                    "vat_on_invoice_net": self.expected_vat,
                },
                "cumulative_net": self.cumulative_net,
                "cap": self.rules.cap.quantize(PENNY),
                "tracker_rows_with_errors": list(t.error_rows),
                "differences": [{"code": d.code, "message": d.message} for d in self.differences],
            }
        )


def check(
    invoice: Invoice, tracker: TrackerMonth, rules: Rules, sheet: Sequence[Invoice]
) -> InvoiceCheck:
    """Check `invoice` against the Tracker's `tracker` month and the Invoices `sheet`.

    `sheet` is every invoice on the Invoices sheet; the invoice's own row is skipped. Figures
    from the command line identical to a sheet row for the same month are that row's invoice
    (finance checking what they typed), so it is neither a duplicate nor counted twice.
    """
    others = _others(invoice, sheet)
    month = fmt.month(invoice.month)
    found: list[Difference] = []
    cumulative = invoice.net + sum((o.net for o in others if o.month <= invoice.month), ZERO)
    if invoice.credited:  # cancelled by its credit note: nothing more to check
        expected = vat_on(invoice.net, rules.vat_rate)
        return InvoiceCheck(invoice, tracker, rules, expected, cumulative, ())

    def differ(rule: Rule, message: str) -> None:
        found.append(Difference(rule.code, message))

    if not rules.first_month <= invoice.month <= rules.last_month:
        differ(
            MONTH_OUTSIDE_TERM,
            f"{month} is outside the contract term ({fmt.month(rules.first_month)} to"
            f" {fmt.month(rules.last_month)}); no work can be invoiced for it",
        )
    credited = sum((o.net for o in others if o.month == invoice.month and o.credited), ZERO)
    if invoice.is_credit_note and invoice.net + credited != 0:
        differ(
            NET_DIFFERS,
            f"Credit note net {fmt.money(invoice.net)} does not cancel the {month} invoice(s)"
            f" marked Credited (net {fmt.money(credited)}) by {_by(invoice.net, -credited)};"
            " mark the invoice it credits Credited",
        )
    if not invoice.is_credit_note and invoice.net != tracker.net:
        differ(
            NET_DIFFERS,
            f"Net {fmt.money(invoice.net)} differs from the tracker's {fmt.money(tracker.net)}"
            f" ({_days_at_rate(tracker, rules)}) by {_by(invoice.net, tracker.net)}",
        )
    expected_vat = vat_on(invoice.net, rules.vat_rate)
    if invoice.vat != expected_vat:
        differ(
            VAT_DIFFERS,
            f"VAT {fmt.money(invoice.vat)} differs from {fmt.money(expected_vat)}, which is"
            f" {fmt.percent(rules.vat_rate)} of the invoice's net {fmt.money(invoice.net)}"
            f" rounded to the penny, halves up (VAT is charged per invoice), by"
            f" {_by(invoice.vat, expected_vat)}",
        )
    if invoice.gross != invoice.net + invoice.vat:
        total = invoice.net + invoice.vat
        differ(
            GROSS_NOT_NET_PLUS_VAT,
            f"Gross {fmt.money(invoice.gross)} is not net + VAT ({fmt.money(invoice.net)} +"
            f" {fmt.money(invoice.vat)} = {fmt.money(total)}); it differs by"
            f" {_by(invoice.gross, total)}",
        )
    for other in others:
        if other.month != invoice.month or not invoice.in_force or not other.in_force:
            continue
        if invoice.row is None:
            differ(
                MONTH_INVOICED_TWICE,
                f"{month} is already invoiced on Invoices row {other.row} with different"
                f" figures (net {fmt.money(other.net)}, VAT {fmt.money(other.vat)}, gross"
                f" {fmt.money(other.gross)}); a month is invoiced once",
            )
        else:
            differ(
                MONTH_INVOICED_TWICE,
                f"{month} is invoiced twice: also on Invoices row {other.row} (net"
                f" {fmt.money(other.net)}); a month is invoiced once (mark one Credited and"
                " record its credit note)",
            )
    if cumulative > rules.cap:
        differ(
            OVER_CAP,
            f"Net invoiced for months up to {month}, this invoice included, is"
            f" {fmt.money(cumulative)}: {fmt.money(cumulative - rules.cap)} over the"
            f" {fmt.money(rules.cap)} cap",
        )
    if tracker.error_rows:
        rows = ", ".join(str(r) for r in tracker.error_rows)
        differ(
            TRACKER_ERRORS,
            f"{len(tracker.error_rows)} Tracker row(s) dated in or before {month}, or with no"
            f" readable date, have errors (row(s) {rows}), so the Tracker's figures for it are"
            " not final; fix them (calloff validate) before paying",
        )
    return InvoiceCheck(invoice, tracker, rules, expected_vat, cumulative, tuple(found))


@dataclass(frozen=True)
class Invoiced:
    """The invoice register against the cap and against delivery: the Budget's headline
    figures of the same names (its formulas sum the Invoices rows that count, as these do)."""

    InvoicedToDate: Decimal  # net, credit notes negative
    InvoicedHeadroom: Decimal  # the cap in force less invoiced; negative means over
    DeliveredNotInvoiced: Decimal  # the Tracker's spend to date less invoiced

    NAMES = ("InvoicedToDate", "InvoicedHeadroom", "DeliveredNotInvoiced")

    def figures(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in self.NAMES}


def invoiced(
    invoices: Sequence[Invoice], delivered: Decimal, cap: Decimal, through: dt.date | None = None
) -> Invoiced:
    """The register's figures: net invoiced on every line that counts, credit notes negative
    (what the Budget's InvoicedToDate sums), against `cap` and `delivered`. `through`: only
    the lines dated (Invoice date) on or before that day, an undated line from its Month's
    1st (what a return states as at its date: rebuilt later, it says the same)."""
    net = sum((i.net for i in invoices if through is None or (i.date or i.month) <= through), ZERO)
    return Invoiced(net, cap - net, delivered - net)


@dataclass(frozen=True)
class Ledger:
    """What the checks need from one workbook, as plain data."""

    rules: Rules
    months: dict[dt.date, TrackerMonth]  # keyed by the first of the month
    invoices: tuple[Invoice, ...]  # the Invoices sheet's rows, in sheet order
    # (Month as typed, why) of each row that counts nowhere: a Month not a date, an amount
    # not a number (calloff validate names the cell)
    unreadable: tuple[tuple[object, str], ...] = ()

    def check(self, invoice: Invoice) -> InvoiceCheck:
        return check(invoice, self.tracker_for(invoice), self.rules, self.invoices)

    def tracker_for(self, invoice: Invoice) -> TrackerMonth:
        """What the Tracker says the months an invoice covers cost (one month, or several)."""
        parts = [
            t for m, t in sorted(self.months.items()) if invoice.month <= m <= invoice.last_month
        ]
        if invoice.to_month is None or len(parts) <= 1:
            return self.months.get(invoice.month) or TrackerMonth(invoice.month)
        by_rate: dict[Decimal, tuple[Decimal, Decimal]] = {}
        for t in parts:
            for rate, days, net in t.by_rate:
                d, n = by_rate.get(rate, (ZERO, ZERO))
                by_rate[rate] = (d + days, n + net)
        return TrackerMonth(
            invoice.month,
            sum((t.days for t in parts), ZERO),
            sum((t.net for t in parts), ZERO),
            tuple(sorted({r for t in parts for r in t.error_rows})),
            tuple((rate, d, n) for rate, (d, n) in by_rate.items()),
        )

    def invoiced_to_date(self) -> Decimal:
        """Net invoiced on the register (the Budget's InvoicedToDate)."""
        return invoiced(self.invoices, ZERO, ZERO).InvoicedToDate

    def against(self, delivered: Decimal, cap: Decimal, through: dt.date | None = None) -> Invoiced:
        """The register against the cap and against what the Tracker says was delivered."""
        return invoiced(self.invoices, delivered, cap, through)

    def in_force_for(self, month: dt.date) -> list[Invoice]:
        """The register's invoices in force that cover `month` (not credited, no credit note)."""
        return [i for i in self.invoices if i.in_force and i.covers(month)]

    def sheet_invoice_for(self, month: dt.date) -> Invoice:
        """The month's first Invoices row in force (a second one fails the check as a
        duplicate), else its first row."""
        for invoice in sorted(self.invoices, key=lambda i: not i.in_force):
            if invoice.month == month:
                return invoice
        for typed, why in self.unreadable:
            day = typed.date() if isinstance(typed, dt.datetime) else typed
            if isinstance(day, dt.date) and day.replace(day=1) == month:
                raise UserDataError(why)
        raise UserDataError(
            f"no invoice for {month.year:04d}-{month.month:02d} on the Invoices sheet;"
            " give --net, --vat and --gross"
        )


def _others(invoice: Invoice, sheet: Sequence[Invoice]) -> list[Invoice]:
    if invoice.row is not None:
        return [s for s in sheet if s.row != invoice.row]
    same = next((s for s in sheet if s.month == invoice.month and s.same_figures(invoice)), None)
    return [s for s in sheet if s is not same]


def _one_rate(tracker: TrackerMonth, rules: Rules) -> Decimal | None:
    """The rate the month is priced at: its only part's, the rate on its first day when it has
    no days, None when the rate changed within it."""
    if len(tracker.by_rate) > 1:
        return None
    rate = tracker.by_rate[0][0] if tracker.by_rate else rules.rate_on(tracker.month)
    return rate.quantize(PENNY)


def _days_at_rate(tracker: TrackerMonth, rules: Rules) -> str:
    """The month's charge as its figures come: "5.5 days × £650.00", or one part per rate in
    force ("2 days × £650.00 = £1,300.00 + 3 days × £700.00 = £2,100.00"), as the return says."""
    rate = _one_rate(tracker, rules)
    if rate is not None:
        return f"{fmt.days(tracker.days)} × {fmt.money(rate)}"
    return " + ".join(
        f"{fmt.days(days)} × {fmt.money(r)} = {fmt.money(net)}" for r, days, net in tracker.by_rate
    )


def _by(got: Decimal, want: Decimal) -> str:
    gap = got - want
    return f"{fmt.money(abs(gap))} ({'too high' if gap > 0 else 'too low'})"


# Reading what a person typed: the command line's text and the Invoices sheet's cells.


def parse_month(text: str) -> dt.date:
    try:
        return fmt.parse_month(text)
    except ValueError:
        raise UserDataError(f"--month must be YYYY-MM, e.g. 2024-03; found {text!r}") from None


def parse_amount(text: str, what: str) -> Decimal:
    """Exact pounds and pence from "2275", "2275.00", "2,275.00" or "£2,275.00", read by the
    one parser for what a person types (xlsrc.model.typed): `1e3`, `3_575`, NaN are refused."""
    try:
        amount = parse_number(text, what, kind="money", places=2, maximum=TOO_LARGE)
    except NumberError as exc:
        raise UserDataError(f"{exc}; an invoice is in pounds and pence") from None
    return amount.quantize(PENNY)


def parse_figures(
    net: str | None, vat: str | None, gross: str | None
) -> tuple[Decimal, Decimal, Decimal] | None:
    """All three amounts, or None when none was given (check the Invoices sheet's row)."""
    given = {"--net": net, "--vat": vat, "--gross": gross}
    if all(v is None for v in given.values()):
        return None
    missing = [k for k, v in given.items() if v is None]
    if missing:
        raise UserDataError(
            f"give all of --net, --vat and --gross (missing {', '.join(missing)}), or none of"
            " them to check the Invoices sheet's row"
        )
    n, v, g = (parse_amount(text, flag) for flag, text in given.items() if text is not None)
    return n, v, g


def sheet_invoice(
    row: int,
    month: object,
    number: object,
    net: object,
    vat: object,
    gross: object,
    *,
    to_month: object = None,
    status: object = None,
    po: object = None,
    date: object = None,
) -> Invoice:
    """An Invoice from one Invoices sheet row as read (dates, floats, text or None)."""
    first = _sheet_date(row, "Month", month, "the 1st of the month")
    if first is None:
        raise UserDataError(
            f"Invoices row {row}: Month must be a date (the 1st of the month);"
            f" found {fmt.found(month)}"
        )
    last = _sheet_date(row, "To month", to_month, "the last month the invoice covers")
    if last is not None and last.replace(day=1) < first.replace(day=1):
        raise UserDataError(
            f"Invoices row {row}: To month {fmt.month(last)} is before Month"
            f" {fmt.month(first)}; type the last month the invoice covers, or leave it blank"
        )
    said = _text(status).strip()
    if said and said.lower() not in {s.lower() for s in layout.INVOICE_STATUSES}:
        raise UserDataError(
            f"Invoices row {row}: Status must be Raised, Paid or Credited; found {said!r}"
        )
    net_, vat_, gross_ = (
        _sheet_amount(row, h, v) for h, v in (("Net", net), ("VAT", vat), ("Gross", gross))
    )
    return Invoice(
        first.replace(day=1),
        net_,
        vat_,
        gross_,
        row=row,
        number=_text(number),
        to_month=last.replace(day=1)
        if last and last.replace(day=1) != first.replace(day=1)
        else None,
        status=said.capitalize(),
        po=_text(po),
        # The invoice's own date counts for nothing: unreadable, it is left blank (validate
        # names the cell).
        date=date.date()
        if isinstance(date, dt.datetime)
        else date
        if isinstance(date, dt.date)
        else None,
    )


def _sheet_date(row: int, header: str, value: object, what: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise UserDataError(
        f"Invoices row {row}: {header} must be a date ({what}); found {fmt.found(value)}"
    )


def _sheet_amount(row: int, header: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise UserDataError(
            f"Invoices row {row}: {header} must be a number in pounds; found {fmt.found(value)}"
        )
    try:
        # A credit note's amounts are negative.
        amount = parse_number(
            value,
            f"Invoices row {row}: {header}",
            kind="money",
            maximum=TOO_LARGE,
            minimum=-TOO_LARGE,
        )
    except NumberError as exc:
        raise UserDataError(str(exc)) from None
    if amount != amount.quantize(PENNY):
        raise UserDataError(
            f"Invoices row {row}: {header} {amount} has fractions of a penny; type pounds and pence"
        )
    return amount.quantize(PENNY)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an invoice number typed as a number
    return str(value)
