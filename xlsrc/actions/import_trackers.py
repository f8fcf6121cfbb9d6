"""calloff import: validate advisors' tracker files and merge them into the master Tracker.

Each file is checked with the master's terms, as if its rows followed the master's (and the
rows already taken from earlier files): the cap, one day per advisor and date, duplicates and
invoiced (locked) months all count what the master already holds. Issues count against the
file whose rows they are on. Then `xlsrc.core.tracker.merge` sorts its entries into already
present / conflict / new; only new entries from a file without errors (or, with take_valid,
its rows without errors) are appended. The master is saved once, atomically, and only when
something was added, so importing the same files again changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from xlsrc.actions.advisor_tracker import ADVISOR_NAME
from xlsrc.actions.workbook_data import read_workbook_data
from xlsrc.core.tracker.merge import Conflict, merge
from xlsrc.core.validate import validate_rows
from xlsrc.core.validate.cap import refuse_over_cap
from xlsrc.core.validate.parse import text
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.audit_rows import entries_audit
from xlsrc.edges.fileio.audit_writer import append_audit
from xlsrc.edges.fileio.locked_months_reader import locked_months
from xlsrc.edges.fileio.reader import open_book, read_tracker, read_tracker_shape
from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.edges.fileio.tracker_writer import append_entries, entry_values, load_for_edit
from xlsrc.edges.fileio.writer_lock import workbook_lock
from xlsrc.model import fmt, layout
from xlsrc.model.entry import INPUT_COLUMNS, Entry, RawRow
from xlsrc.model.issues import Issue
from xlsrc.model.rules import (
    ADVISOR_NOT_OWNER,
    CAP_EXCEEDED,
    CONTRACT_MISMATCH,
    CONTRACT_UNKNOWN,
    DAYS_OVER_ONE_PER_DATE,
    DUPLICATE,
    DUPLICATE_IN_FILE,
    OWNER_UNKNOWN,
    issue,
)
from xlsrc.model.terms.models import Terms

# A file's rows are validated as rows SHIFT + r, so every rule that orders rows by number
# sees them after the master's; the numbers in their messages are mapped back afterwards.
SHIFT = 1_000_000
_ROW_REF = re.compile(r"\brow (\d+)\b")
_MENTIONS_ROWS = frozenset(r.code for r in (DUPLICATE, DAYS_OVER_ONE_PER_DATE, CAP_EXCEEDED))


@dataclass(frozen=True)
class FileResult:
    path: Path
    owner: str | None  # the advisor the file was written for (TrackerAdvisor), if recorded
    added: list[Entry]  # rows are the file's rows
    present: list[Entry]
    conflicts: list[Conflict]
    issues: list[Issue]  # on the file's rows, in the master's context
    withheld: int  # new rows without errors not taken because the file has errors
    master_rows: list[int] = field(default_factory=list)  # where `added` went in the master

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def summary(self) -> str:
        owner = f" ({self.owner})" if self.owner else ""
        line = (
            f"{self.path}{owner}: {len(self.added)} added, {len(self.present)} already present,"
            f" {len(self.conflicts)} conflict(s), {len(self.errors)} error(s),"
            f" {len(self.warnings)} warning(s)"
        )
        if self.errors and not self.added:
            line += "; nothing imported from it: correct the errors"
            if self.withheld:
                line += f" or use --take-valid to import its {self.withheld} valid new row(s)"
        return line

    def to_json(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "advisor": self.owner,
            "added": [
                {**_entry_json(e), "master_row": r}
                for e, r in zip(self.added, self.master_rows, strict=True)
            ],
            "already_present": [_entry_json(e) for e in self.present],
            "conflicts": [
                {"file": _entry_json(c.incoming), "master": _entry_json(c.existing)}
                for c in self.conflicts
            ],
            "errors": [i.to_json() for i in self.errors],
            "warnings": [i.to_json() for i in self.warnings],
            "withheld": self.withheld,
        }


@dataclass(frozen=True)
class ImportReport:
    master: Path
    files: list[FileResult]
    rows_written: list[int]

    @property
    def has_problems(self) -> bool:
        return any(f.errors or f.conflicts for f in self.files)

    def to_text(self) -> str:
        lines: list[str] = []
        for f in self.files:
            lines.append(f.summary())
            lines += [f"  {_conflict_text(c)}" for c in f.conflicts]
            lines += [f"  {i}" for i in f.issues]
        if self.rows_written:
            first, last = self.rows_written[0], self.rows_written[-1]
            lines.append(
                f"{self.master}: {len(self.rows_written)} row(s) added (Tracker rows"
                f" {first}-{last})."
            )
        else:
            lines.append(f"{self.master}: unchanged.")
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return {
            "workbook": str(self.master),
            "rows_added": len(self.rows_written),
            "has_problems": self.has_problems,
            "files": [f.to_json() for f in self.files],
        }


def import_trackers(
    master: Path,
    files: list[Path],
    *,
    take_valid: bool = False,
    today: dt.date | None = None,
) -> ImportReport:
    with workbook_lock(master):
        results, taken = plan_import(
            open_book(master), files, take_valid=take_valid, today=today or dt.date.today()
        )
        written: list[int] = []
        if taken:
            wb = load_for_edit(master)
            written = append_entries(wb, taken)
            append_audit(wb, entries_audit(layout.ROWS_IMPORTED, taken, written))
            from xlsrc.edges.formulas.cache import kept_from  # with openpyxl, to write

            save_workbook(wb, master, kept=kept_from(master))
    return ImportReport(Path(master), with_master_rows(results, written), written)


def plan_import(
    book: WorkbookSource, files: list[Path], *, take_valid: bool, today: dt.date
) -> tuple[list[FileResult], list[Entry]]:
    """Check each file against the master `book`: (one result per file, entries to append).

    Nothing is written; the entries go after the master's last used Tracker row, in order.
    """
    master = read_workbook_data(book)
    # Rows typed below the master's table count too: appending takes them into the table.
    below = master.shape.below if master.shape else []
    master_rows = [r for r in master.rows + below if any(v is not None for v in r.values.values())]
    terms = master.terms
    locked = locked_months(book)  # invoiced or returned
    # What the master holds, as entries (to merge against) and as rows (to validate against).
    existing = (
        validate_rows(terms, master_rows, today=today).entries
        if below
        else (master.validate(today).entries)
    )
    context = list(master_rows)
    next_row = max((r.row for r in master_rows), default=layout.HEADER_ROW) + 1

    results: list[FileResult] = []
    taken: list[Entry] = []
    bar = tqdm(files, desc="Importing", unit="file", file=sys.stderr, disable=not _tty())
    for path in bar:
        result = _check_file(Path(path), terms, existing, context, locked, today, take_valid)
        results.append(result)
        # Later files are checked against these too, at the rows they will have in the master.
        at_master = [dataclasses.replace(e, row=next_row + n) for n, e in enumerate(result.added)]
        existing += at_master
        context += [RawRow(layout.TRACKER, e.row, entry_values(e)) for e in at_master]
        next_row += len(at_master)
        taken += result.added
    if taken:
        # At the door: the master with everything taken must stay within the cap, all or
        # nothing (the rows already there count too, wherever the new ones are dated).
        merged = validate_rows(terms, context, today=today)
        refuse_over_cap(merged.issues)
    return results, taken


def _check_file(
    path: Path,
    terms: Terms,
    existing: list[Entry],
    context: list[RawRow],
    locked: frozenset[dt.date],
    today: dt.date,
    take_valid: bool,
) -> FileResult:
    book = open_book(path)
    # Rows an advisor typed below the table are taken in, as validate takes them in: none is
    # ever dropped (the issue they would raise in the file is the table's, not the advisor's).
    rows = read_tracker(book) + read_tracker_shape(book).below
    owner = _named_text(book, ADVISOR_NAME)
    contract = _named_text(book, "ContractId")
    if contract and contract != terms.contract.id:
        message = (
            f"This file is for contract {contract}, not {terms.contract.id}; nothing from it"
            " was imported"
        )
        wrong = issue(CONTRACT_MISMATCH, layout.CONTRACT, 0, "", contract, message)
        return FileResult(path, owner, [], [], [], [wrong], 0)
    unknown = _unestablished(owner, contract)
    if unknown:  # the owner and contract checks cannot run: refuse the file
        return FileResult(path, owner, [], [], [], unknown, 0)

    plan = merge(existing, validate_rows(terms, rows, today=today).entries)
    settled = {e.row for e in plan.present} | {c.incoming.row for c in plan.conflicts}
    candidates = [r for r in rows if r.row not in settled]
    shifted = [RawRow(r.sheet, r.row + SHIFT, r.values) for r in candidates]
    checked = validate_rows(terms, context + shifted, today=today, locked_months=locked)
    issues = [_unshift(i) for i in checked.issues if i.row >= SHIFT]
    if owner:
        issues += _not_owner(candidates, owner)
    issues += _repeated_rows(validate_rows(terms, rows, today=today).entries)
    columns = {name: n for n, name in enumerate(INPUT_COLUMNS)}
    issues.sort(key=lambda i: (i.row, columns.get(i.column, len(columns))))

    # Going over the cap is the merged Tracker's problem, not a row's own: plan_import
    # refuses the whole import for it, whatever --take-valid says.
    bad = {i.row for i in issues if i.severity == "error" and i.code != CAP_EXCEEDED.code}
    valid_new = [e for e in plan.new if e.row not in bad]
    added = valid_new if take_valid or not bad else []
    return FileResult(
        path, owner, added, plan.present, plan.conflicts, issues, len(valid_new) - len(added)
    )


def _unshift(issue: Issue) -> Issue:
    """Back to the file's row numbers; rows a message names below SHIFT are the master's."""
    message = issue.message
    if issue.code in _MENTIONS_ROWS:

        def number(match: re.Match[str]) -> str:
            n = int(match[1])
            return f"row {n - SHIFT}" if n >= SHIFT else f"master row {n}"

        message = _ROW_REF.sub(number, message)
    return dataclasses.replace(issue, row=issue.row - SHIFT, message=message)


def _not_owner(rows: list[RawRow], owner: str) -> list[Issue]:
    found = []
    for r in rows:
        advisor = text(r.values.get("Advisor"))
        if advisor is not None and advisor != owner:
            message = (
                f"This file is {owner}'s tracker; found a row for {advisor}. Each advisor"
                " records only their own days, in their own file"
            )
            found.append(issue(ADVISOR_NOT_OWNER, r.sheet, r.row, "Advisor", advisor, message))
    return found


def _unestablished(owner: str | None, contract: str | None) -> list[Issue]:
    """Refusals for a file that does not say whose it is or which contract it is for (its
    TrackerAdvisor or ContractId name deleted or blanked): its rows could be anyone's."""
    found = []
    if not contract:
        message = (
            "This file does not say which contract it is for (its ContractId name is missing"
            " or blank), so it cannot be checked against this one; nothing from it was imported."
            " Ask for a fresh tracker: calloff tracker --advisor ID --from MASTER"
        )
        found.append(issue(CONTRACT_UNKNOWN, layout.CONTRACT, 0, "ContractId", None, message))
    if not owner:
        message = (
            f"This file does not say whose tracker it is (its {ADVISOR_NAME} name is missing"
            " or blank), so its rows cannot be checked against their advisor; nothing from it"
            " was imported. Ask for a fresh tracker: calloff tracker --advisor ID --from MASTER"
        )
        found.append(issue(OWNER_UNKNOWN, layout.GUIDE, 0, ADVISOR_NAME, None, message))
    return found


