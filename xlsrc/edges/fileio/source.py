"""What the readers need from an opened workbook, whoever opened it.

`xlsrc.edges.fileio.reader.Book` reads a file with calamine (the CLI);
`xlsrc.adapters.xl.book.XlBook` reads
the ranges of a workbook open in Excel (the buttons). Both give cells as calamine does: ''
for an empty cell, numbers as float, dates as date (datetime when there is a time of day),
text as str, so every reader (terms, tracker, progress, invoices, locks) works on either.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Protocol

from xlsrc.edges.workbook.names_xml import parse_ref
from xlsrc.model.errors import WorkbookFileError


class WorkbookSource(Protocol):
    path: Path  # for messages: the file, or the open workbook's full name
    names: dict[str, str]  # workbook-level defined names -> "'Sheet'!$B$4"

    @property
    def table_names(self) -> list[str]:
        """The Excel tables (ListObjects) in the workbook, by name."""

    def grid(self, sheet: str) -> list[list[object]]:
        """The sheet's cells from A1, row by row."""

    def named_value(self, name: str) -> object:
        """Value of the single cell a defined name points at ('' when empty)."""

    def named_column(self, name: str) -> list[object]:
        """Values of the cells of a one-column defined name, top to bottom."""

    def table(self, name: str) -> tuple[list[str], list[list[object]], int]:
        """(headers, data rows, worksheet row of the first data row)."""


class NamedCells:
    """`named_value` and `named_column` over a source's `names` and `grid`, for both sources."""

    path: Path
    names: dict[str, str]

    def grid(self, sheet: str) -> list[list[object]]:
        raise NotImplementedError

    def named_value(self, name: str) -> object:
        """Value of the single cell a defined name points at ('' when empty)."""
        ref = self.names.get(name)
        parsed = parse_ref(ref) if ref else None
        if parsed is None:
            raise WorkbookFileError(f"{self.path}: defined name {name} is missing or not a cell")
        sheet, r1, c1, _, _ = parsed
        grid = self.grid(sheet)
        if r1 >= len(grid) or c1 >= len(grid[r1]):
            return ""
        return grid[r1][c1]

    def named_column(self, name: str) -> list[object]:
        ref = self.names.get(name)
        parsed = parse_ref(ref) if ref else None
        if parsed is None:
            raise WorkbookFileError(f"{self.path}: defined name {name} is missing")
        sheet, r1, c1, r2, _ = parsed
        grid = self.grid(sheet)
        return [grid[r][c1] for r in range(r1, min(r2 + 1, len(grid)))]


def clean(value: object) -> object:
    """A source gives '' for an empty cell; the rest of the code expects None."""
    if value == "":
        return None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value
