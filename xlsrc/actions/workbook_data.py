"""Load what every action needs from a workbook: its terms and its tracker rows.

From a file (`load_workbook_data`, the CLI) or from any opened source
(`read_workbook_data`, e.g. the workbook open in Excel behind the buttons).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from xlsrc.fileio.reader import open_book, read_tracker, read_tracker_shape
from xlsrc.fileio.source import WorkbookSource
from xlsrc.fileio.terms_reader import read_terms, read_terms_listing
from xlsrc.issues import Issue
from xlsrc.terms.models import Terms
from xlsrc.tracker.model import RawRow, TableShape
from xlsrc.validate import ValidationResult, validate_rows

if TYPE_CHECKING:  # totals load pandas: only a command that totals imports them
    from xlsrc.totals import Totals


@dataclass(frozen=True)
class WorkbookData:
    """One read of a workbook: every figure a command shows comes from here, and the Tracker
    is validated once per day asked about (the result is kept)."""

    path: Path
    terms: Terms
    rows: list[RawRow]
    book: WorkbookSource  # the opened workbook, for actions that read more of it (locks, ...)
    shape: TableShape | None = None  # rows below the table, formulas typed over
    # Broken Decisions / Rates rows, left out of `terms` (read with listing=True only).
    contract_issues: tuple[Issue, ...] = ()
    _checked: dict[object, ValidationResult] = field(default_factory=dict, compare=False)
    _totals: dict[object, Totals] = field(default_factory=dict, compare=False)

    def validate(
        self, today: dt.date | None = None, locked_months: frozenset[dt.date] = frozenset()
    ) -> ValidationResult:
        key = (today or dt.date.today(), locked_months)
        if key not in self._checked:
            self._checked[key] = validate_rows(
                self.terms, self.rows, today=key[0], locked_months=locked_months, shape=self.shape
            )
        return self._checked[key]

    def totals(self, today: dt.date | None = None) -> Totals:
        """The Budget's figures: every row the workbook counts (docs/counting.md)."""
        key = today or dt.date.today()
        if key not in self._totals:
            from xlsrc.totals import compute_totals

            self._totals[key] = compute_totals(self.terms, self.validate(key).entries)
        return self._totals[key]


def load_workbook_data(path: str | Path, *, listing: bool = False) -> WorkbookData:
    return read_workbook_data(open_book(path), listing=listing)


def read_workbook_data(book: WorkbookSource, *, listing: bool = False) -> WorkbookData:
    """`listing`: a broken Decisions or Rates row is left out and listed (validate) instead
    of stopping the command with its place."""
    rows = read_tracker(book)  # first: "no Tracker table" says most about a foreign file
    terms, issues = read_terms_listing(book) if listing else (read_terms(book), [])
    shape = read_tracker_shape(book)
    return WorkbookData(Path(book.path), terms, rows, book, shape, contract_issues=tuple(issues))
