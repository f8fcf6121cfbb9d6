"""What a button reads besides the workbook's data: the month to act on, the tracker files.

The month: the selected invoice's (any cell of its row on the Invoices sheet), else the
workbook's `ActionMonth` cell when it has one (a date, or text such as 2024-03), else the
selected cell's, so a workbook without that cell still works.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsrc.adapters.xl.book import XlBook
from xlsrc.edges.fileio.source import clean
from xlsrc.model import fmt, layout
from xlsrc.model.dates import month_start
from xlsrc.model.errors import UserDataError
from xlsrc.model.writes import column_letter

MONTH_NAME = "ActionMonth"
TRACKERS_FOLDER = "trackers"
_MONTH_TEXT = re.compile(r"(\d{4})-(\d{1,2})")


@dataclass(frozen=True)
class Chosen:
    month: dt.date  # the first of the month
    invoice_row: int | None = None  # the Invoices row selected, if the month came from one


def selected(book: Any) -> tuple[str, int, int] | None:
    """(sheet, row, column) of the selected cell; None when nothing usable is selected."""
    try:
        selection = book.selection
        if selection is None:
            return None
        return selection.sheet.name, selection.row, selection.column
    except Exception:  # noqa: BLE001 - a shape or chart selected, or a client without one
        return None


def chosen_month(xb: XlBook, selection: tuple[str, int, int] | None, button: str) -> Chosen:
    """The month `button` acts on, from the first of these that there is:

    the invoice whose row is selected on the Invoices sheet (where Check invoice sits), the
    workbook's ActionMonth cell, the selected cell.
    """
    if selection is not None and selection[0] == layout.INVOICES:
        headers, rows, first = xb.table(layout.INVOICES_TABLE)
        row = selection[1]
        if first <= row < first + len(rows):
            value = rows[row - first][headers.index("Month")]
            return Chosen(_month(value, f"the Month of Invoices row {row}", button), row)
    # A blank ActionMonth falls through to the selection; a filled one must be a month.
    if MONTH_NAME in xb.names and clean(xb.named_value(MONTH_NAME)) not in (None, ""):
        where = f"the {MONTH_NAME} cell ({xb.names[MONTH_NAME].replace('$', '')})"
        return Chosen(_month(xb.named_value(MONTH_NAME), where, button))
    if selection is None:
        raise UserDataError(
            f"{button} needs a month: select a cell holding it (a date, or text such as"
            " 2024-03), or any cell of the invoice's row on the Invoices sheet, then press"
            f" {button} again"
        )
    sheet, row, column = selection
    grid = xb.grid(sheet)
    inside = row <= len(grid) and column <= len(grid[row - 1])
    value = grid[row - 1][column - 1] if inside else ""
    where = f"the selected cell {sheet}!{column_letter(column)}{row}"
    return Chosen(_month(value, where, button))


def _month(value: object, where: str, button: str) -> dt.date:
    value = clean(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return month_start(value)
    if isinstance(value, str) and (match := _MONTH_TEXT.fullmatch(value.strip())):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return dt.date(year, month, 1)
    raise UserDataError(
        f"{button} needs a month in {where}: a date such as 01/03/2024, or text such as"
        f" 2024-03; found {fmt.found(value)}"
    )


def tracker_files(xb: XlBook) -> list[Path]:
    """The advisors' tracker files: every .xlsx in the `trackers` folder beside the workbook.

    Importing is idempotent (rows already present are skipped), so the whole folder is
    imported every time; files of other contracts are refused by the import itself.
    """
    folder = (xb.path.parent / TRACKERS_FOLDER).resolve()
    if not folder.is_dir():
        raise UserDataError(
            f"Import trackers reads the advisors' files from the folder {folder}: create it"
            " next to this workbook, put their tracker files in it, then press Import trackers"
            " again (the workbook must be saved on this computer, not only online)"
        )
    files = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
    if not files:
        raise UserDataError(f"there are no .xlsx tracker files in {folder}")
    return files
