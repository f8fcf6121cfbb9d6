"""How values appear in messages: £1,234.50, dd/mm/yyyy, and what a person typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

_MAX_SHOWN = 60  # long cells are cut so a message stays one readable line


def money(value: Decimal) -> str:
    return f"£{value:,.2f}"


def day(value: dt.date) -> str:
    # Not strftime: it drops the zero padding of years before 1000 on some platforms.
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def month(value: dt.date) -> str:
    return f"{value:%B} {value.year:04d}"


def days(value: Decimal) -> str:
    return "1 day" if value == 1 else f"{value.normalize():f} days"


def percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"


def found(value: object) -> str:
    """The cell as the person would recognise it, for 'found ...' in messages."""
    if value is None:
        return "a blank cell"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return day(value.date()) if value.time() == dt.time() else f"{day(value)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return day(value)
    if isinstance(value, str):
        return f'"{_cut(value)}"'
    if isinstance(value, int) and abs(value) >= 10**_MAX_SHOWN:
        return "a number too long to show"  # str() refuses ints past ~4,300 digits
    return _cut(str(value))


def listing(names: list[str]) -> str:
    return ", ".join(names)


def _cut(text: str) -> str:
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"
