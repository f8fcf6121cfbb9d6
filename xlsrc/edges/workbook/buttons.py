"""The workbook's buttons: which sheet, what they say, the macro each runs, where they sit.

Each button runs one procedure of macros/CalloffButtons.bas, which calls xlwings' RunPython
with one entry point of the Excel adapter (xlsrc/adapters/xl/entry.py). Buttons sit in row 3 of
their sheet (the blank row between the help text and the header row, frozen with it, so
they stay in view), side by side from the first column that scrolls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.model import layout

ADAPTER = "xlsrc.adapters.xl.entry"
ROW = layout.HEADER_ROW - 1
WIDTH_PX = 120
GAP_PX = 8


@dataclass(frozen=True)
class Button:
    sheet: str
    label: str
    macro: str  # a Public Sub in macros/*.bas
    entry: str  # the function of the adapter it runs

    @property
    def command(self) -> str:
        """The Python that RunPython runs."""
        return f"import {ADAPTER} as e; e.{self.entry}()"


BUTTONS = (
    Button(layout.TRACKER, "Validate", "ValidateTracker", "validate"),
    Button(layout.TRACKER, "Import trackers", "ImportTrackers", "import_trackers"),
    Button(layout.BUDGET, "Totals", "ShowTotals", "totals"),
    Button(layout.GUIDE, "Build return", "BuildReturn", "build_return"),
    Button(layout.INVOICES, "Check invoice", "CheckInvoice", "check_invoice"),
    Button(layout.INVOICES, "Record invoice", "RecordInvoice", "record_invoice"),
)


@dataclass(frozen=True)
class Anchor:
    """Where a shape sits: 0-based column/row of its corners, offsets in pixels, and its
    box in points from the sheet's top left (what VML's style wants)."""

    col: int
    col_off: int
    row: int
    row_off: int
    end_col: int
    end_col_off: int
    end_row: int
    end_row_off: int
    left_pt: float
    top_pt: float
    width_pt: float
    height_pt: float

    def vml(self) -> str:
        return ", ".join(
            str(v)
            for v in (
                self.col,
                self.col_off,
                self.row,
                self.row_off,
                self.end_col,
                self.end_col_off,
                self.end_row,
                self.end_row_off,
            )
        )


def column_px(ws: Worksheet, col: int) -> int:
    """Width of a column (1-based) in pixels, as Excel draws it with Calibri 11."""
    dim = ws.column_dimensions.get(get_column_letter(col))
    width = dim.width if dim is not None and dim.customWidth else 8.43
    return int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)


def row_px(ws: Worksheet, row: int) -> int:
    dim = ws.row_dimensions.get(row)
    points = dim.height if dim is not None and dim.height else 15
    return int(points * 4 / 3 + 0.5)


def first_scrolling_column(ws: Worksheet) -> int:
    if not ws.freeze_panes:
        return 1
    letters, _ = coordinate_from_string(ws.freeze_panes)
    return column_index_from_string(letters)


def _locate(ws: Worksheet, x_px: int, measure: Callable[[Worksheet, int], int]) -> tuple[int, int]:
    """(0-based index, offset px) of the cell holding pixel x_px, counting from cell 1."""
    index, left = 1, 0
    while left + measure(ws, index) <= x_px:
        left += measure(ws, index)
        index += 1
    return index - 1, x_px - left


def place(ws: Worksheet, buttons: list[Button]) -> list[Anchor]:
    """Anchors for `buttons` on `ws`, left to right in row ROW."""
    first = first_scrolling_column(ws)
    x = sum(column_px(ws, c) for c in range(1, first))
    y = sum(row_px(ws, r) for r in range(1, ROW))
    height = row_px(ws, ROW)
    anchors = []
    for _ in buttons:
        col, col_off = _locate(ws, x, column_px)
        end_col, end_col_off = _locate(ws, x + WIDTH_PX, column_px)
        row, row_off = _locate(ws, y, row_px)
        end_row, end_row_off = _locate(ws, y + height, row_px)
        anchors.append(
            Anchor(
                col,
                col_off,
                row,
                row_off,
                end_col,
                end_col_off,
                end_row,
                end_row_off,
                left_pt=x * 0.75,
                top_pt=y * 0.75,
                width_pt=WIDTH_PX * 0.75,
                height_pt=height * 0.75,
            )
        )
        x += WIDTH_PX + GAP_PX
    return anchors


def by_sheet() -> dict[str, list[Button]]:
    out: dict[str, list[Button]] = {}
    for button in BUTTONS:
        out.setdefault(button.sheet, []).append(button)
    return out
