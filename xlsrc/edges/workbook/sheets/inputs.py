"""An input table: a header, pre-formatted rows people type into (some pre-filled and locked,
e.g. each month), drop-downs from the Lists sheet. Shared by the Evidence, Plans and Report
sheets; the readers find each table by its name, wherever it sits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put


@dataclass(frozen=True)
class Field:
    header: str
    fmt: str | None = None
    choices: str | None = None  # a list name on the Lists sheet
    wrap: bool = False


def input_table(
    ws: Worksheet,
    *,
    name: str,
    top: int,
    fields: list[Field],
    filled: Sequence[Sequence[object]] = (),
    capacity: int = 0,
    caption: str = "",
) -> int:
    """Header on row `top` (a caption above it when given), then the pre-filled rows (their
    values locked) and `capacity` empty rows; returns the table's last row."""
    if caption:
        put(ws, top - 1, 1, caption).font = styles.BOLD
    styles.header_row(ws, top, [f.header for f in fields])
    first = top + 1
    last = top + max(1, len(filled) + capacity)
    for r in range(first, last + 1):
        values = filled[r - first] if r - first < len(filled) else []
        for c, f in enumerate(fields, start=1):
            cell = ws.cell(r, c)
            if c <= len(values):
                put(ws, r, c, values[c - 1])
                cell.protection = styles.LOCKED
                if f.fmt:
                    cell.number_format = f.fmt
            else:
                styles.input_cell(cell, f.fmt)
            if f.wrap:
                cell.alignment = styles.WRAP
    for c, f in enumerate(fields, start=1):
        if f.choices:
            letter = get_column_letter(c)
            v = DataValidation(type="list", formula1=f.choices, allow_blank=True)
            v.error, v.errorTitle = f"{f.header}: pick a value from the list.", f.header
            v.showErrorMessage = True
            v.add(f"{letter}{first}:{letter}{last}")
            ws.add_data_validation(v)
        elif f.fmt in (styles.DATE, styles.MONTH):
            letter = get_column_letter(c)
            v = DataValidation(type="date", operator="greaterThan", formula1="36526")
            v.error, v.errorTitle = f"{f.header}: type a date, e.g. 15/03/2024.", f.header
            v.showErrorMessage = True
            v.add(f"{letter}{first}:{letter}{last}")
            ws.add_data_validation(v)
    table = Table(displayName=name, ref=f"A{top}:{get_column_letter(len(fields))}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    return last
