"""Look and print: one palette, number formats and page setup shared by every sheet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import column_index_from_string, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.edges.workbook.cells import put
from xlsrc.model import textfit
from xlsrc.model.palette import AMBER, GREEN, NAVY, RED, WHITE
from xlsrc.model.palette import DATE as DATE
from xlsrc.model.palette import DAYS as DAYS
from xlsrc.model.palette import GBP as GBP
from xlsrc.model.palette import GBP_NEG as GBP_NEG
from xlsrc.model.palette import INT as INT
from xlsrc.model.palette import MONTH as MONTH
from xlsrc.model.palette import PCT as PCT
from xlsrc.model.writes import HEADER_MARGIN, SIDE_MARGIN, TOP_MARGIN

DEFAULT_WIDTH = 8.43  # a column whose width is not set, in characters
FONT = "Calibri"  # the workbook's font; Carlito, its metric twin, where Calibri is absent
TITLE = Font(name=FONT, bold=True, size=14, color=NAVY)
SUBTITLE = Font(name=FONT, italic=True, size=9, color="595959")
BOLD = Font(name=FONT, bold=True, size=11)
HEADER_FONT = Font(name=FONT, bold=True, size=11, color=WHITE)
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: you may type here
CALC_FILL = PatternFill("solid", fgColor="F2F2F2")  # grey: a formula owns this cell
MUTED_FILL = PatternFill("solid", fgColor="D9D9D9")
RED_FILL = PatternFill("solid", fgColor=RED)
AMBER_FILL = PatternFill("solid", fgColor=AMBER)
GREEN_FILL = PatternFill("solid", fgColor=GREEN)

# Conditional-format fills ("marks"). A differential fill takes its colour from bgColor, as
# Excel writes it; a solid fgColor fill shows in LibreOffice but not in Excel.
RED_MARK = PatternFill(bgColor="FFF8CBAD")
AMBER_MARK = PatternFill(bgColor="FFFFE699")
GREEN_MARK = PatternFill(bgColor="FFC6EFCE")
MUTED_MARK = PatternFill(bgColor="FFD9D9D9")

THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)


def title(ws: Worksheet, text: str, subtitle: str) -> None:
    # Titles quote the terms (contract title, area names): data, never a formula.
    put(ws, 1, 1, text).font = TITLE
    put(ws, 2, 1, subtitle).font = SUBTITLE


def header_row(ws: Worksheet, row: int, headers: list[str], start_col: int = 1) -> None:
    for offset, text in enumerate(headers):
        cell = put(ws, row, start_col + offset, text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[row].height = 30


def input_cell(cell: Any, number_format: str | None = None) -> None:
    cell.fill = INPUT_FILL
    cell.protection = UNLOCKED
    cell.border = BOX
    if number_format:
        cell.number_format = number_format


def calc_cell(cell: Any, number_format: str | None = None) -> None:
    cell.fill = CALC_FILL
    cell.protection = LOCKED
    cell.border = BOX
    if number_format:
        cell.number_format = number_format


def widths(ws: Worksheet, columns: Mapping[str, float]) -> None:
    for letter, width in columns.items():
        ws.column_dimensions[letter].width = width


def protect(ws: Worksheet) -> None:
    """Guard formulas against slips (not security: there is no password).

    Filtering, sorting and resizing stay allowed so the sheet is still pleasant to use.
    """
    p = ws.protection
    p.sheet = True
    p.autoFilter = False
    p.sort = False
    p.formatColumns = False
    p.formatRows = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


def print_setup(
    ws: Worksheet,
    *,
    landscape: bool,
    title_rows: str | None,
    marking: str,
    contract_id: str,
    fit_width: int = 1,
    title_cols: str | None = None,
    seal: str = "",
) -> None:
    """A4, fitted to `fit_width` pages across, repeating headers, marking on every page (an
    issued return: its seal in the middle of every page's footer)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = fit_width
    ws.page_setup.fitToHeight = 0
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN
    ws.page_margins.top = ws.page_margins.bottom = TOP_MARGIN
    ws.page_margins.header = ws.page_margins.footer = HEADER_MARGIN
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.oddHeader.center.text = marking
    ws.oddHeader.center.font = "Arial,Bold"
    ws.oddFooter.left.text = f"{contract_id} · &A"
    ws.oddFooter.right.text = "Page &P of &N"
    if seal:
        ws.oddFooter.center.text = seal.replace("&", "&&")


def fit_height(ws: Worksheet, row: int) -> None:
    """Make a row tall enough for its text (neither Excel nor LibreOffice re-fits rows written
    by openpyxl): each text cell measured in the font's real widths (xlsrc.model.textfit),
    wrapped to its column (or merged columns); text that would run into a filled neighbour is
    wrapped rather than cut. A row only grows."""
    fit_rows(ws, [row])


def fit_rows(ws: Worksheet, rows: Iterable[int] | None = None) -> None:
    """fit_height for `rows` (every row with a cell when None)."""
    spans = _merged_spans(ws)
    widths = _column_widths(ws)
    wanted = set(rows) if rows is not None else None
    for cells in ws.iter_rows():
        if not cells:
            continue
        r = cells[0].row
        if wanted is not None and r not in wanted:
            continue
        needed = 0.0
        for cell in cells:
            needed = max(needed, _needed_height(ws, cell, spans, widths))
        current = ws.row_dimensions[r].height if r in ws.row_dimensions else None
        if needed > (current or textfit.DEFAULT_ROW_PT):
            ws.row_dimensions[r].height = needed


def _merged_spans(ws: Worksheet) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, column) of each merged range's first cell -> (last column, rows spanned); every
    other cell of a range -> (0, 0)."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for merged in ws.merged_cells.ranges:
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                out[(r, c)] = (0, 0)
        out[(merged.min_row, merged.min_col)] = (
            merged.max_col,
            merged.max_row - merged.min_row + 1,
        )
    return out


