"""Run every tracker rule, in order, and collect all the issues (never stopping at the first).

Per-row rules run on each non-blank row; the rules that compare rows (locked months, days per
date, duplicates, cap) run on the rows that became entries. The rules themselves live one
family per module; this file only decides the order. Rows with nothing to report are
recognised in bulk first (fast.py), so only the others go through the per-row rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import attrgetter

from xlsrc.issues import Issue
from xlsrc.terms.models import Terms
from xlsrc.tracker.model import INPUT_COLUMNS, Entry, RawRow
from xlsrc.validate.cap import check_cap
from xlsrc.validate.dates import check_dates
from xlsrc.validate.days import check_days_per_date, check_days_value
from xlsrc.validate.duplicates import check_duplicates
from xlsrc.validate.entries import EntryColumns
from xlsrc.validate.fast import clean_entries, gc_paused
from xlsrc.validate.locked_months import check_locked
from xlsrc.validate.parse import is_blank_row, parse_row
from xlsrc.validate.privacy import check_privacy
from xlsrc.validate.references import check_references


@dataclass(frozen=True)
class ValidationResult:
    """`entries`: every row whose required cells read and whose Days is 0.5 or 1, in sheet
    order, even when another rule failed on it; use them only when `ok`."""

    entries: list[Entry]
    issues: list[Issue]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_rows(
    terms: Terms,
    rows: list[RawRow],
    *,
    today: dt.date,
    locked_months: frozenset[dt.date] = frozenset(),
) -> ValidationResult:
    with gc_paused():
        return _validate(terms, rows, today, locked_months)


def _validate(
    terms: Terms, rows: list[RawRow], today: dt.date, locked_months: frozenset[dt.date]
) -> ValidationResult:
    issues: list[Issue] = []
    # Rows with nothing to report are recognised in bulk (fast.py); the rest, in sheet order,
    # go through the per-row rules, which stay the reference.
    clean = clean_entries(terms, rows, today)
    entries = clean.entries
    for i in [i for i, entry in enumerate(entries) if entry is None]:
        raw = rows[i]
        if is_blank_row(raw):
            continue
        row, found = parse_row(terms, raw)
        issues += found
        issues += check_dates(terms, row, today)
        issues += check_references(terms, row)
        issues += check_days_value(row)
        issues += check_privacy(row)
        entries[i] = row.to_entry()

    if clean.columns is not None:  # every row clean: the columns are read already
        table = EntryColumns(list(map(attrgetter("sheet"), rows)), entries, clean.columns)  # type: ignore[arg-type]
    else:
        kept = [i for i, e in enumerate(entries) if e is not None]
        table = EntryColumns([rows[i].sheet for i in kept], [entries[i] for i in kept])  # type: ignore[misc]
    issues += check_locked(table, locked_months)
    issues += check_days_per_date(table)
    issues += check_duplicates(table)
    issues += check_cap(terms, table)
    return ValidationResult(table.entries, _in_sheet_order(rows, issues))


def _in_sheet_order(rows: list[RawRow], issues: list[Issue]) -> list[Issue]:
    """By sheet, row, then column left to right; rule order is kept within a cell (stable)."""
    if not issues:
        return []
    sheets = {name: n for n, name in enumerate(dict.fromkeys(r.sheet for r in rows))}
    columns = {name: n for n, name in enumerate(INPUT_COLUMNS)}
    return sorted(
        issues,
        key=lambda i: (sheets.get(i.sheet, 0), i.row, columns.get(i.column, len(columns))),
    )
