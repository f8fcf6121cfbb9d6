"""Period lock: a fingerprint of one month's tracker entries.

Recorded in the Audit sheet when a return is issued; if the month's entries later change,
the fingerprint no longer matches and `calloff validate` reports it.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from xlsrc.dates import month_start
from xlsrc.tracker.model import Entry

RETURN_ISSUED = "Return issued"


def month_entries(entries: list[Entry], month: dt.date) -> list[Entry]:
    first = month_start(month)
    return [e for e in entries if month_start(e.date) == first]


def fingerprint(entries: list[Entry]) -> str:
    """sha256 over the entries' content, order-independent (sorting the table is no edit)."""
    lines = sorted(
        "\x1f".join(
            (
                e.date.isoformat(),
                e.advisor,
                e.area,
                e.activity,
                ",".join(e.outcomes),
                format(e.days.normalize(), "f"),
                e.notes,
            )
        )
        for e in entries
    )
    return "sha256:" + hashlib.sha256("\x1e".join(lines).encode("utf-8")).hexdigest()
