"""xlsrc.model.fmt: the one place money, days and months are written and months are read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xlsrc.model import fmt


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("1234.5"), "£1,234.50"), (Decimal("-5850"), "-£5,850.00"), (Decimal(0), "£0.00"),
     (Decimal("0.005"), "£0.01")],
)  # fmt: skip
def test_money_for_people(value: Decimal, shown: str) -> None:
    assert fmt.money(value) == shown


@pytest.mark.parametrize(
    ("value", "money", "days"),
    [(Decimal("52650"), "52650.00", "52650.0"), (Decimal("0.5"), "0.50", "0.5"),
     (Decimal("81.00"), "81.00", "81.0"), (Decimal("-325.005"), "-325.01", "-325.0")],
)  # fmt: skip
def test_money_and_days_for_programs(value: Decimal, money: str, days: str) -> None:
    assert fmt.money_json(value) == money and fmt.days_json(value) == days


@pytest.mark.parametrize(
    ("text", "month"),
    [("2024-03", dt.date(2024, 3, 1)), (" 2023-10 ", dt.date(2023, 10, 1)),
     ("2025-12", dt.date(2025, 12, 1))],
)  # fmt: skip
def test_months_read_and_written_alike(text: str, month: dt.date) -> None:
    assert fmt.parse_month(text) == month
    assert fmt.month_key(month) == text.strip()


@pytest.mark.parametrize(
    "text",
    ["2024-3", "2024-13", "2024-00", "March 2024", "2024-03-01", "２０２４-03", "", "0000-01"],
)
def test_anything_else_is_not_a_month(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        fmt.parse_month(text)
