"""Write entries into a workbook's Tracker table (openpyxl), growing the table if needed.

Only the first blank rows are written; nothing already in the table is touched. Text is
written as data, never as a formula (xlsrc.edges.workbook.cells.put).
"""

from __future__ import annotations

import math
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from defusedxml import ElementTree
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.utils import range_boundaries
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
from openpyxl.worksheet import _reader
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.edges.workbook import owned_parts, styles
from xlsrc.edges.workbook.cells import formula, put
from xlsrc.edges.workbook.names import resolve
from xlsrc.edges.workbook.sheets import tracker as tracker_sheet
from xlsrc.model import layout
from xlsrc.model.entry import ALL_COLUMNS, INPUT_COLUMNS, Entry, tracker_columns_damaged
from xlsrc.model.errors import WorkbookFileError
from xlsrc.model.terms.models import Terms
from xlsrc.model.typed import shown_value
from xlsrc.model.writes import entry_values


def load_for_edit(path: Path) -> Workbook:
    """Open a workbook for writing; VBA and buttons are kept for .xlsm files. A file that has
    lost parts calloff owns (xlsrc.edges.workbook.owned_parts) is refused, nothing written;
    the fullCalcOnLoad flag alone is set again (Excel's own save leaves it out)."""
    missing = missing_owned_parts(path)
    if refused := [m for m in missing if m not in owned_parts.PUT_BACK_BY_ANY_WRITE]:
        what = f"has lost {owned_parts.lost_parts(refused)}"
        raise WorkbookFileError(_lost_owned_parts(path, what))
    wb, unread = _load(path)
    if unread:
        what = f"holds a chart calloff cannot read, so would drop ({unread[0]})"
        raise WorkbookFileError(_lost_owned_parts(path, what))
    if owned_parts.FULL_CALC in missing:
        owned_parts.recalculate_on_load(wb)
    check_structure(wb, path)
    return wb


def missing_owned_parts(path: Path) -> list[str]:
    """owned_parts.missing_in_package; none for a file that is not a readable package (the
    load says what is wrong with it)."""
    try:
        return owned_parts.missing_in_package(Path(path))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
        return []


def load_for_repair(path: Path, terms: Terms) -> tuple[Workbook, list[str]]:
    """Open a workbook for writing with the owned parts it had lost put back (a chart openpyxl
    cannot read is drawn again); the workbook and what was put right, one line each."""
    missing = missing_owned_parts(path)
    wb, _ = _load(path)
    owned_parts.restore_owned_parts(wb, terms, missing)
    check_structure(wb, path)
    return wb, [owned_parts.PUT_RIGHT[m] for m in missing]


def _lost_owned_parts(path: Path, what: str) -> str:
    return (
        f"{path}: {what}, as another spreadsheet program's save can do; nothing was"
        " written: run calloff validate, which puts it back, and try again"
    )


