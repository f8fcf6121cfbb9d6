"""Excel's values and its rules for mixing them: blanks, numbers, text, booleans, errors,
dates as serial numbers, and the coercions every operator and function shares."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

EPOCH = dt.datetime(1899, 12, 30)


class Uncomputable(Exception):
    """A formula uses something this engine does not compute (a function, a format...)."""


@dataclass(frozen=True)
class XlError:
    code: str

    def __str__(self) -> str:
        return self.code


NA = XlError("#N/A")
VALUE = XlError("#VALUE!")
REF = XlError("#REF!")
DIV0 = XlError("#DIV/0!")
NUM = XlError("#NUM!")
NAME = XlError("#NAME?")


class ErrorResult(Exception):
    """Raised to return an Excel error from deep inside a computation."""

    def __init__(self, error: XlError) -> None:
        self.error = error


def from_python(value: object) -> object:
    """A cell's stored value as Excel sees it: dates become serial numbers."""
    if value is None or isinstance(value, bool | str | float):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dt.datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return date_to_serial(value.date()) + seconds / 86400
    if isinstance(value, dt.date):
        return date_to_serial(value)
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


# Excel's 1900 date system counts 29 February 1900, a day that never was (kept from Lotus
# 1-2-3): serial 1 is 1 January 1900, 59 is 28 February, 60 the day that never was, and 61 is
# 1 March 1900. From 61 on a serial counts from 30 December 1899; before it, from 31 December
# 1899 (serial 0, "0 January 1900"). Serial 60 reads as 28 February here, except that YEAR,
# MONTH and DAY give Excel's 1900, 2, 29 (`serial_parts`).
_MARCH_1900 = dt.date(1900, 3, 1)
_EARLY_EPOCH = dt.date(1899, 12, 31)


def serial_to_date(serial: float) -> dt.date:
    if serial < 0 or serial > 2958465:
        raise ErrorResult(NUM)
    day = math.floor(serial)
    if day >= 61:
        return EPOCH.date() + dt.timedelta(days=day)
    return _EARLY_EPOCH + dt.timedelta(days=min(day, 59))


def serial_parts(serial: float) -> tuple[int, int, int]:
    """(year, month, day) of a serial as Excel's YEAR, MONTH and DAY read it."""
    if 60 <= serial < 61:
        return 1900, 2, 29
    if 0 <= serial < 1:
        return 1900, 1, 0
    day = serial_to_date(serial)
    return day.year, day.month, day.day


def date_to_serial(day: dt.date) -> float:
    if day < _MARCH_1900:
        return float((day - _EARLY_EPOCH).days)
    return float((day - EPOCH.date()).days)


def to_number(value: object) -> float:
    """Arithmetic's view: blank 0, booleans 1/0, numeric text its number, else #VALUE!."""
    if isinstance(value, XlError):
        raise ErrorResult(value)
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if text.endswith("%"):
                return float(text[:-1]) / 100
            return float(text)
        except ValueError:
            raise ErrorResult(VALUE) from None
    raise ErrorResult(VALUE)


def to_bool(value: object) -> bool:
    if isinstance(value, XlError):
        raise ErrorResult(value)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0
    if isinstance(value, str) and value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    raise ErrorResult(VALUE)


def number_text(x: float) -> str:
    """A number as Excel's General format writes it when joined to text (15 digits)."""
    if x == 0:
        return "0"
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    text = f"{x:.15g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        return f"{mantissa}E{'+' if int(exp) >= 0 else '-'}{abs(int(exp)):02d}"
    return text


def to_text(value: object) -> str:
    if isinstance(value, XlError):
        raise ErrorResult(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def round_half_away(x: float, digits: int) -> float:
    """ROUND as Excel does it: on the 15-digit decimal the cell shows, halves away from 0."""
    if math.isinf(x) or math.isnan(x):
        raise ErrorResult(NUM)
    d = Decimal(f"{x:.15g}")
    quantum = Decimal(1).scaleb(-digits)
    return float(d.quantize(quantum, rounding=ROUND_HALF_UP))


_RANK = {float: 0, str: 1, bool: 2}


def compare(a: object, b: object) -> int:
    """-1, 0 or 1 as Excel's = < > compare two values (text ignores case; numbers < text <
    booleans; a blank is 0, "" or FALSE to match the other side)."""
    if isinstance(a, XlError):
        raise ErrorResult(a)
    if isinstance(b, XlError):
        raise ErrorResult(b)
    if a is None:
        a = _blank_like(b)
    if b is None:
        b = _blank_like(a)
    ta, tb = _RANK[type(a)], _RANK[type(b)]
    if ta != tb:
        return -1 if ta < tb else 1
    if isinstance(a, str):
        a, b = a.lower(), str(b).lower()
    if a == b or (isinstance(a, float) and _same_to_15_digits(a, b)):  # type: ignore[arg-type]
        return 0
    return -1 if a < b else 1  # type: ignore[operator]


def _same_to_15_digits(a: float, b: float) -> bool:
    """Excel compares numbers to 15 significant digits: 0.1+0.2=0.3 is TRUE."""
    return abs(a - b) <= 1e-14 * max(abs(a), abs(b)) and f"{a:.15g}" == f"{b:.15g}"


def _blank_like(other: object) -> object:
    if isinstance(other, str):
        return ""
    if isinstance(other, bool):
        return False
    return 0.0
