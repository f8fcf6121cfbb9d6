"""calloff validate: check every Tracker entry, list the problems in the Issues sheet and
highlight their cells. What people typed is never changed; only the Issues sheet and the
Tracker input cells' fills are rewritten.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from xlsrc.actions.workbook_data import WorkbookData, load_workbook_data
from xlsrc.errors import WorkbookFileError
from xlsrc.fileio.atomic import save_workbook
from xlsrc.fileio.issues_writer import highlight_tracker, write_issues
from xlsrc.fileio.locked_months_reader import issued_returns
from xlsrc.fileio.tamper import changed_terms
from xlsrc.fileio.tracker_writer import load_for_edit
from xlsrc.fileio.writer_lock import workbook_lock
from xlsrc.issues import Issue
from xlsrc.returns.month_fingerprint import changed_locked_months, repriced_locked_months
from xlsrc.totals import compute_totals
from xlsrc.validate import validate_rows
from xlsrc.validate.parse import is_blank_row


@dataclass(frozen=True)
class ValidateReport:
    workbook: Path
    rows_checked: int
    issues: list[Issue]  # errors first, each severity in sheet order
    written: bool

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def has_problems(self) -> bool:
        return bool(self.errors)

    def counts(self) -> str:
        return f"{self.rows_checked} rows, {len(self.errors)} errors, {len(self.warnings)} warnings"

    def summary(self, today: dt.date) -> str:
        """The line at the top of the Issues sheet."""
        return f"Validated {today:%d/%m/%Y}: {self.counts()}"

    def to_text(self) -> str:
        where = "Issues sheet and highlights updated" if self.written else "workbook not changed"
        lines = [f"{self.workbook}: {self.counts()} ({where})"]
        lines += [f"  {issue}" for issue in self.issues]
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return {
            "workbook": str(self.workbook),
            "rows_checked": self.rows_checked,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "issues": [issue.to_json() for issue in self.issues],
        }


def validate_workbook(
    path: Path, *, today: dt.date | None = None, write: bool = True
) -> ValidateReport:
    today = today or dt.date.today()
    with workbook_lock(path) if write else nullcontext():
        return _validate(path, today, write)


def _validate(path: Path, today: dt.date, write: bool) -> ValidateReport:
    data = load_workbook_data(path)
    report = check_workbook(data, today, write=write)
    if write:
        wb = load_for_edit(path)
        write_issues(wb, data.terms, report.issues, report.summary(today))
        highlight_tracker(wb, report.issues)
        try:
            save_workbook(wb, path)
        except OSError as exc:  # e.g. the file is open in Excel on Windows, or read-only
            raise WorkbookFileError(
                f"{path}: cannot save the results ({exc.strerror or exc});"
                " close the workbook elsewhere and run validate again"
            ) from None
    return report


def check_workbook(data: WorkbookData, today: dt.date, *, write: bool) -> ValidateReport:
    """Every issue in the workbook's Tracker; `write` only says what the caller will do."""
    # Existing rows of a locked month are fine as long as they are what was returned: the
    # period lock compares fingerprints (below) instead of flagging every row MONTH-LOCKED.
    # New rows into locked months are refused when they are imported.
    result = validate_rows(data.terms, data.rows, today=today, locked_months=frozenset())
    returns = issued_returns(data.book)
    issued = {m: (r.version, r.fingerprint) for m, r in returns.items()}
    tampered = changed_locked_months(result.entries, issued)
    # Rows unchanged, price changed: a day rate reaching back into an issued month.
    unchanged = {m for m in returns if not any(i.value == f"{m:%Y-%m}" for i in tampered)}
    if unchanged:
        nets = {m.month: m.net for m in compute_totals(data.terms, result.entries).months}
        tampered += repriced_locked_months(
            nets, {m: (returns[m].version, returns[m].net) for m in unchanged}
        )
    term_changes = changed_terms(data.book, data.terms)
    return ValidateReport(
        workbook=data.path,
        rows_checked=sum(not is_blank_row(r) for r in data.rows),
        issues=tampered + result.errors + result.warnings + term_changes,
        written=write,
    )
