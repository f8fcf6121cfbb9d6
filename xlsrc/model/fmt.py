"""How values are written, the one place: for people (£1,234.50, 1.5 days, dd/mm/yyyy,
March 2024, what a person typed), for programs (JSON money "1234.50", days "1.5", months
"2024-03") and months read back from "YYYY-MM".
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from xlsrc.model.money import round_money

_MAX_SHOWN = 60  # long cells are cut so a message stays one readable line
_MONTH_KEY = re.compile(r"([0-9]{4})-([0-9]{2})")  # ASCII digits only


def money(value: Decimal) -> str:
    """£1,234.50; a negative amount is -£1,234.50."""
    sign = "-" if value < 0 else ""
    return f"{sign}£{round_money(abs(value)):,.2f}"


def money_json(value: Decimal) -> str:
    """Money for programs: a string with exactly two decimals ("52650.00"), never a float."""
    return str(round_money(value))


def days_json(value: Decimal) -> str:
    """Days for programs: a string with exactly one decimal ("81.0", "0.5")."""
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


_DAYS_KEY = re.compile(r"days", re.IGNORECASE)
_PLANNED_KEY = re.compile(r"planned", re.IGNORECASE)
_RATIO_KEY = re.compile(r"pct|percent|trajectory|cap_?used|vat_?rate", re.IGNORECASE)


def json_ready(value: object, key: str = "") -> object:
    """Data for JSON, the same in every command: money "1234.50", days "81.0", ratios "0.9000"
    (strings, never floats), dates ISO, true/false.

    A Decimal's kind comes from its key, or from the nearest enclosing key that names one
    (`days_by_area: {"Oxfordshire": ...}` holds days): a key with "days" is days, one with
    "planned" is planned days (two decimals: the plan is rounded to 0.01 day), one with "pct",
    "cap_used", "trajectory" or "vat_rate" a ratio (four decimals); any other is money.
    """
    if isinstance(value, dict):
        return {k: json_ready(v, _kind_key(str(k), key)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v, key) for v in value]
    if isinstance(value, Decimal):
        if _PLANNED_KEY.search(key):
            return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        if _DAYS_KEY.search(key):
            return days_json(value)
        if _RATIO_KEY.search(key):
            return str(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
        return money_json(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def json_object(data: dict[str, object]) -> dict[str, object]:
    """`json_ready` for a JSON object (what every `to_json` returns)."""
    return {k: json_ready(v, _kind_key(k, "")) for k, v in data.items()}


def _kind_key(key: str, enclosing: str) -> str:
    """`key` when it names a kind of figure, else the enclosing one (e.g. an area's name)."""
    if any(p.search(key) for p in (_DAYS_KEY, _PLANNED_KEY, _RATIO_KEY)):
        return key
    return enclosing or key


def month_key(value: dt.date) -> str:
    """A month as programs and sheet names spell it: "2024-03"."""
    return f"{value.year:04d}-{value.month:02d}"


def parse_month(text: str) -> dt.date:
    """The first day of the month written "YYYY-MM" (surrounding spaces allowed).

    Raises ValueError for anything else ("2024-3", "2024-13", "March 2024").
    """
    match = _MONTH_KEY.fullmatch(text.strip())
    if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise ValueError(f"not a YYYY-MM month: {text!r}")
    return dt.date(int(match[1]), int(match[2]), 1)


def day(value: dt.date) -> str:
    # Not strftime: it drops the zero padding of years before 1000 on some platforms.
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def month(value: dt.date) -> str:
    return f"{value:%B} {value.year:04d}"


def days(value: Decimal) -> str:
    return "1 day" if value == 1 else f"{value.normalize():f} days"


def percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"


def share(part: Decimal | int, whole: Decimal | int) -> str:
    """`part` of `whole` as a whole percentage, rounded half-up (8 of 11: "73%"): the one
    rule for every percentage people read."""
    value = Decimal(part) * 100 / Decimal(whole)
    return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


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
