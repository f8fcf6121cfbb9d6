"""Does a workbook already show what `calloff validate` would write? Then it need not be saved.

Read from the file itself, never from a note of a previous run (the Excel buttons, another
program or a person may have changed the sheet since): the Issues sheet's values as calamine
reads them, and the Tracker input cells' fills from the worksheet XML and styles.xml. The
comparison follows xlsrc.edges.fileio.issues_writer's rules exactly:
- the Issues table holds one row per issue (one blank row when there are none), each row the
  values of xlsrc.model.writes.issue_values and its link text, nothing below it, and the summary;
- on the Tracker's data rows, a cell an issue points at has the highlight of its severity
  unless the user gave it a fill of their own, and no other input cell has a highlight.
The formatting of an Issues row (its fill, link, height) follows from its values, as the writer
sets them together. Anything unexpected (no Issues sheet or table, an unreadable part) answers
"not shown": the caller then writes, as it always did.
"""

from __future__ import annotations

import re
import zipfile
from typing import TYPE_CHECKING

from defusedxml import ElementTree

from xlsrc.edges.fileio.reader import Book, sheet_xml
from xlsrc.edges.fileio.source import clean
from xlsrc.model import layout
from xlsrc.model.entry import INPUT_COLUMNS
from xlsrc.model.errors import WorkbookFileError
from xlsrc.model.issues import Issue
from xlsrc.model.writes import (
    HIGHLIGHTS,
    cell_position,
    column_number,
    issue_link,
    issue_values,
    tracker_cells,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL = re.compile(rb"<c\s([^>]*?)/?>")  # a cell's attributes, in any order
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_STYLE = re.compile(rb'\ss="([0-9]+)"')

Fill = tuple[str | None, str | None]  # (pattern type, foreground RGB), as openpyxl keys a fill
# openpyxl writes PatternFill("solid", fgColor="F8CBAD") as rgb="00F8CBAD".
HIGHLIGHT_FILLS: dict[str, Fill] = {s: ("solid", "00" + rgb) for s, rgb in HIGHLIGHTS.items()}


def shows_issues(book: Book, issues: list[Issue], summary: str) -> bool:
    """True when writing `issues` and `summary` (and their highlights) would change nothing."""
    try:
        return _issues_sheet_shows(book, issues, summary) and _tracker_shows(book, issues)
    except (WorkbookFileError, KeyError, ValueError, OSError, zipfile.BadZipFile):
        return False


def _issues_sheet_shows(book: Book, issues: list[Issue], summary: str) -> bool:
    if layout.ISSUES_TABLE not in book.table_names:
        return False
    _, rows, first = book.table(layout.ISSUES_TABLE)
    if first != layout.FIRST_DATA_ROW or len(rows) != max(1, len(issues)):
        return False
    grid = book.grid(layout.ISSUES)
    row, column = cell_position(layout.ISSUES_SUMMARY_CELL)
    if _at(grid, row, column) != summary:
        return False
    width = len(layout.ISSUES_HEADERS)
    for n, issue in enumerate(issues):
        link = issue_link(issue)
        expected = [*issue_values(issue), link[0] if link else None]
        if _row(grid, layout.FIRST_DATA_ROW + n, width) != expected:
            return False
    # Nothing below the last issue (with none, the table's one row is blank too).
    return all(
        all(clean(v) is None for v in cells)
        for cells in grid[layout.FIRST_DATA_ROW - 1 + len(issues) :]
    )


def _at(grid: list[list[object]], row: int, column: int) -> object:
    if row - 1 < len(grid) and column - 1 < len(grid[row - 1]):
        return clean(grid[row - 1][column - 1])
    return None


def _row(grid: list[list[object]], row: int, width: int) -> list[object]:
    """A row's values as the writer gave them: None when empty, whole numbers as int."""
    values = [_at(grid, row, c) for c in range(1, width + 1)]
    extra = grid[row - 1][width:] if row - 1 < len(grid) else []
    if any(clean(v) is not None for v in extra):
        values.append("beyond the table")
    return [int(v) if isinstance(v, float) and v.is_integer() else v for v in values]


def _tracker_shows(book: Book, issues: list[Issue]) -> bool:
    _, rows, first = book.table(layout.TRACKER_TABLE)
    last = first + len(rows) - 1
    fills = tracker_fills(book, first, last)
    if fills is None:
        return False
    ours = set(HIGHLIGHT_FILLS.values())
    wanted = tracker_cells(issues)
    for row in range(first, last + 1):
        for column in range(1, len(INPUT_COLUMNS) + 1):
            fill = fills.get((row, column), fills[(0, 0)])
            severity = wanted.get((row, column))
            if severity is None:
                if fill in ours:  # a highlight left from an earlier run
                    return False
            elif (fill in ours or fill[0] is None) and fill != HIGHLIGHT_FILLS[severity]:
                return False
    return True


def tracker_fills(book: Book, first: int, last: int) -> dict[tuple[int, int], Fill] | None:
    """(row, column) -> fill of the Tracker's input cells on rows first..last that the sheet
    XML lists; (0, 0) -> the fill of a cell it does not list (style 0). None if unreadable."""
    part = sheet_xml(book, layout.TRACKER)
    if part is None:
        return None
    with zipfile.ZipFile(book.path) as archive:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    fills_part, xfs = styles.find(f"{_MAIN}fills"), styles.find(f"{_MAIN}cellXfs")
    if fills_part is None or xfs is None:
        return None
    fills = [_fill(f) for f in fills_part.findall(f"{_MAIN}fill")]
    by_style = [fills[int(xf.get("fillId", "0"))] for xf in xfs.findall(f"{_MAIN}xf")]
    found: dict[tuple[int, int], Fill] = {(0, 0): by_style[0]}
    width = len(INPUT_COLUMNS)
    for attrs in _CELL.findall(part):
        ref = _REF.search(attrs)
        if ref is None:  # a cell without its reference: read no further, write as always
            return None
        row, column = int(ref[2]), column_number(ref[1].decode())
        if first <= row <= last and column <= width:
            style = _STYLE.search(attrs)
            found[(row, column)] = by_style[int(style[1])] if style else by_style[0]
    return found


def _fill(element: Element) -> Fill:
    pattern = element.find(f"{_MAIN}patternFill")
    if pattern is None:  # a gradient: some fill, never one of ours
        return ("gradient", None)
    kind = pattern.get("patternType")
    colour = pattern.find(f"{_MAIN}fgColor")
    rgb = colour.get("rgb") if colour is not None else None
    return (None if kind in (None, "none") else kind, rgb)
