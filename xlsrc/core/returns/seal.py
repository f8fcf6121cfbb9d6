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
from collections.abc import Iterable
from decimal import Decimal

from xlsrc.core.returns.model import MonthlyReturn

SEAL_LABEL = "Period lock seal: "


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
    }


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
