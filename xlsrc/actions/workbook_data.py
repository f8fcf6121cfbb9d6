"""Load what every action needs from a workbook: its terms and its tracker rows.

From a file (`load_workbook_data`, the CLI) or from any opened source
(`read_workbook_data`, e.g. the workbook open in Excel behind the buttons).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xlsrc.fileio.reader import open_book, read_tracker
from xlsrc.fileio.source import WorkbookSource
from xlsrc.fileio.terms_reader import read_terms
from xlsrc.terms.models import Terms
from xlsrc.tracker.model import RawRow
from xlsrc.validate import ValidationResult, validate_rows


@dataclass(frozen=True)
class WorkbookData:
    path: Path
    terms: Terms
    rows: list[RawRow]
    book: WorkbookSource  # the opened workbook, for actions that read more of it (locks, ...)

    def validate(self, today: dt.date | None = None) -> ValidationResult:
        return validate_rows(self.terms, self.rows, today=today or dt.date.today())


def load_workbook_data(path: str | Path) -> WorkbookData:
    return read_workbook_data(open_book(path))


def read_workbook_data(book: WorkbookSource) -> WorkbookData:
    rows = read_tracker(book)  # first: "no Tracker table" says most about a foreign file
    return WorkbookData(path=Path(book.path), terms=read_terms(book), rows=rows, book=book)
