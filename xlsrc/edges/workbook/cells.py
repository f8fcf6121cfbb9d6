"""Writing values into cells without ever turning text into a formula.

openpyxl stores any string starting with "=" as a formula. Text from terms files, trackers
and notes is data, so every writer goes through `put`: such strings are forced to text and
marked with a quote prefix, so Excel keeps them as text even when the cell is edited again.
Excel reads `_xHHHH_` in a cell's text as an escaped character (`_x0041_` shows "A"); such
text is escaped (`_x005F_x0041_`), so the cell shows exactly what was typed.
"""

from __future__ import annotations

import re

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_EXCEL_ESCAPE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def put(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write data (never a formula) into a cell and return it."""
    cell = ws.cell(row=row, column=column)
    set_data(cell, value)
    return cell


def escape_text(value: str) -> str:
    """Text as Excel stores it so that it shows as typed: `_xHHHH_` escaped."""
    return _EXCEL_ESCAPE.sub("_x005F_", value)


def set_data(cell: Cell, value: object) -> None:
    cell.value = escape_text(value) if isinstance(value, str) else value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def formula(ws: Worksheet, row: int, column: int, text: str) -> Cell:
    """Write a formula the builder wrote itself (never user text)."""
    if not text.startswith("="):
        raise ValueError(f"not a formula: {text!r}")
    cell = ws.cell(row=row, column=column)
    cell.value = text
    return cell
