"""A small, honest fake of the xlwings calls the adapter makes, built from a workbook file.

Exactly the Book / Sheet / Range / Name / Table calls xlsrc.adapters.xl uses, with xlwings' own
semantics where the adapter depends on them:
- reads give what desktop xlwings gives (None for an empty cell, every number a float,
  datetime for a date cell, the formula's cached value), shaped like Range.value: a scalar
  for one cell, a list for one row or column, a list of rows with options(ndim=2);
- writes are queued, as in xlwings' remote engine: reads keep returning the workbook as it
  was opened, so an adapter that read back its own writes would fail here as it would in
  xlwings Lite; `apply_to_file` replays the queue on a copy of the file (tests/xl/excel_file);
- anything not modelled is missing, so a new call in the adapter fails loudly until it is
  added here and checked against the real engine (tests/test_xl_adapter.py runs both).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from .excel_file import Op, apply_ops

MAX_ROW = 1_048_576  # a whole column is rows 1 to Excel's last


class FakeEngine:
    name = "fake"


class FakeApp:
    engine = FakeEngine()

    def __init__(self, book: FakeBook) -> None:
        self._book = book

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self._book.ops.append(Op("alert", value=prompt))
        self._book.alerts.append((title, prompt, mode))
        return "ok"


class FakeName:
    def __init__(self, name: str, refers_to: str) -> None:
        self.name = name
        self.refers_to = refers_to


class FakeRange:
    def __init__(self, sheet: FakeSheet, first: tuple[int, int], last: tuple[int, int]):
        self.sheet = sheet
        self.row, self.column = first
        self._last = last
        self._ndim: int | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self._last[0] - self.row + 1, self._last[1] - self.column + 1

    @property
    def last_cell(self) -> FakeRange:
        return FakeRange(self.sheet, self._last, self._last)

    @property
    def address(self) -> str:
        first = f"${get_column_letter(self.column)}${self.row}"
        if self.shape == (1, 1):
            return first
        return f"{first}:${get_column_letter(self._last[1])}${self._last[0]}"

    def options(self, ndim: int | None = None) -> FakeRange:
        copy = FakeRange(self.sheet, (self.row, self.column), self._last)
        copy._ndim = ndim
        return copy

    @property
    def value(self) -> Any:
        rows = [
            [self.sheet._read(r, c) for c in range(self.column, self._last[1] + 1)]
            for r in range(self.row, self._last[0] + 1)
        ]
        if self._ndim == 2:
            return rows
        nrows, ncols = self.shape
        if nrows == 1 and ncols == 1:
            return rows[0][0]
        if nrows == 1:
            return rows[0]
        if ncols == 1:
            return [r[0] for r in rows]
        return rows

    @value.setter
    def value(self, data: Any) -> None:
        if not isinstance(data, list | tuple):
            nrows, ncols = self.shape
            data = [[data] * ncols for _ in range(nrows)]
        elif data and not isinstance(data[0], list | tuple):
            data = [list(data)]
        self.sheet.book.ops.append(
            Op("values", self.sheet.name, self.row, self.column, value=[list(r) for r in data])
        )

    def _op(self, kind: str, value: object) -> None:
        rows, columns = self.shape
        self.sheet.book.ops.append(
            Op(kind, self.sheet.name, self.row, self.column, rows, columns, value)
        )

    @property
    def color(self) -> Any:
        raise NotImplementedError("reading a fill is not modelled (Lite cannot either)")

    @color.setter
    def color(self, value: str | None) -> None:
        self._op("color", value)

    @property
    def number_format(self) -> Any:
        raise NotImplementedError("reading a number format is not modelled")

    @number_format.setter
    def number_format(self, value: str) -> None:
        self._op("number_format", value)

    @property
    def font(self) -> FakeFont:
        return FakeFont(self)

    def _write_only(self, *_: Any) -> Any:
        raise NotImplementedError("reading a cell's look is not modelled (Lite cannot either)")

    wrap_text = property(_write_only, lambda self, value: self._op("wrap", bool(value)))
    horizontal_alignment = property(_write_only, lambda self, value: self._op("halign", value))
    vertical_alignment = property(_write_only, lambda self, value: self._op("valign", value))
    column_width = property(_write_only, lambda self, value: self._op("column_width", value))
    row_height = property(_write_only, lambda self, value: self._op("row_height", value))

    def adjust_indent(self, amount: int) -> None:
        self._op("indent", amount)

    def merge(self, across: bool = False) -> None:
        self._op("merge", bool(across))


class FakeFont:
    """Range.font: bold, italic, size and colour, written only."""

    def __init__(self, rng: FakeRange) -> None:
        self._range = rng

    def _set(name: str) -> property:
        def setter(self: FakeFont, value: object) -> None:
            self._range._op("font", (name, value))

        return property(FakeRange._write_only, setter)

    bold = _set("bold")
    italic = _set("italic")
    size = _set("size")
    color = _set("color")


class FakePageSetup:
    def __init__(self, sheet: FakeSheet) -> None:
        self._sheet = sheet

    print_area = property(
        FakeRange._write_only,
        lambda self, value: self._sheet.book.ops.append(
            Op("print_area", self._sheet.name, value=value)
        ),
    )


class FakeTable:
    def __init__(self, sheet: FakeSheet, name: str, ref: str) -> None:
        self.parent = sheet
        self.name = name
        c1, r1, c2, r2 = range_boundaries(ref)
        self._box = (r1, c1, r2, c2)

    @property
    def header_row_range(self) -> FakeRange:
        r1, c1, _, c2 = self._box
        return FakeRange(self.parent, (r1, c1), (r1, c2))

    @property
    def data_body_range(self) -> FakeRange:
        r1, c1, r2, c2 = self._box
        return FakeRange(self.parent, (r1 + 1, c1), (r2, c2))

    def resize(self, rng: FakeRange) -> None:
        self.parent.book.ops.append(
            Op("resize_table", self.parent.name, value=(self.name, rng.address))
        )


class FakeTables:
    def __init__(self, tables: list[FakeTable]) -> None:
        self._tables = tables

    def __iter__(self):
        return iter(self._tables)

    def __contains__(self, name: str) -> bool:
        return any(t.name == name for t in self._tables)

    def __getitem__(self, name: str) -> FakeTable:
        for table in self._tables:
            if table.name == name:
                return table
        raise KeyError(name)


class FakeSheet:
    def __init__(self, book: FakeBook, ws: Any) -> None:
        self.book = book
        self.name = ws.title if ws is not None else ""
        self._ws = ws
        self.tables = FakeTables(
            [] if ws is None else [FakeTable(self, n, ref) for n, ref in ws.tables.items()]
        )

    def _read(self, row: int, column: int) -> object:
        if self._ws is None:
            return None
        value = self._ws.cell(row, column).value
        if isinstance(value, bool) or value is None or isinstance(value, str | dt.datetime):
            return value
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time(0))
        if isinstance(value, int | float):
            return float(value)
        return value

    @property
    def page_setup(self) -> FakePageSetup:
        return FakePageSetup(self)

    def range(self, first: Any, last: Any = None) -> FakeRange:
        if isinstance(first, str) and re.fullmatch(r"[A-Z]+:[A-Z]+", first):  # whole columns
            start, _, end = first.partition(":")
            columns = column_index_from_string(start), column_index_from_string(end)
            return FakeRange(self, (1, columns[0]), (MAX_ROW, columns[1]))
        if isinstance(first, str):
            start, _, end = first.partition(":")
            first = _tuple(start)
            last = _tuple(end) if end else None
        return FakeRange(self, tuple(first), tuple(last or first))

    @property
    def used_range(self) -> FakeRange:
        if self._ws is None:
            return FakeRange(self, (1, 1), (1, 1))
        return FakeRange(self, (1, 1), (self._ws.max_row, self._ws.max_column))


class FakeSheets:
    def __init__(self, book: FakeBook, sheets: list[FakeSheet]) -> None:
        self._book = book
        self._sheets = sheets

    def __iter__(self):
        return iter(list(self._sheets))

    def __getitem__(self, key: int | str) -> FakeSheet:
        if isinstance(key, int):
            return self._sheets[key]
        for sheet in self._sheets:
            if sheet.name.lower() == key.lower():
                return sheet
        raise KeyError(key)

    def add(self, name: str, before: FakeSheet | None = None, after: FakeSheet | None = None):
        if name.lower() in (s.name.lower() for s in self._sheets):
            raise ValueError(f"Sheet named '{name}' already present in workbook")
        if after is not None:
            index = self._sheets.index(after) + 1
        elif before is not None:
            index = self._sheets.index(before)
        else:
            raise AssertionError("the adapter always says where a sheet goes")
        sheet = FakeSheet(self._book, None)
        sheet.name = name
        self._sheets.insert(index, sheet)
        self._book.ops.append(Op("add_sheet", name, value=index))
        return sheet


class FakeBook:
    """xlwings' Book for the workbook file at `path`, as Excel would show it when opened."""

    def __init__(self, path: Path, selection: tuple[str, str] | None = None) -> None:
        wb = load_workbook(path, data_only=True, keep_vba=path.suffix.lower() == ".xlsm")
        self.fullname = str(path)
        self.name = path.name
        self.ops: list[Op] = []
        self.alerts: list[tuple[str | None, str, str | None]] = []
        self.app = FakeApp(self)
        self.names = [FakeName(n, "=" + d.attr_text) for n, d in wb.defined_names.items()]
        for ws in wb.worksheets:
            self.names += [
                FakeName(f"{ws.title}!{n}", "=" + d.attr_text) for n, d in ws.defined_names.items()
            ]
        self.sheets = FakeSheets(self, [FakeSheet(self, ws) for ws in wb.worksheets])
        if selection is None:
            ws = wb.active
            selection = (ws.title, ws.sheet_view.selection[0].activeCell or "A1")
        sheet, address = selection
        self.selection = self.sheets[sheet].range(address)

    def apply_to_file(self, path: Path) -> list[str]:
        """Write what the adapter wrote into the file at `path`; return the alerts shown."""
        return apply_ops(path, self.ops)


def _tuple(address: str) -> tuple[int, int]:
    letters, row = coordinate_from_string(address.replace("$", ""))
    return row, column_index_from_string(letters)
