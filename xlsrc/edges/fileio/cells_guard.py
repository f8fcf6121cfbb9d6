"""Opening a workbook for writing never changes a number a person typed.

openpyxl reads a number cell's text with int() or float() and writes back what it read. For a
few texts a file can hold that is not the value typed: `NaN` and `INF` stop the whole load with
"invalid XML"; `1e309` becomes infinity and is written back as an empty cell; a number of
thousands of digits exceeds Python's int() limit; `1e-400` becomes 0; a date-formatted number
beyond 31/12/9999 becomes the error #VALUE!. While `reading_cells_as_typed` is active such a
cell stops the load with `UnreadableCell`, naming the sheet and the cell, so the caller can
refuse in one line and write nothing.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
from openpyxl.worksheet import _reader

from xlsrc.model.typed import shown_value

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
