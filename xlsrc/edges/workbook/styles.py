"""Look and print: one palette, number formats and page setup shared by every sheet."""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.edges.workbook.cells import put
from xlsrc.model.palette import AMBER, GREEN, NAVY, RED, WHITE
from xlsrc.model.palette import DATE as DATE
from xlsrc.model.palette import DAYS as DAYS
from xlsrc.model.palette import GBP as GBP
from xlsrc.model.palette import GBP_NEG as GBP_NEG
from xlsrc.model.palette import INT as INT
from xlsrc.model.palette import MONTH as MONTH
from xlsrc.model.palette import PCT as PCT
from xlsrc.model.writes import HEADER_MARGIN, SIDE_MARGIN, TOP_MARGIN

TITLE = Font(bold=True, size=14, color=NAVY)
SUBTITLE = Font(italic=True, size=9, color="595959")
BOLD = Font(bold=True)
HEADER_FONT = Font(bold=True, color=WHITE)
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


def input_cell(cell, number_format: str | None = None) -> None:
    cell.fill = INPUT_FILL
    cell.protection = UNLOCKED
    cell.border = BOX
    if number_format:
        cell.number_format = number_format


def calc_cell(cell, number_format: str | None = None) -> None:
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
) -> None:
    """A4, fitted to `fit_width` pages across, repeating headers, marking on every page."""
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


def fit_height(ws: Worksheet, row: int, line_height: float = 13.0) -> None:
    """Set a row tall enough for its wrapped text (neither Excel nor LibreOffice re-fits rows
    written by openpyxl). Estimates characters per line from each column's width."""
    lines = 1
    for cell in ws[row]:
        if not isinstance(cell.value, str) or cell.value.startswith("="):
            continue
        width = ws.column_dimensions[cell.column_letter].width or 8.43
        per_line = max(1, int(width * 1.1))
        needed = sum(max(1, -(-len(part) // per_line)) for part in cell.value.split("\n"))
        lines = max(lines, needed)
    if lines > 1:
        ws.row_dimensions[row].height = lines * line_height


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
            longest = max((len(word) for word in cell.value.split()), default=0)
            needed = round(longest * 1.4 + 2, 1)  # bold letters are wider than the width unit
            dim = ws.column_dimensions[cell.column_letter]
            if ws.merged_cells and any(cell.coordinate in m for m in ws.merged_cells.ranges):
                continue
            if (dim.width or 8.43) < needed:
                dim.width = needed
