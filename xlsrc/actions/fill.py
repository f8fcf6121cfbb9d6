"""calloff fill: add validated tracker rows (e.g. from a CSV) to a workbook's Tracker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.core.validate import validate_rows
from xlsrc.core.validate.cap import refuse_over_cap
from xlsrc.core.validate.parse import typed_from_text
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.audit_rows import entries_audit
from xlsrc.edges.fileio.audit_writer import append_audit
from xlsrc.edges.fileio.locked_months_reader import locked_months
from xlsrc.edges.fileio.tracker_writer import append_entries, load_for_edit
from xlsrc.edges.fileio.writer_lock import workbook_lock
from xlsrc.model import layout
from xlsrc.model.entry import RawRow
from xlsrc.model.errors import UserDataError
from xlsrc.model.issues import Issue


@dataclass(frozen=True)
class FillResult:
    rows_written: list[int]
    warnings: list[Issue]


class RowsRejected(UserDataError):
    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        lines = [f"{len(issues)} error(s); nothing was written:"]
        lines += [f"  - {i}" for i in issues[:50]]
        if len(issues) > 50:
            lines.append(f"  ... and {len(issues) - 50} more")
        super().__init__("\n".join(lines))


def fill(
    workbook: Path,
    rows: list[RawRow],
    *,
    out: Path | None = None,
    today: dt.date | None = None,
) -> FillResult:
    """Validate `rows` against the workbook's own terms, then append them. All or nothing:
    nothing is written when a row has an error or the merged Tracker would go over the cap.
    Rows read from text (a CSV) are taken as the cells they stand for (dates, numbers)."""
    with workbook_lock(out or workbook):
        return _fill(workbook, rows, out, today)


def _fill(
    workbook: Path,
    rows: list[RawRow],
    out: Path | None,
    today: dt.date | None,
) -> FillResult:
    data = load_workbook_data(workbook)
    terms = data.terms
    # Check the new rows together with what the tracker already holds (cap, duplicates).
    existing = [r for r in data.rows if any(v is not None for v in r.values.values())]
    rows = [typed_from_text(r) for r in rows]
    # Locked months flag the existing rows too; only the new rows' issues count below.
    locked = locked_months(data.book)
    result = validate_rows(
        terms, existing + rows, today=today or dt.date.today(), locked_months=locked
    )
    mine = {(r.sheet, r.row) for r in rows}
    errors = [i for i in result.errors if (i.sheet, i.row) in mine]
    if errors:
        raise RowsRejected(errors)
    refuse_over_cap(result.issues)
    new_entries = [e for e, p in zip(result.entries, result.placed(), strict=True) if p in mine]
    wb = load_for_edit(workbook)
    written = append_entries(wb, new_entries)
    append_audit(wb, entries_audit(layout.ROWS_FILLED, new_entries, written))
    from xlsrc.edges.formulas.cache import kept_from  # with openpyxl, to write

    save_workbook(wb, out or workbook, kept=kept_from(workbook))
    warnings = [i for i in result.warnings if (i.sheet, i.row) in mine]
    return FillResult(rows_written=written, warnings=warnings)