def _column_widths(ws: Worksheet) -> dict[int, float]:
    """Each column's width (characters; 0 when hidden), ranges of columns included."""
    out: dict[int, float] = {}
    for letter, dim in ws.column_dimensions.items():
        first = dim.min or column_index_from_string(letter)
        for c in range(first, max(dim.max or first, first) + 1):
            out[c] = 0.0 if dim.hidden else (dim.width or DEFAULT_WIDTH)
    return out


def _needed_height(
    ws: Worksheet,
    cell: Cell,
    spans: dict[tuple[int, int], tuple[int, int]],
    widths: dict[int, float],
) -> float:
    """The height `cell`'s text needs (0 when it needs nothing special)."""
    if cell.data_type != "s" or not isinstance(cell.value, str) or not cell.value:
        return 0.0
    last, rows = spans.get((cell.row, cell.column), (cell.column, 1))
    if last == 0 or rows > 1:
        return 0.0  # inside a merged range, or spanning rows: sized by hand
    size = float(cell.font.sz or textfit.DEFAULT_SIZE)
    bold = bool(cell.font.b)
    room = textfit.column_points(
        sum(widths.get(c, DEFAULT_WIDTH) for c in range(cell.column, last + 1))
    )
    text = cell.value
    if not cell.alignment.wrap_text:
        spill = room + _empty_room(ws, cell.row, last, widths)
        if "\n" not in text and textfit.text_width(text, size, bold) <= spill:
            return textfit.row_height(1, size)
        end = _last_column(ws)
        if _free_to_merge(ws, cell.row, last, end):
            # A note above a table, longer than the table is wide: wrapped across its width.
            ws.merge_cells(
                start_row=cell.row, start_column=cell.column, end_row=cell.row, end_column=end
            )
            last = end
            room = textfit.column_points(
                sum(widths.get(c, DEFAULT_WIDTH) for c in range(cell.column, last + 1))
            )
        cell.alignment = Alignment(
            horizontal=cell.alignment.horizontal,
            vertical="top",
            wrap_text=True,
            indent=cell.alignment.indent,
        )
    return textfit.row_height(textfit.wrapped_lines(text, room, size, bold), size)


def _last_column(ws: Worksheet) -> int:
    """The sheet's last column holding something (its tables' width, at least)."""
    last = ws.max_column
    while last > 1 and all(
        ws.cell(r, last).value in (None, "") for r in range(1, min(ws.max_row, 60) + 1)
    ):
        last -= 1
    return last


def _free_to_merge(ws: Worksheet, row: int, column: int, end: int) -> bool:
    """Whether the cells after `column` up to `end` on `row` are empty, outside any table
    (a table holds no merged cells) and not merged already."""
    if end <= column:
        return False
    for table in ws.tables.values():
        _, min_row, _, max_row = range_boundaries(table.ref)
        if min_row <= row <= max_row:
            return False
    if any(m.min_row <= row <= m.max_row for m in ws.merged_cells.ranges if m.min_col > column):
        return False
    return all(ws.cell(row, c).value in (None, "") for c in range(column + 1, end + 1))


def _empty_room(ws: Worksheet, row: int, column: int, widths: dict[int, float]) -> float:
    """The room unwrapped text may spill into right of `column`: the empty cells up to the
    next one that holds something (whose border would cut it), within the sheet's columns."""
    room = 0.0
    for c in range(column + 1, ws.max_column + 1):
        if ws.cell(row, c).value not in (None, ""):
            break
        room += textfit.column_points(widths.get(c, DEFAULT_WIDTH)) + textfit.INSIDE_PT
    return room


def begins_with_rule(first_cell: str, text: str, fill: PatternFill) -> Rule:
    """A "text begins with" highlight, as Excel writes it: type and operator beginsWith, the
    text, and the formula Excel evaluates (relative to the range's first cell)."""
    quoted = '"' + text.replace('"', '""') + '"'
    return Rule(
        type="beginsWith",
        operator="beginsWith",
        text=text,
        formula=[f"LEFT({first_cell},LEN({quoted}))={quoted}"],
        dxf=DifferentialStyle(fill=fill),
    )


def fit_header_words(ws: Worksheet) -> None:
    """Widen any column whose header (a cell in the header fill) holds a word longer than the
    column: wrapped headers then break between words, never inside one ("Severit y")."""
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or cell.fill != HEADER_FILL:
                continue
            size = float(cell.font.sz or textfit.DEFAULT_SIZE)
            needed = textfit.column_width_for(textfit.longest_word(cell.value, size, bold=True))
            dim = ws.column_dimensions[cell.column_letter]
            if ws.merged_cells and any(cell.coordinate in m for m in ws.merged_cells.ranges):
                continue
            if (dim.width or 8.43) < needed:
                dim.width = needed
