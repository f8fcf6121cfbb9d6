"""Load what every action needs from a workbook file: its terms and its tracker rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xlsrc.fileio.reader import Book, open_book, read_tracker
from xlsrc.fileio.terms_reader import read_terms
from xlsrc.terms.models import Terms
from xlsrc.tracker.model import RawRow
from xlsrc.validate import ValidationResult, validate_rows


@dataclass(frozen=True)
class WorkbookData:
    path: Path
    terms: Terms
    rows: list[RawRow]
    book: Book  # the opened file, for actions that read more of it (locks, progress)

    def validate(self, today: dt.date | None = None) -> ValidationResult:
        return validate_rows(self.terms, self.rows, today=today or dt.date.today())


def load_workbook_data(path: str | Path) -> WorkbookData:
    book = open_book(path)
    rows = read_tracker(book)  # first: "no Tracker table" says most about a foreign file
    return WorkbookData(path=Path(path), terms=read_terms(book), rows=rows, book=book)