def _repeated_rows(entries: list[Entry]) -> list[Issue]:
    """A row identical to an earlier row of the same file: both would be imported."""
    first: dict[tuple[object, ...], int] = {}
    found = []
    for e in sorted(entries, key=lambda e: e.row):
        key = (e.date, e.advisor, e.area, e.activity, e.outcomes, e.days, e.notes)
        if key not in first:
            first[key] = e.row
            continue
        message = (
            f"Repeats row {first[key]} of this file exactly ({e.advisor}, {fmt.day(e.date)},"
            f" {e.area}, {e.activity}). Delete one; if both days happened, say in Notes what"
            " differs"
        )
        found.append(issue(DUPLICATE_IN_FILE, layout.TRACKER, e.row, "Date", e.date, message))
    return found


def _named_text(book: WorkbookSource, name: str) -> str | None:
    if name not in book.names:
        return None
    value = text(book.named_value(name))
    return value or None


def with_master_rows(results: list[FileResult], written: list[int]) -> list[FileResult]:
    out, start = [], 0
    for r in results:
        rows = written[start : start + len(r.added)]
        out.append(dataclasses.replace(r, master_rows=rows))
        start += len(r.added)
    return out


def _conflict_text(c: Conflict) -> str:
    return (
        f"CONFLICT at Tracker, row {c.incoming.row}: {_describe(c.incoming)} differs from"
        f" master row {c.existing.row}: {_describe(c.existing)}. The master's entry is kept;"
        " agree which is right, correct the master or the file, then import again"
    )


def _describe(e: Entry) -> str:
    outcomes = e.outcomes_text or "no outcomes"
    notes = f'"{e.notes}"' if e.notes else "no notes"
    return (
        f"{e.advisor} {fmt.day(e.date)} {e.area} / {e.activity}, {fmt.days(e.days)},"
        f" {outcomes}, {notes}"
    )


def _entry_json(e: Entry) -> dict[str, object]:
    return {
        "row": e.row,
        "date": e.date.isoformat(),
        "advisor": e.advisor,
        "area": e.area,
        "activity": e.activity,
        "outcomes": list(e.outcomes),
        "days": fmt.days_json(e.days),
        "notes": e.notes,
    }


def _tty() -> bool:
    return sys.stderr is not None and sys.stderr.isatty()
