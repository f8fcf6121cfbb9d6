"""Money is Decimal, and this module is the one place that decides rounding.

The rule, stated once: every money figure is rounded to the penny, half-up (half away from
zero, which is what Excel's and LibreOffice's ROUND do for the positive sums we hold):
- a tracker line costs ROUND(days x day rate, 2);
- VAT is charged per invoice, i.e. per calendar month: ROUND(month net x VAT rate, 2);
- gross = net + VAT, no further rounding.
Percentages of the cap are ratios rounded to 4 places (0.1234 = 12.34%).
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
RATIO = Decimal("0.0001")
HALF_DAY = Decimal("0.5")
ZERO = Decimal("0")


def to_decimal(value: object) -> Decimal:
    """Exact Decimal from an int, str, Decimal or float (floats through their shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def round_money(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def round_ratio(value: Decimal) -> Decimal:
    return value.quantize(RATIO, rounding=ROUND_HALF_UP)


def line_cost(days: Decimal, day_rate: Decimal) -> Decimal:
    return round_money(days * day_rate)


def vat_on(net: Decimal, vat_rate: Decimal) -> Decimal:
    return round_money(net * vat_rate)


def floor_to_half_day(days: Decimal) -> Decimal:
    """Whole half-days that fit into `days` (what is still buyable), never negative."""
    if days <= 0:
        return ZERO
    return (days / HALF_DAY).to_integral_value(rounding=ROUND_FLOOR) * HALF_DAY


def pence(value: Decimal) -> int:
    return int(round_money(value) * 100)


def from_pence(pence_total: int) -> Decimal:
    return (Decimal(pence_total) / 100).quantize(PENNY)
