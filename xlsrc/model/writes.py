"""What the core asks a workbook to show, as plain data; two sinks apply it.

One description of each result, written by xlsrc.edges.fileio (openpyxl, into a file: the command
line) and by xlsrc.adapters.xl.write (xlwings, into the open workbook: the buttons): the Issues
rows and
their links, which Tracker cells to highlight and in what colour, a new Tracker row, an Audit
row, and a whole sheet (the monthly return): values, styles, merges, sizes and print set-up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from xlsrc.model import layout, palette
from xlsrc.model.entry import INPUT_COLUMNS, Entry
from xlsrc.model.issues import Issue
from xlsrc.model.rules import FORMULA_UNCOMPUTED

# The fill each severity gives its cells (RGB): red for an error, amber for a warning.
HIGHLIGHTS: dict[str, str] = {"error": palette.RED, "warning": palette.AMBER}


def column_letter(number: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """ "A" -> 1, "AA" -> 27."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def cell_position(address: str) -> tuple[int, int]:
    """ "B3" -> (3, 2)."""
    letters = address.rstrip("0123456789")
    return int(address[len(letters) :]), column_number(letters)


# The Issues table.


def issue_values(issue: Issue) -> tuple[object, ...]:
    """An Issues table row without its link: severity, code, sheet, row, column, value, message."""
    return (
        issue.severity,
        issue.code,
        issue.sheet,
        issue.row or None,
        issue.column or None,
        _display(issue.value),
        issue.message,
    )


def issue_link(issue: Issue) -> tuple[str, str] | None:
    """(text shown, link location) of the issue's cell, e.g. ("Tracker!C12", "'Tracker'!C12")."""
    if not issue.row:
        return None
    ref = f"{_letter(issue)}{issue.row}"
    quoted = "'" + issue.sheet.replace("'", "''") + "'"
    return f"{issue.sheet}!{ref}", f"{quoted}!{ref}"


def _letter(issue: Issue) -> str:
    """Column letter of the issue's cell (column A when the issue is about the whole row)."""
    if issue.code == FORMULA_UNCOMPUTED.code:  # a formula anywhere: its column's letters
        return issue.column
    if issue.sheet == layout.TRACKER and issue.column in INPUT_COLUMNS:
        return column_letter(INPUT_COLUMNS.index(issue.column) + 1)
    if issue.sheet == layout.CONTRACT:  # the Decisions table's columns, or Rates[From] ...
        rates = [f"{layout.RATES_TABLE}[{h}]" for h in layout.RATE_HEADERS]
        for headers in (list(layout.DECISION_COLUMNS), rates):
            if issue.column in headers:
                return column_letter(headers.index(issue.column) + 1)
    return "A"


def _display(value: object) -> object:
    """The offending value as text, dates as people type them."""
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# The Tracker's highlights.


def tracker_cells(issues: list[Issue]) -> dict[tuple[int, int], str]:
    """(row, column) of each Tracker cell an issue points at, with the worst severity there."""
    worst: dict[tuple[int, int], str] = {}
    for issue in issues:
        if issue.sheet != layout.TRACKER:
            continue
        for column in _columns(issue.column):
            if worst.get((issue.row, column)) != "error":
                worst[(issue.row, column)] = issue.severity
    return worst


def _columns(header: str) -> list[int]:
    """Worksheet columns an issue points at: its own, or every input column for the row."""
    if header in INPUT_COLUMNS:
        return [INPUT_COLUMNS.index(header) + 1]
    return list(range(1, len(INPUT_COLUMNS) + 1))


# A new Tracker row, an Audit row.


def entry_values(entry: Entry) -> dict[str, object]:
    days = entry.days
    return {
        "Date": entry.date,
        "Advisor": entry.advisor,
        "Area": entry.area,
        "Activity": entry.activity,
        "Outcomes": entry.outcomes_text or None,
        "Days": int(days) if days == days.to_integral_value() else float(days),
        "Notes": entry.notes or None,
    }


# A sheet drawn as plain data (the monthly return).


@dataclass(frozen=True)
class Font:
    """A cell's font, as far as it differs from the workbook's: None leaves a property as it
    is; False says "not bold" (or italic) outright."""

    bold: bool | None = None
    italic: bool | None = None
    size: float | None = None
    color: str | None = None  # RGB


@dataclass(frozen=True)
class Align:
    horizontal: str | None = None  # "left", ...; None: Excel's general alignment
    vertical: str | None = None  # "top", "center"
    wrap: bool | None = None
    indent: int = 0


@dataclass(frozen=True)
class Style:
    """How a cell looks: font, fill (RGB, solid), alignment, number format; None: as it is."""

    font: Font | None = None
    fill: str | None = None
    align: Align | None = None
    number_format: str | None = None


# Every printed sheet's margins, in inches: left and right, top and bottom, header and footer.
SIDE_MARGIN, TOP_MARGIN, HEADER_MARGIN = 0.4, 0.75, 0.3


@dataclass(frozen=True)
class Page:
    """How a sheet prints: A4, fitted to one page across, the security marking in the header,
    the contract and sheet in the footer, page numbers."""

    landscape: bool
    marking: str
    contract_id: str
    area: str  # the print area, e.g. "A1:F120"
    row_breaks: tuple[int, ...] = ()  # rows after which a printed page ends
    seal: str = ""  # an issued return's seal, in the middle of every page's footer


@dataclass(frozen=True)
class SheetPicture:
    """A whole sheet as plain data: values row by row from A1 (data, never formulas), each
    styled cell's Style keyed by (row, column), merged blocks (first row, first column, last
    row, last column), column widths (in characters, by letter), row heights (points), the
    print set-up, and whether the sheet is protected. Both sinks apply all of it:
    xlsrc.edges.fileio.sheet_writer (openpyxl) and xlsrc.adapters.xl.write (xlwings)."""

    name: str
    rows: list[list[object]]
    styles: dict[tuple[int, int], Style] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    column_widths: dict[str, float] = field(default_factory=dict)
    row_heights: dict[int, float] = field(default_factory=dict)
    page: Page | None = None
    protected: bool = False
