"""The issued returns as the Audit record holds them, and those it no longer holds.

Each issued return's sealed record names the returns issued before it (month, version, short
seal, day issued). So deleting an earlier return's sheet with its Audit row still leaves a
later return naming it, and replacing it (deleted, then issued again with other rows) leaves a
later return naming another seal. Only the last return issued is named by none: its seal on
the printed pages, kept by the Department, is what shows it gone (`calloff verify`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from xlsrc.core.returns.model import Earlier
from xlsrc.core.returns.seal import seal_of, short_seal
from xlsrc.model import fmt, layout
from xlsrc.model.records import AuditRow

ISSUED_ACTIONS = (layout.RETURN_ISSUED, layout.INTERIM_ISSUED)


def sealed(row: AuditRow) -> dict[str, object] | None:
    """The record on an issued return's Audit row, when it still matches its seal."""
    if row.action not in ISSUED_ACTIONS or not row.details:
        return None
    try:
        record = json.loads(row.details)
    except json.JSONDecodeError:
        return None
    if not isinstance(record, dict) or seal_of(record) != record.get("seal"):
        return None
    return record


def label(key: str) -> str:
    """A return as a sentence names it: "October 2023", or "the interim as at 15/03/2024"."""
    try:
        if len(key) == 7:
            return f"{dt.datetime.strptime(key, '%Y-%m'):%B %Y}"
        return f"the interim as at {fmt.day(dt.date.fromisoformat(key))}"
    except ValueError:
        return key


def day(text: str) -> str:
    try:
        return fmt.day(dt.date.fromisoformat(text[:10]))
    except ValueError:
        return text or "a day not recorded"


def issued(audit: list[AuditRow]) -> list[Earlier]:
    """The latest version of each return issued and sealed, in the order issued."""
    latest: dict[str, Earlier] = {}
    for row in audit:
        record = sealed(row)
        if record is None:
            continue
        version = int(str(record.get("version") or row.version or 1))
        key = str(record.get("month") or row.month)
        if key in latest and latest[key].version > version:
            continue
        on = str(record.get("issued_on") or row.when[:10])
        latest.pop(key, None)
        latest[key] = Earlier(key, version, short_seal(record.get("seal")), on)
    return list(latest.values())


@dataclass(frozen=True)
class Gone:
    """An issued return a later one names, which the workbook no longer holds as issued."""

    earlier: Earlier
    named_by: AuditRow  # the Audit row of the latest return naming it
    replaced_by: AuditRow | None  # an Audit row for the same return under another seal

    def sentence(self) -> str:
        e, by = self.earlier, self.named_by
        what = (
            f"The return for {label(e.key)} (version {e.version}) was issued on {day(e.issued_on)}"
        )
        witness = f"the return for {label(by.month)} (Audit row {by.row}) records it, seal {e.seal}"
        if self.replaced_by is not None:
            return (
                f"{what} and is no longer in this workbook: its sheet and Audit row were"
                f" replaced by another return issued on {day(self.replaced_by.when)} (Audit row"
                f" {self.replaced_by.row}); {witness}. The month stays locked; restore the"
                " workbook from a backup in calloff-backups/, or ask the contract manager"
            )
        return (
            f"{what} and is no longer in this workbook: its sheet and its Audit row have been"
            f" deleted; {witness}. The month stays locked; restore the workbook from a backup"
            " in calloff-backups/, or ask the contract manager"
        )


def gone(audit: list[AuditRow], kept: set[tuple[str, int]] | None = None) -> list[Gone]:
    """The returns named as issued before a later one and no longer in the Audit record as
    named (none, or another seal). `kept`: the returns (key, version) whose sheets are still
    there (an Audit row deleted with its sheet kept is RETURN-AUDIT-MISSING's to report)."""
    held: dict[tuple[str, int], tuple[AuditRow, str]] = {}
    naming: dict[tuple[str, int], tuple[Earlier, AuditRow]] = {}
    for row in audit:
        record = sealed(row)
        if record is None:
            continue
        key, version = str(record.get("month")), int(str(record.get("version") or 1))
        held[(key, version)] = (row, short_seal(record.get("seal")))
        listed = record.get("earlier")
        for item in listed if isinstance(listed, list) else []:
            if not isinstance(item, dict):
                continue
            e = Earlier(
                str(item.get("key")),
                int(str(item.get("version") or 1)),
                str(item.get("seal")),
                str(item.get("on") or ""),
            )
            naming[(e.key, e.version)] = (e, row)
    out = []
    for (key, version), (e, by) in naming.items():
        there = held.get((key, version))
        if there is None:
            if kept is not None and (key, version) in kept:
                continue
            out.append(Gone(e, by, None))
        elif there[1] != e.seal:
            out.append(Gone(e, by, there[0]))
    return out
