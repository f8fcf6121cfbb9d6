"""What text cells say: no contact details in Notes, and formula-like text kept as text."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A UK number as people write it: 0 or +44 (optionally "+44 (0)"), then 9 or 10 more digits,
# spaced, hyphenated or with the area code in brackets: 07700 900123, +44 20 7946 0000,
# (020) 7946 0000. Not inside a longer number, so dates, sums and references pass.
UK_PHONE = re.compile(
    r"(?<![\w+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)[1-9](?:\)?[\s-]?[0-9]){8,9}(?![0-9])"
)
# A person's name by its form: a title, then a capitalised word. The check cannot know every
# name, so people are asked to use roles and advisor IDs.
TITLED_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Cllr|Sir|Dame)\.?\s+[A-Z][a-z'-]+")
# A Dedicated Schools Grant figure (money near "DSG"), which may be unpublished.
DSG_FIGURE = re.compile(
    r"\bDSG\b.{0,80}?(?:£\s?\d|\d[\d,.]*\s?(?:m|bn|k|million|billion)\b)|"
    r"(?:£\s?\d[\d,.]*\s?(?:m|bn|k|million|billion)?)[^.]{0,80}?\bDSG\b",
    re.IGNORECASE,
)
# A leading =, +, - or @ makes spreadsheet programs read typed text as a formula.
FORMULA_START = ("=", "+", "-", "@")
# UK_PHONE needs at least 10 ASCII digits (0 or 44, a first digit, 8 more); EMAIL needs an @.
_PHONE_MIN_DIGITS = 10


def may_hold_contact_details(text: str) -> bool:
    """False when EMAIL and UK_PHONE cannot match, found without running them (much quicker)."""
    if "@" in text:
        return True
    # UTF-8 bytes: only ASCII digits encode to b"0".."9"; bytes.translate is the fast count.
    data = text.encode("utf-8", "surrogatepass")
    return len(data) - len(data.translate(None, b"0123456789")) >= _PHONE_MIN_DIGITS
