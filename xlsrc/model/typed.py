"""What a person types: one reader for numbers and text, one set of limits, for every way in.

The command line, a CSV file, a terms file and the workbook's cells all read a number or a
piece of text through here, so `1,000.00` means the same everywhere and `1e3` is refused
everywhere. The forms a person types are read: `1000`, `1000.5`, `1,000.00`, `£1,000`. Exotic
forms are refused in one line that names the value: an exponent (`1e3`), an underscore
(`1_000`), NaN, infinity, and anything beyond the limit that applies.

The limits, stated once:
- text: at most 32,767 characters (an Excel cell's limit), no control characters;
- money: below £1,000,000,000,000 (far beyond any contract; sums stay exact), whole pence;
- a day rate: above nothing and below the contract's cap (checked where the cap is known);
- call-off days per month: at most 23, the working days a month can have;
- any other count of days: below 1,000,000.

`NumberError` and `TextError` are ValueErrors, so a pydantic validator can raise them and the
field is named in the message; elsewhere callers turn them into a UserDataError.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

EXCEL_CELL_CHARS = 32_767  # Excel's limit for the text in one cell
MAX_MONEY = Decimal(10**12)  # pounds; every sum of such amounts is exact in 28 digits
MAX_DAYS = Decimal(10**6)  # a count of days (an allocation, a total)
MAX_DAYS_PER_MONTH = Decimal(23)  # the most working days (Mon-Fri) a calendar month has
MAX_DIGITS = 15  # digits a person may type before the point (Excel keeps 15 significant)

# Characters an Excel cell cannot hold (XML 1.0 forbids them); tab and line breaks are fine.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# ASCII digits only (\d accepts other scripts' digits); thousands separators every 3 digits.
_TYPED = re.compile(r"([+-]?)(£?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.([0-9]*))?")
_EXAMPLES = {
    "money": "such as 1000, 1,000.00 or £1,000",
    "days": "such as 0.5, 1 or 12",
}


class NumberError(ValueError):
    """A typed value is not a number in a form calloff reads, or is beyond its limit."""


class TextError(ValueError):
    """A typed text is longer than a cell holds, or has a character a cell cannot hold."""


def parse_number(
    value: object,
    what: str,
    *,
    kind: str = "days",
    places: int | None = None,
    minimum: Decimal | None = Decimal(0),
    positive: bool = False,
    maximum: Decimal | None = None,
) -> Decimal:
    """An exact Decimal from what was typed (text, int, float or Decimal), or NumberError.

    `kind` is "money" (a £ sign is allowed; limit MAX_MONEY) or "days" (limit MAX_DAYS);
    `places` caps the decimal places (2: whole pence); `maximum` is exclusive for money and
    inclusive for days (a month may have exactly 23 days; a cap is not a price)."""
    limit = maximum if maximum is not None else (MAX_MONEY if kind == "money" else MAX_DAYS)
    number = _read(value, what, kind)
    shown = shown_value(value)
    if positive and number <= 0:
        raise _error(what, f"must be more than 0; found {shown}")
    if minimum is not None and number < minimum:
        raise _error(what, f"must be {minimum} or more; found {shown}")
    over = number >= limit if kind == "money" else number > limit
    if over:
        bound = f"below {limit:,}" if kind == "money" else f"at most {limit:,}"
        raise _error(what, f"must be {bound}; found {shown}")
    if places is not None and number != number.quantize(Decimal(1).scaleb(-places)):
        unit = "whole pence" if kind == "money" and places == 2 else f"{places} decimal places"
        raise _error(what, f"must be in {unit}; found {shown}")
    return number


def read_number(value: object) -> Decimal | None:
    """A finite Decimal from a number or numeric text a person typed; None for anything else
    (for rules that report the value themselves)."""
    try:
        return _read(value, "", "days")
    except NumberError:
        return None


def _read(value: object, what: str, kind: str) -> Decimal:
    shown = shown_value(value)
    if isinstance(value, bool):  # an int subclass, but TRUE is not a number anyone typed
        raise _error(what, f"must be a number; found {shown}")
    if isinstance(value, int):
        if abs(value) >= 10 ** (MAX_DIGITS + 3):
            raise _error(what, f"is too large: at most {MAX_DIGITS} digits; found {shown}")
        number = Decimal(value)  # not via str(): huge ints exceed Python's str() digit limit
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        number = _from_text(value, what, kind)
    else:
        raise _error(what, f"must be a number; found {shown}")
    if not number.is_finite():
        raise _error(what, f"must be a number; found {shown}")
    if number.adjusted() >= MAX_DIGITS + 3:
        raise _error(what, f"is too large: at most {MAX_DIGITS} digits; found {shown}")
    return number


def _from_text(text: str, what: str, kind: str) -> Decimal:
    example = _EXAMPLES.get(kind, _EXAMPLES["days"])
    typed = text.strip()
    match = _TYPED.fullmatch(typed)
    if match is None or not (match[3] or match[4]) or (match[2] and kind != "money"):
        raise _error(what, f"must be a number {example}; found {shown_value(text)}")
    sign, _, whole, fraction = match[1], match[2], match[3], match[4] or ""
    if len(whole.replace(",", "")) > MAX_DIGITS or len(fraction) > MAX_DIGITS:
        raise _error(what, f"is too large: at most {MAX_DIGITS} digits; found {shown_value(text)}")
    digits = whole.replace(",", "") or "0"
    try:
        return Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise _error(what, f"must be a number {example}; found {shown_value(text)}") from None


_DIGITS = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?")


def date_not_number(value: object) -> object:
    """A date field's value before pydantic reads it: a number, or digits typed as text, is
    refused (pydantic would read 86400 as a second count from 1970: 02/01/1970)."""
    numeric = isinstance(value, bool | int | float | Decimal)
    if numeric or (isinstance(value, str) and _DIGITS.fullmatch(value.strip())):
        raise ValueError(
            "must be a date, such as 01/04/2024 in a cell or 2024-04-01 in a terms file;"
            f" found {shown_value(value)}"
        )
    return value


def check_text(value: str, what: str) -> str:
    """The text itself, or TextError when a cell could not hold it as typed."""
    if len(value) > EXCEL_CELL_CHARS:
        raise _error(
            what,
            f"is {len(value):,} characters, more than Excel's {EXCEL_CELL_CHARS:,}"
            " for one cell; shorten it",
            TextError,
        )
    bad = CONTROL.search(value)
    if bad:
        raise _error(
            what,
            f"contains the control character U+{ord(bad.group()):04X}, which an"
            " Excel cell cannot hold; remove it",
            TextError,
        )
    return value


def _error(what: str, rest: str, kind: type[ValueError] = NumberError) -> ValueError:
    return kind(f"{what} {rest}".strip())


def shown_value(value: object) -> str:
    """The value as typed, cut short when long (a message is one readable line)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return f"a number of about {int(abs(value).bit_length() * 0.30103) + 1:,} digits"
    text = value if isinstance(value, str) else str(value)
    if len(text) > 40:
        return f"{text[:20]!r}... ({len(text):,} characters)"
    return repr(text) if isinstance(value, str) else text
