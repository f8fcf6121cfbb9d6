"""Reading cells: blank cells, text that reads as a date or a number, what a person typed.

These say what a cell *means*; whether it counts is xlsrc.core.tracker.counting's business (text
that reads as a date means a date, but the workbook cannot count it).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from xlsrc.model import fmt, typed
from xlsrc.model.entry import INPUT_COLUMNS, Entry, RawRow
from xlsrc.model.money import to_decimal

# ASCII digits only: \d would accept other scripts' digits.
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


@dataclass(frozen=True)
class Placed:
    """An entry with the sheet it came from, for the rules that compare rows."""

    sheet: str
    entry: Entry


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_blank_row(raw: RawRow) -> bool:
    # Only the input columns count: the formula columns (Month, Cost) may hold values.
    return all(is_blank(raw.values.get(column)) for column in INPUT_COLUMNS)


def read_date(value: object) -> tuple[dt.date | None, str]:
    """(date, "") or (None, a message saying what was wrong)."""
    example = "type it as dd/mm/yyyy, e.g. 12/10/2023, or format the cell as a date"
    if isinstance(value, dt.datetime):  # before date: datetime is a date subclass
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, str):
        typed = value.strip()
        if match := _DMY.fullmatch(typed):
            day, month, year = (int(g) for g in match.groups())
        elif match := _ISO.fullmatch(typed):
            year, month, day = (int(g) for g in match.groups())
        else:
            return None, f"Date must be a date; found {fmt.found(value)} ({example})"
        try:
            return dt.date(year, month, day), ""
        except ValueError:
            return None, (
                f"Date must be a real date; found {fmt.found(value)}, which does not exist"
                " (dates are day/month/year)"
            )
    if isinstance(value, bool):
        kind = ", a true/false value"
    elif isinstance(value, int | float | Decimal):
        kind = ", a number"
    else:
        kind = ""
    return None, f"Date must be a date; found {fmt.found(value)}{kind} ({example})"


def read_number(value: object) -> Decimal | None:
    """A finite Decimal from a number or numeric text; None for anything else.

    Text is read by the one parser for what a person types (xlsrc.model.typed): `1,000` and
    `0.5` are numbers, `1e3`, `1_000`, NaN and more than 15 digits are not."""
    if isinstance(value, bool):  # bool is an int subclass, but TRUE is not a day count
        return None
    if isinstance(value, str):
        return typed.read_number(value)
    if isinstance(value, int):
        number = Decimal(value)  # not via str(): huge ints exceed Python's str() digit limit
    elif isinstance(value, float | Decimal):
        number = to_decimal(value)
    else:
        return None
    return number if number.is_finite() else None


def text(value: object) -> str | None:
    """A text cell, stripped; a number or date typed where text belongs is shown as typed."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # the reader gives 1.0 for a cell showing 1
    return fmt.found(value)


def typed_from_text(raw: RawRow) -> RawRow:
    """A row read from text (a CSV file) as the cells it stands for: a date typed as text
    becomes a date, a number typed as text a number, text is trimmed. What cannot be read
    stays as typed, for the rules to report."""
    values = dict(raw.values)
    for column, value in raw.values.items():
        if not isinstance(value, str):
            continue
        typed: object = value.strip() or None
        if column == "Date" and typed is not None:
            day, _ = read_date(typed)
            typed = day if day is not None else typed
        elif column == "Days" and typed is not None:
            number = read_number(typed)
            if number is not None:
                typed = int(number) if number == number.to_integral_value() else float(number)
        values[column] = typed
    return RawRow(raw.sheet, raw.row, values)
