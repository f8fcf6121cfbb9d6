"""What an engine needs from a workbook: cell contents, defined names and tables, read once
from an openpyxl Workbook in memory (nothing is saved or re-read)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from xlsrc.edges.formulas.values import XlError, from_python

if TYPE_CHECKING:  # read_book's callers hold an openpyxl Workbook; the package reader does not
    from openpyxl import Workbook


@dataclass(frozen=True)
class Formula:
    text: str  # without the leading "="


@dataclass
class TableInfo:
    sheet: str
    min_row: int
    min_col: int
    max_row: int
    max_col: int
    header_rows: int
    totals_rows: int
    columns: dict[str, int] = field(default_factory=dict)  # upper-case name -> column


@dataclass
class Book:
    cells: dict[str, dict[tuple[int, int], object]]
    names: dict[str, tuple[str | None, str]]  # NAME -> (local sheet or None, text)
    tables: dict[str, TableInfo]
    sheets: dict[str, str]  # upper-case title -> title

    def sheet(self, name: str) -> str:
        return self.sheets.get(name.upper(), name)


_SPECIAL = re.compile(r"^_xlnm\.", re.IGNORECASE)


def read_book(wb: Workbook) -> Book:
    from openpyxl.utils import range_boundaries

    cells: dict[str, dict[tuple[int, int], object]] = {}
    tables: dict[str, TableInfo] = {}
    names: dict[str, tuple[str | None, str]] = {}
    for ws in wb.worksheets:
        grid: dict[tuple[int, int], object] = {}
        for key, cell in ws._cells.items():
            value = cell._value
            if value is None:
                continue
            if cell.data_type == "f":
                grid[key] = Formula(value[1:]) if isinstance(value, str) else value
            elif cell.data_type == "e":
                grid[key] = XlError(str(value))
            else:
                grid[key] = from_python(value)
        cells[ws.title] = grid
        for table in ws.tables.values():
            min_col, min_row, max_col, max_row = range_boundaries(table.ref)
            # A table built in memory has no tableColumns until openpyxl writes it; its
            # column names are then its header cells.
            headers = [c.name for c in table.tableColumns] or [
                ws.cell(min_row, c).value for c in range(min_col, max_col + 1)
            ]
            columns = {str(n or "").upper(): min_col + i for i, n in enumerate(headers)}
            tables[table.displayName.upper()] = TableInfo(
                ws.title,
                min_row,
                min_col,
                max_row,
                max_col,
                1 if table.headerRowCount is None else int(table.headerRowCount),
                int(table.totalsRowCount or 0),
                columns,
            )
        for name, dn in getattr(ws, "defined_names", {}).items():
            if not _SPECIAL.match(name) and dn.attr_text:
                names.setdefault(name.upper(), (ws.title, dn.attr_text))
    for name, dn in wb.defined_names.items():
        if not _SPECIAL.match(name) and dn.attr_text:
            names[name.upper()] = (None, dn.attr_text)
    sheets = {ws.title.upper(): ws.title for ws in wb.worksheets}
    return Book(cells, names, tables, sheets)
