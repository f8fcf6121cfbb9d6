"""The Audit table as a history: its digest chain checked (validate), its rows listed
(`calloff log`), and the row an `unlock --force` leaves.

The digest (xlsrc.model.audit) has no key: it shows a row edited, moved or deleted (all but
the last), not a forgery by someone who recomputes every digest after it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.model import audit, layout
from xlsrc.model.errors import WorkbookFileError
from xlsrc.model.issues import Issue
from xlsrc.model.rules import AUDIT_CHAIN_BROKEN, issue


def chain_issues(book: WorkbookSource) -> list[Issue]:
    """An error at each Audit row that no longer matches the chain."""
    if layout.AUDIT_TABLE not in book.table_names:
        return []
    headers, data, first = book.table(layout.AUDIT_TABLE)
    return [
        issue(
            AUDIT_CHAIN_BROKEN,
            layout.AUDIT,
            first + b.index,
            audit.DIGEST_HEADER,
            _value(headers, data[b.index], audit.DIGEST_HEADER),
            f"this Audit row no longer matches the record: {b.reason}. The record cannot be"
            " re-made: restore the workbook (or its Audit sheet) from a backup in"
            " calloff-backups/, or ask the contract manager",
        )
        for b in audit.chain_breaks(headers, data)
    ]


def _value(headers: list[str], values: list[object], header: str) -> object:
    at = headers.index(header) if header in headers else -1
    return values[at] if 0 <= at < len(values) else None


@dataclass(frozen=True)
class LogLine:
    row: int
    when: str
    who: str
    action: str
    month: str
    details: str
    broken: bool

    def to_json(self) -> dict[str, object]:
        return {
            "row": self.row,
            "when": self.when,
            "who": self.who,
            "action": self.action,
            "month": self.month,
            "details": self.details,
            "chain_broken": self.broken,
        }

    def to_text(self) -> str:
        mark = "!" if self.broken else " "
        parts = [self.when or "-", self.who or "-", self.action or "-", self.month or "-"]
        return (
            f"{mark} {self.row:>4}  "
            + "  ".join(parts)
            + (f"  {self.details}" if self.details else "")
        )


@dataclass(frozen=True)
class AuditLog:
    workbook: Path
    lines: list[LogLine]

    @property
    def has_problems(self) -> bool:
        return any(line.broken for line in self.lines)

    def to_json(self) -> dict[str, object]:
        return {"workbook": str(self.workbook), "rows": [x.to_json() for x in self.lines]}

    def to_text(self) -> str:
        out = [f"{self.workbook}: {len(self.lines)} Audit row(s)"]
        out += [line.to_text() for line in self.lines]
        broken = [line.row for line in self.lines if line.broken]
        if broken:
            out.append(
                f"! The record no longer matches at Audit row(s) {', '.join(map(str, broken))}:"
                " a row was edited, moved or deleted. Restore it from a backup in"
                " calloff-backups/, or ask the contract manager"
            )
        return "\n".join(out)


def _short(details: str) -> str:
    """Details as a line shows it: a return's seal record (JSON) is not for reading."""
    text = " ".join(details.split())
    if text.startswith("{"):
        return ""
    return text if len(text) <= 90 else text[:87] + "..."


def read_log(path: Path) -> AuditLog:
    """Every Audit row, oldest first, each marked when it breaks the chain."""
    from xlsrc.edges.fileio.reader import open_book

    book = open_book(path)
    if layout.AUDIT_TABLE not in book.table_names:
        raise WorkbookFileError(f"{path}: has no Audit table; rebuild it with calloff build")
    headers, data, first = book.table(layout.AUDIT_TABLE)
    broken = {b.index for b in audit.chain_breaks(headers, data)}
    lines = []
    for i, values in enumerate(data):
        cell = {
            h: ("" if v is None else str(v).strip()) for h, v in zip(headers, values, strict=False)
        }
        if not any(cell.values()) and i not in broken:
            continue
        lines.append(
            LogLine(
                row=first + i,
                when=cell.get("When", ""),
                who=cell.get("Who", ""),
                action=cell.get("Action", ""),
                month=cell.get("Month", ""),
                details=_short(cell.get("Details", "")),
                broken=i in broken,
            )
        )
    return AuditLog(Path(path), lines)


def record_unlock(path: Path, whose: str) -> bool:
    """An Audit row for a lock removed by force (when the workbook is there to hold it)."""
    from xlsrc.edges.fileio.atomic import save_workbook
    from xlsrc.edges.fileio.audit_rows import simple_audit
    from xlsrc.edges.fileio.audit_writer import append_audit
    from xlsrc.edges.fileio.tracker_writer import load_for_edit
    from xlsrc.edges.fileio.writer_lock import workbook_lock
    from xlsrc.edges.formulas.cache import kept_from

    if not Path(path).is_file():
        return False
    with workbook_lock(path):
        wb = load_for_edit(path)
        append_audit(wb, simple_audit(layout.LOCK_REMOVED, f"the lock of {whose}"))
        save_workbook(wb, path, kept=kept_from(path))
    return True
