"""How much room a cell's text takes: widths from Carlito's real advance widths (the metric
twin of Calibri, the workbook's font), lines as a spreadsheet wraps them, row heights and
column widths in the units a sheet stores (points, and Excel's character widths).

Pure arithmetic over plain data (xlsrc.model.font_metrics): the builders, the writers and the
return's description all size rows and columns with it, so that nothing prints over the
next row and nothing is cut at a cell's edge. Measurements err a little large: a row a few
points too tall reads fine; one a point too short cuts a line.
"""

from __future__ import annotations

import math

from xlsrc.model import font_metrics

DEFAULT_SIZE = 11.0
DEFAULT_ROW_PT = 15.0  # a sheet's default row: one line of 11 pt
# Excel's column width unit: the widest digit of 11 pt Calibri, 7 px at 96 dpi; a width of w
# characters is w * 7 + 5 px (the 5 px are the cell's padding), 0.75 pt a pixel.
DIGIT_PX = 7
PADDING_PX = 5
PT_PER_PX = 0.75
# The text inside a cell keeps clear of its borders: about 2 px each side, and a margin for
# the renderer's rounding (LibreOffice lays text out at its own resolution).
INSIDE_PT = 4.0
SAFETY = 1.06
_LINE_EM = (font_metrics.REGULAR_ASCENDER + font_metrics.REGULAR_DESCENDER) / (
    font_metrics.REGULAR_UNITS_PER_EM
)
_ROW_PADDING_PT = 3.0
_FALLBACK = font_metrics.REGULAR["W"]  # a character not in the table: as wide as a W


def text_width(text: str, size: float = DEFAULT_SIZE, bold: bool = False) -> float:
    """The width of `text` on one line, in points."""
    table = font_metrics.BOLD if bold else font_metrics.REGULAR
    units = font_metrics.BOLD_UNITS_PER_EM if bold else font_metrics.REGULAR_UNITS_PER_EM
    return sum(table.get(ch, _FALLBACK) for ch in text) * size / units * SAFETY


def column_points(width: float) -> float:
    """The room for text in a column `width` characters wide, in points."""
    return max(0.0, (width * DIGIT_PX + PADDING_PX) * PT_PER_PX - INSIDE_PT)


def column_width_for(points: float) -> float:
    """The column width (characters) that leaves room for `points` of text."""
    return math.ceil(((points + INSIDE_PT) / PT_PER_PX - PADDING_PX) / DIGIT_PX * 4) / 4


def line_height(size: float = DEFAULT_SIZE) -> float:
    return size * _LINE_EM


def row_height(lines: int, size: float = DEFAULT_SIZE) -> float:
    """The row height (points) that shows `lines` lines of `size` text whole."""
    needed = lines * line_height(size) + _ROW_PADDING_PT
    return max(DEFAULT_ROW_PT if size <= DEFAULT_SIZE else 0.0, math.ceil(needed / 0.75) * 0.75)


def wrapped_lines(text: str, points: float, size: float = DEFAULT_SIZE, bold: bool = False) -> int:
    """How many lines `text` takes wrapped to `points` wide, as a spreadsheet wraps it: at
    spaces and line breaks, a word wider than the line broken wherever it must be."""
    if points <= 0:
        return max(1, text.count("\n") + 1)
    space = text_width(" ", size, bold)
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0.0
        for word in paragraph.split(" "):
            width = text_width(word, size, bold)
            if used and used + space + width > points:
                lines, used = lines + 1, 0.0
            if width > points:  # broken inside the word
                extra = math.ceil(width / points) - 1
                lines += extra
                width -= extra * points
            used = used + space + width if used else width
        total += lines
    return max(1, total)


def longest_word(text: str, size: float = DEFAULT_SIZE, bold: bool = False) -> float:
    """The width of the widest word of `text`, in points (a wrapped column's least width)."""
    return max((text_width(w, size, bold) for w in text.split()), default=0.0)
