"""What text cells say: no contact details in Notes, and formula-like text kept as text."""

from __future__ import annotations

import re

from xlsrc import fmt
from xlsrc.issues import Issue
from xlsrc.rules import FORMULA_LIKE_TEXT, NOTES_PERSONAL_DATA, issue
from xlsrc.tracker.model import INPUT_COLUMNS
from xlsrc.validate.parse import ParsedRow

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A UK number as people write it: 0 or +44 (optionally "+44 (0)"), then 9 or 10 more digits,
# spaced, hyphenated or with the area code in brackets: 07700 900123, +44 20 7946 0000,
# (020) 7946 0000. Not inside a longer number, so dates, sums and references pass.
UK_PHONE = re.compile(
    r"(?<![\w+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)[1-9](?:\)?[\s-]?[0-9]){8,9}(?![0-9])"
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


def check_privacy(row: ParsedRow) -> list[Issue]:
    found: list[Issue] = []
    notes = row.raw["Notes"]
    if isinstance(notes, str):
        what: list[str] = []
        if email := EMAIL.search(notes):
            what.append(f"an e-mail address ({email.group()})")
        if phone := UK_PHONE.search(notes):
            what.append(f"a phone number ({phone.group()})")
        if what:
            message = (
                f"Notes must not contain contact details (order form section 4: names and"
                f" contact details are confidential); found {' and '.join(what)}."
                " Refer to people by role or advisor ID"
            )
            found.append(issue(NOTES_PERSONAL_DATA, row.sheet, row.row, "Notes", notes, message))

    for column in INPUT_COLUMNS:
        value = row.raw[column]
        if isinstance(value, str) and value.startswith(FORMULA_START):
            message = (
                f"{column} starts with {value[0]!r}, which a spreadsheet would read as a"
                f" formula; found {fmt.found(value)}. It is kept as plain text, never"
                " calculated"
            )
            found.append(issue(FORMULA_LIKE_TEXT, row.sheet, row.row, column, value, message))
    return found
