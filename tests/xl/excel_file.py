"""What Excel does to its workbook when the adapter writes: replayed on a copy of the file.

Both backends of the adapter tests end in a list of `Op`s (the fake records them; the real
xlwings remote engine's JSON actions are translated), applied here with openpyxl so the
result can be compared, cell by cell, with what the CLI writes into the same file.

Strings written through Range.value are read the way Excel reads a typed entry: a leading
apostrophe makes the rest text, "=" starts a formula, an ISO date becomes a date (how the
remote engine sends dates) and a number becomes a number. So an adapter that forgot to
protect a piece of text shows up here as a formula or a number, as it would in Excel.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import Color, PatternFill
from openpyxl.utils import get_column_letter

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?Z?")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class Op:
    """One change to the workbook: a block of values, a fill, a format, a sheet, a table."""

    kind: str  # values | color | number_format | font | wrap | halign | valign | indent |
    # merge | column_width | row_height | print_area | add_sheet | resize_table | alert
    sheet: str = ""
    row: int = 1
    column: int = 1
    rows: int = 1
    columns: int = 1
    value: object = None  # values: list of rows; color: "#RRGGBB" or None; ...


def typed(value: object) -> tuple[object, bool]:
    """(cell value, quote prefix) for a value written through Range.value."""
    if value is None or value == "":
        return None, False
    if not isinstance(value, str):
        return value, False
    if value.startswith("'"):
        return value[1:], True
    if value.startswith("="):
        return value, False  # a formula
    if _ISO_DATE.fullmatch(value):
        return dt.date.fromisoformat(value), False
    if _ISO_DATETIME.fullmatch(value):
        return dt.datetime.fromisoformat(value.rstrip("Z").replace(" ", "T")), False
    if _NUMBER.fullmatch(value):
        return float(value), False
    return value, False


def apply_ops(path: Path, ops: list[Op]) -> list[str]:
    """Apply `ops` to the workbook at `path` (saved in place); return the alerts shown."""
    wb = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    alerts: list[str] = []
    for op in ops:
        if op.kind == "alert":
            alerts.append(str(op.value))
            continue
        if op.kind == "add_sheet":
            wb.create_sheet(op.sheet, index=int(op.value))
            continue
        ws = wb[op.sheet]
        if op.kind == "values":
            for r, row in enumerate(op.value):
                for c, raw in enumerate(row):
                    cell = ws.cell(op.row + r, op.column + c)
                    cell.value, prefix = typed(raw)
                    if prefix:
                        cell.data_type = "s"
                    cell.quotePrefix = prefix
        elif op.kind == "color":
            fill = PatternFill() if op.value is None else _solid(str(op.value))
            for r in range(op.row, op.row + op.rows):
                for c in range(op.column, op.column + op.columns):
                    ws.cell(r, c).fill = fill
        elif op.kind == "number_format":
            for r in range(op.row, op.row + op.rows):
                for c in range(op.column, op.column + op.columns):
                    ws.cell(r, c).number_format = str(op.value)
        elif op.kind in _LOOKS:
            for r in range(op.row, op.row + op.rows):
                for c in range(op.column, op.column + op.columns):
                    _LOOKS[op.kind](ws.cell(r, c), op.value)
        elif op.kind == "merge":  # value: across (each row merged on its own)
            last_row, last_column = op.row + op.rows - 1, op.column + op.columns - 1
            for first, last in (
                [(r, r) for r in range(op.row, last_row + 1)] if op.value else [(op.row, last_row)]
            ):
                ws.merge_cells(
                    start_row=first, start_column=op.column, end_row=last, end_column=last_column
                )
        elif op.kind == "column_width":
            for c in range(op.column, op.column + op.columns):
                ws.column_dimensions[get_column_letter(c)].width = op.value
        elif op.kind == "row_height":
            for r in range(op.row, op.row + op.rows):
                ws.row_dimensions[r].height = op.value
        elif op.kind == "print_area":
            ws.print_area = str(op.value)
        elif op.kind == "resize_table":
            name, ref = op.value
            table = ws.tables[name]
            table.ref = ref.replace("$", "")
            if table.autoFilter is not None:
                table.autoFilter.ref = table.ref
        else:
            raise AssertionError(f"unknown op {op.kind}")
    wb.save(path)
    return alerts


def _font(cell: Any, change: Any) -> None:
    name, value = change
    font = copy(cell.font)
    if name == "color":
        font.color = Color("FF" + str(value).removeprefix("#").upper())
    else:
        setattr(font, {"bold": "b", "italic": "i", "size": "sz"}[name], value)
    cell.font = font


def _aligned(attribute: str) -> Callable[[Any, Any], None]:
    def change(cell: Any, value: Any) -> None:
        alignment = copy(cell.alignment)
        if attribute == "indent":
            value = alignment.indent + value  # Range.adjust_indent adds to the indent
        setattr(alignment, attribute, value)
        cell.alignment = alignment

    return change


# What a look op does to each cell of its range.
_LOOKS: dict[str, Callable[[Any, Any], None]] = {
    "font": _font,
    "wrap": _aligned("wrap_text"),
    "halign": _aligned("horizontal"),
    "valign": _aligned("vertical"),
    "indent": _aligned("indent"),
}


def _solid(color: str) -> PatternFill:
    return PatternFill("solid", fgColor="FF" + color.removeprefix("#").upper())
