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
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import PatternFill

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?Z?")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class Op:
    """One change to the workbook: a block of values, a fill, a format, a sheet, a table."""

    kind: str  # values | color | number_format | add_sheet | resize_table | alert
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


def _solid(color: str) -> PatternFill:
    return PatternFill("solid", fgColor="FF" + color.removeprefix("#").upper())