def _load(path: Path) -> tuple[Workbook, list[str]]:
    """The workbook, and openpyxl's word for each chart it could not read (and dropped)."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with reading_cells_as_typed():
                wb = load_workbook(path, keep_vba=Path(path).suffix.lower() == ".xlsm")
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
        unreadable = unreadable_cause(exc)
        if unreadable is not None:
            raise WorkbookFileError(unreadable.message(path)) from None
        raise WorkbookFileError(
            f"{path}: cannot open for writing ({type(exc).__name__}: {exc})"
        ) from None
    unread = []
    for w in caught:
        if str(w.message).startswith(_UNREAD_CHART):
            unread.append(str(w.message).split(" from ")[-1].split(" ")[0])
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if layout.TRACKER not in wb.sheetnames:
        raise WorkbookFileError(f"{path}: {_tracker_sheet_missing(wb)}")
    return wb, unread


_UNREAD_CHART = "Unable to read chart"


def check_structure(wb: Workbook, path: Path) -> None:
    """Before anything is written: a sheet is visible (a file Excel can open), and the Tracker
    table has the layout's columns, in order, with its calculated columns' formulas."""
    if all(ws.sheet_state != "visible" for ws in wb.worksheets):
        raise WorkbookFileError(
            f"{path}: every sheet is hidden, which Excel cannot save; unhide at least one"
            " (right-click a sheet tab, Unhide) and try again. Nothing was written"
        )
    table = wb[layout.TRACKER].tables.get(layout.TRACKER_TABLE)
    if table is None:
        return  # said by the reader, which names the tables found
    headers = [str(c.name) for c in table.tableColumns]
    if headers != list(ALL_COLUMNS):
        raise WorkbookFileError(tracker_columns_damaged(path, headers))
    plain = [
        c.name for c in table.tableColumns[len(INPUT_COLUMNS) :] if not c.calculatedColumnFormula
    ]
    if plain:
        raise WorkbookFileError(
            f"{path}: the Tracker table's {', '.join(map(str, plain))} column has lost its"
            " formula (a calculated column); nothing was written: run calloff validate, which"
            " puts it back, and try again"
        )


def _tracker_sheet_missing(wb: Workbook) -> str:
    """Why the Tracker sheet cannot be found, and what to do (a renamed sheet, usually)."""
    holder = next((ws.title for ws in wb.worksheets if layout.TRACKER_TABLE in ws.tables), None)
    if holder is not None:
        return (
            f"the Tracker sheet has been renamed {holder!r}; calloff finds its sheets by name:"
            f" rename it back to {layout.TRACKER!r}"
        )
    return f"has no sheet named {layout.TRACKER!r}; is this a calloff workbook?"


def tracker_bounds(ws: Worksheet) -> tuple[int, int]:
    """(first data row, last data row) of the Tracker table."""
    if layout.TRACKER_TABLE not in ws.tables:
        raise WorkbookFileError(f"sheet {ws.title} has no table named {layout.TRACKER_TABLE}")
    _, top, _, bottom = range_boundaries(ws.tables[layout.TRACKER_TABLE].ref)
    return top + 1, bottom


def last_used_row(ws: Worksheet) -> int:
    """Last Tracker row with anything typed in it, in the table or below it (a spreadsheet
    program does not always grow the table); the header row when empty."""
    first, last = tracker_bounds(ws)
    for row in range(max(last, ws.max_row), first - 1, -1):
        if any(ws.cell(row, c).value not in (None, "") for c in range(1, len(INPUT_COLUMNS) + 1)):
            return row
    return first - 1


def append_entries(wb: Workbook, entries: list[Entry]) -> list[int]:
    """Write entries after the last used row; return the worksheet rows written."""
    ws = wb[layout.TRACKER]
    take_in_rows_below(ws)
    _, last = tracker_bounds(ws)
    start = last_used_row(ws) + 1
    end = start + len(entries) - 1
    if end > last:
        grow_tracker(ws, end)
    rows = []
    for row, entry in enumerate(entries, start=start):
        values = entry_values(entry)
        for col, name in enumerate(INPUT_COLUMNS, start=1):
            put(ws, row, col, values[name])
        styles.fit_height(ws, row)
        rows.append(row)
    return rows


def take_in_rows_below(ws: Worksheet) -> list[int]:
    """Grow the table over rows typed below it (never writing over them); their row numbers."""
    _, last = tracker_bounds(ws)
    used = last_used_row(ws)
    if used <= last:
        return []
    typed = [
        r
        for r in range(last + 1, used + 1)
        if any(ws.cell(r, c).value not in (None, "") for c in range(1, len(INPUT_COLUMNS) + 1))
    ]
    grow_tracker(ws, used)
    return typed


def restore_formulas(ws: Worksheet, rows: list[int]) -> None:
    """Put the workbook's Month and Cost formulas back on these rows (their input cells are
    left as they are)."""
    for row in rows:
        for name, text in tracker_sheet.row_formulas(row).items():
            formula(ws, row, ALL_COLUMNS.index(name) + 1, text)


def grow_tracker(ws: Worksheet, new_last: int) -> None:
    """Extend the table, its formulas, formats, validation and highlighting to new_last."""
    first, last = tracker_bounds(ws)
    tracker_sheet.format_rows(ws, last + 1, new_last)
    table = ws.tables[layout.TRACKER_TABLE]
    table.ref = f"A{layout.HEADER_ROW}:{tracker_sheet.LAST_COL}{new_last}"
    tracker_sheet.set_print_area(ws, new_last)
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref
    ws.data_validations.dataValidation = []
    for dv in tracker_sheet.data_validations(first, new_last):
        ws.add_data_validation(dv)
    ws.conditional_formatting = ConditionalFormattingList()
    tracker_sheet.add_conditional_formats(ws, first, new_last)


def set_named_value(wb: Workbook, name: str, value: object) -> None:
    sheet, ref = resolve(wb, name)
    put(wb[sheet], *_row_col(ref), value)


def _row_col(ref: str) -> tuple[int, int]:
    min_col, min_row, _, _ = range_boundaries(ref)
    return min_row, min_col


# Opening a workbook for writing never changes a number a person typed.
#
# openpyxl reads a number cell's text with int() or float() and writes back what it read. For a
# few texts a file can hold that is not the value typed: `NaN` and `INF` stop the whole load with
# "invalid XML"; `1e309` becomes infinity and is written back as an empty cell; a number of
# thousands of digits exceeds Python's int() limit; `1e-400` becomes 0; a date-formatted number
# beyond 31/12/9999 becomes the error #VALUE!. While `reading_cells_as_typed` is active such a
# cell stops the load with `UnreadableCell`, naming the sheet and the cell, so the caller can
# refuse in one line and write nothing.

_NONZERO = re.compile(r"[1-9]")


class UnreadableCell(ValueError):
    """A number cell whose text openpyxl would not keep as typed."""

    def __init__(self, coordinate: str, text: str) -> None:
        super().__init__(f"cell {coordinate} holds {text!r}")
        self.coordinate, self.text, self.sheet = coordinate, text, ""

    def where(self) -> str:
        """Sheet, cell, row and column, for a message."""
        try:
            row, column = coordinate_to_tuple(self.coordinate)
        except (TypeError, ValueError):
            return f"sheet {self.sheet}, cell {self.coordinate}"
        return (
            f"sheet {self.sheet}, cell {self.coordinate} (row {row}, column"
            f" {get_column_letter(column)})"
        )

    def message(self, path: object) -> str:
        return (
            f"{path}: {self.where()} holds {shown_value(self.text)}, which is not a number"
            " Excel can hold (NaN, infinity, a date beyond 9999 or too many digits); type the"
            " value again in Excel and try again. Nothing was written"
        )


def _strict_cast(original: Callable[[str], Any]) -> Callable[[str], Any]:
    def cast(value: str) -> Any:
        number = original(value)  # ValueError for NaN, INF and over-long digit strings
        if isinstance(number, float) and (
            not math.isfinite(number)
            or (number == 0 and _NONZERO.search(re.split("[eE]", value)[0]))
        ):
            raise ValueError(f"{value!r} is not a number a cell can hold")
        return number

    return cast


def _strict_parse(original: Callable[..., Any]) -> Callable[..., Any]:
    def parse_cell(self: Any, element: Any) -> Any:
        try:
            cell = original(self, element)
        except ValueError as exc:
            raise _unreadable(element) from exc
        if cell["data_type"] == "e" and element.get("t", "n") == "n":
            raise _unreadable(element)  # a date serial beyond Excel's dates: #VALUE!
        return cell

    return parse_cell


def _unreadable(element: Any) -> UnreadableCell:
    text = element.findtext(_reader.VALUE_TAG, None) or ""
    return UnreadableCell(str(element.get("r") or "?"), text)


def _named_bind(original: Callable[..., Any]) -> Callable[..., Any]:
    def bind_cells(self: Any) -> Any:
        try:
            return original(self)
        except UnreadableCell as exc:
            exc.sheet = str(self.ws.title)
            raise

    return bind_cells


@contextmanager
def reading_cells_as_typed() -> Iterator[None]:
    """Within: openpyxl refuses, with UnreadableCell, a number cell it would change."""
    cast, parse = _reader._cast_number, _reader.WorkSheetParser.parse_cell
    bind = _reader.WorksheetReader.bind_cells
    _reader._cast_number = _strict_cast(cast)
    _reader.WorkSheetParser.parse_cell = _strict_parse(parse)
    _reader.WorksheetReader.bind_cells = _named_bind(bind)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Cell .* is marked as a date")
            yield
    finally:
        _reader._cast_number = cast
        _reader.WorkSheetParser.parse_cell = parse
        _reader.WorksheetReader.bind_cells = bind


def unreadable_cause(exc: BaseException) -> UnreadableCell | None:
    """The UnreadableCell behind openpyxl's "Unable to read workbook", if that was the cause."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, UnreadableCell):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None
