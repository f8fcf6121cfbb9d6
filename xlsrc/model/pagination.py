"""Where a printed sheet's pages end, chosen so that no heading is left alone at a page's foot.

Neither Excel nor LibreOffice knows "keep with next": each breaks a page where the rows run out
of room, so a section title, an outcome's heading or a table's header row can print as the last
line of a page with its first line on the next. A sheet that knows its row heights (the returns
do: xlsrc.model.textfit sizes every row) can place the breaks itself: fill each page, and when
the next row does not fit, end the page before the run of headings that leads into that row.

The page's room is A4 less the margins, divided by the fit-to-width scale both programs apply
(columns wider than the paper are shrunk, so more rows fit on a page). A small allowance keeps
every chosen break ahead of the program's own, which would otherwise come first and leave a
short page behind it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

from xlsrc.model import textfit

A4_POINTS = (595.0, 842.0)  # width, height, portrait
POINTS_PER_INCH = 72.0
ALLOWANCE = 0.95  # of a page's room: rounding in either program's scale and row heights


def fit_scale(column_widths: Collection[float], side_margin: float, *, landscape: bool) -> float:
    """The zoom a program applies to print `column_widths` (characters) one page wide: whole
    per cent, never above 100 (Excel floors its fit-to-width zoom to a whole per cent)."""
    paper = A4_POINTS[1] if landscape else A4_POINTS[0]
    room = paper - 2 * side_margin * POINTS_PER_INCH
    # A column `w` characters wide is w * 7 + 5 pixels of Calibri 11 at 96 dpi, 0.75 pt each.
    wide = sum(
        (w * textfit.DIGIT_PX + textfit.PADDING_PX) * textfit.PT_PER_PX for w in column_widths
    )
    if wide <= room:
        return 1.0
    return math.floor(room / wide * 100) / 100


def page_room(scale: float, top_margin: float, *, landscape: bool) -> float:
    """Points of rows (at 100%) that one page holds between its top and bottom margins."""
    paper = A4_POINTS[0] if landscape else A4_POINTS[1]
    return (paper - 2 * top_margin * POINTS_PER_INCH) / scale * ALLOWANCE


def page_breaks(
    heights: Mapping[int, float],
    first: int,
    last: int,
    room: float,
    keep_with_next: Collection[int] = (),
) -> list[int]:
    """The rows (1-based) after which a page ends, printing rows `first`..`last`.

    `heights` gives each row's height in points (a row not given is a default row);
    `keep_with_next` holds the rows that must print on the same page as the row after them.
    Where a run of such rows is taller than a page, the page ends where it must."""

    def height(r: int) -> float:
        return heights.get(r, textfit.DEFAULT_ROW_PT)

    breaks: list[int] = []
    start, used, r = first, 0.0, first
    while r <= last:
        if used + height(r) <= room or r == start:
            used += height(r)
            r += 1
            continue
        end = r - 1  # the last row that fits; step back over the headings leading into r
        while end >= start and end in keep_with_next:
            end -= 1
        if end < start:  # the page is all headings: break where the room runs out
            end = r - 1
        breaks.append(end)
        start = end + 1
        used = sum(height(row) for row in range(start, r))
    return breaks
