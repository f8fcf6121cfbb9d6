"""The seal of an issued return: one digest over everything the return states.

It covers the month and version, the fingerprint of the month's tracker rows and their
count, the day rate and VAT rate used, the figures (days, net, VAT, gross) and every number
printed on the Return sheet. The Audit row carries the record and its seal (Details), the
Return sheet carries the seal (its last line), so each checks the other: deleting or editing
either one is found by `calloff validate` (xlsrc/edges/fileio/period_lock.py).

What it proves, honestly: that the Audit row, the Return sheet and the tracker rows are as
calloff wrote them, against slips and casual edits. It is a plain SHA-256, not a keyed
digest: someone who reads this code can recompute a matching seal after editing all three
consistently. A keyed digest (HMAC) would need a secret kept away from the workbook's
editors; calloff has no such place (the workbook travels, anyone who runs calloff could
read a key kept beside it), so it would promise more than it could keep.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from xlsrc.core.returns.model import MonthlyReturn

SEAL_LABEL = "Period lock seal: "
SHORT_SEAL = 16  # hex digits of the seal printed in every page's footer
_FOOTER = re.compile(
    r"Seal\s+(\d{4}-\d{2}(?:-\d{2})?)\s+v(\d+)\s+issued\s+(\d{4}-\d{2}-\d{2})\s+([0-9a-f]{16})"
)
_HEX = re.compile(r"\b([0-9a-f]{16})\b")


def sheet_numbers(rows: Iterable[Iterable[object]]) -> str:
    """A digest of every number on a sheet with its place (dates and text left out): the
    same from openpyxl's values when writing and calamine's when reading."""
    parts = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
                continue
            parts.append(f"{r},{c}={float(value):.10g}")
    return "sha256:" + hashlib.sha256(";".join(parts).encode()).hexdigest()


def return_record(ret: MonthlyReturn, numbers: str) -> dict[str, object]:
    d = ret.delivery
    return {
        "month": ret.key,  # "2024-03", or "2024-03-15" for an interim return
        "version": ret.version,
        "rows": ret.entry_count,
        "entries": ret.entries_fingerprint,
        "day_rate": str(ret.day_rate),
        "vat_rate": str(ret.vat_rate),
        "days": str(d.days),
        "net": str(d.net),
        "vat": str(d.vat),
        "gross": str(d.gross),
        "sheet": numbers,
        **_issue(ret),
    }


def _issue(ret: MonthlyReturn) -> dict[str, object]:
    """When it was issued, the returns issued before it and the Audit record's head: under
    the seal, so a later return vouches for the earlier ones (a deleted one is named)."""
    if ret.issued_on is None:
        return {}
    return {
        "issued_on": ret.issued_on.isoformat(),
        "earlier": [
            {"key": e.key, "version": e.version, "seal": e.seal, "on": e.issued_on}
            for e in ret.earlier
        ],
        "chain": ret.chain,
    }


def short_seal(seal: object) -> str:
    """The seal as every printed page shows it: its first hex digits."""
    return str(seal or "").removeprefix("sha256:")[:SHORT_SEAL]


def footer_seal(record: dict[str, object]) -> str:
    """The line in every printed page's footer of an issued return: what, when, which seal."""
    return (
        f"Seal {record.get('month')} v{record.get('version')}"
        f" issued {record.get('issued_on')} {short_seal(seal_of(record))}"
    )


@dataclass(frozen=True)
class PrintedSeal:
    """A seal as read off a printed page (the return and day only when the whole line is)."""

    short: str
    key: str | None = None
    version: int | None = None
    issued_on: str | None = None


def read_printed_seal(text: str) -> PrintedSeal | None:
    """The seal in `text` (a footer's line, a PDF's text, or just its 16 hex digits)."""
    found = _FOOTER.search(text)
    if found:
        return PrintedSeal(found[4], found[1], int(found[2]), found[3])
    bare = _HEX.search(text.strip().lower())
    return PrintedSeal(bare[1]) if bare else None


def seal_of(record: dict[str, object]) -> str:
    body = {k: v for k, v in record.items() if k != "seal"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=True)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _is_seal_row(row: tuple[object, ...]) -> bool:
    return bool(row) and isinstance(row[0], str) and row[0].startswith(SEAL_LABEL)


def sheet_seal(grid: list[list[object]]) -> tuple[str | None, str]:
    """(the seal written on a Return sheet's grid or None, the digest of its numbers)."""
    seal = None
    for row in grid:
        if _is_seal_row(tuple(row)):
            seal = str(row[0])[len(SEAL_LABEL) :].strip()
    return seal, sheet_numbers(grid)
