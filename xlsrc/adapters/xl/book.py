"""The workbook open in Excel, read through xlwings ranges, as a `WorkbookSource`.

Values come back from xlwings as Python values (None for an empty cell, float or int,
datetime for a date cell); `cell` turns each into what calamine gives for the same cell, so
every reader and the core see exactly the data the CLI sees in the saved file.

Used calls, all of the public xlwings API (see tests/xl/fake_xlwings.py): Book.fullname,
Book.names (Name.name, Name.refers_to), Book.sheets (Sheet.name, Sheet.used_range,
Sheet.range, Sheet.tables), Range.options(ndim=2).value, Range.last_cell, Range.row,
Table.name, Table.header_row_range, Table.data_body_range.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from xlsrc.edges.fileio.source import NamedCells
from xlsrc.model.errors import WorkbookFileError


def cell(value: object) -> object:
    """An xlwings cell value as calamine gives it: '' empty, float numbers, date for dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


class XlBook(NamedCells):
    """Reads sheets, names and tables of an open xlwings Book, each sheet at most once."""

    def __init__(self, book: Any) -> None:
        self.xw = book
        self.path = Path(book.fullname)
        # Workbook-level names only: a sheet-level name reads "Sheet!Name" (as the file
        # reader, which skips names with a localSheetId).
        self.names = {
            n.name: str(n.refers_to).removeprefix("=")
            for n in book.names
            if "!" not in n.name and n.refers_to
        }
        self._grids: dict[str, list[list[object]]] = {}
        self._tables: dict[str, Any] | None = None
        self._read: dict[str, tuple[list[str], list[list[object]], int]] = {}  # tables read
        self._written: set[str] = set()  # tables written to since they were read

    @property
    def table_names(self) -> list[str]:
        return list(self._table_index())

    def sheet(self, name: str) -> Any:
        for sheet in self.xw.sheets:
            if sheet.name == name:
                return sheet
        raise WorkbookFileError(f"{self.path}: has no sheet named {name!r}")

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.xw.sheets]

    def grid(self, sheet: str) -> list[list[object]]:
        if sheet not in self._grids:
            ws = self.sheet(sheet)
            last = ws.used_range.last_cell
            values = ws.range((1, 1), (last.row, last.column)).options(ndim=2).value
            self._grids[sheet] = [[cell(v) for v in row] for row in values]
        return self._grids[sheet]

    def xl_table(self, name: str) -> Any:
        """The xlwings Table named `name`, wherever it is."""
        tables = self._table_index()
        if name not in tables:
            raise WorkbookFileError(
                f"{self.path}: has no Excel table named {name!r}"
                f" (tables found: {', '.join(tables) or 'none'})"
            )
        return tables[name]

    def table(self, name: str) -> tuple[list[str], list[list[object]], int]:
        """(headers, data rows, worksheet row of the first data row), read once per press:
        a button reads everything before it writes anything."""
        if name not in self._read:
            self._read[name] = self._read_table(name)
        return self._read[name]

    def table_now(self, name: str) -> tuple[list[str], list[list[object]], int]:
        """The table as it is now: what was read, unless this press has written to it since
        (`written`), when it is read again."""
        if name not in self._read or name in self._written:
            self._read[name] = self._read_table(name)
            self._written.discard(name)
        return self._read[name]

    def written(self, name: str) -> None:
        """This press wrote to the table `name`: what was read of it is no longer what it holds."""
        self._written.add(name)

    def _read_table(self, name: str) -> tuple[list[str], list[list[object]], int]:
        table = self.xl_table(name)
        header = table.header_row_range
        headers = [str(cell(h)) for h in header.options(ndim=2).value[0]]
        body = table.data_body_range  # None when Excel's table has no data row
        if body is None:
            return headers, [], header.row + 1
        return headers, [[cell(v) for v in row] for row in body.options(ndim=2).value], body.row

    def sheets_moved(self) -> None:
        """Forget the tables found: after a sheet is added, xlwings' remote and Lite engines
        locate a table by its sheet's position, which the add has shifted."""
        self._tables = None

    def _table_index(self) -> dict[str, Any]:
        if self._tables is None:
            self._tables = {t.name: t for sheet in self.xw.sheets for t in sheet.tables}
        return self._tables
