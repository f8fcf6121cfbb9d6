"""What one Tracker entry is: plain data, no Excel.

The first seven columns are what people type; the last two are formulas the workbook owns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xlsrc.model.errors import WorkbookFileError

INPUT_COLUMNS: tuple[str, ...] = (
    "Date",
    "Advisor",
    "Area",
    "Activity",
    "Outcomes",
    "Days",
    "Notes",
)
FORMULA_COLUMNS: tuple[str, ...] = ("Month", "Cost")
ALL_COLUMNS: tuple[str, ...] = INPUT_COLUMNS + FORMULA_COLUMNS
ALLOWED_DAYS: tuple[Decimal, ...] = (Decimal("0.5"), Decimal("1"))
OUTCOME_SEPARATOR = ","


@dataclass(frozen=True)
class Entry:
    """One delivered piece of work. `row` is the worksheet row it came from (0 when none)."""

    date: dt.date
    advisor: str
    area: str  # the area's short name, as typed in the Tracker
    activity: str
    days: Decimal
    outcomes: tuple[str, ...] = ()
    notes: str = ""
    row: int = 0
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def outcomes_text(self) -> str:
        return ", ".join(self.outcomes)


@dataclass(frozen=True)
class RawRow:
    """One Tracker row exactly as read from a file, before any checking.

    `values` maps each column header to the cell's value as the reader gave it (date/datetime,
    int/float, str, bool or None). `row` is the 1-based worksheet row.
    """

    sheet: str
    row: int
    values: dict[str, object]

    def is_blank(self) -> bool:
        return all(
            v is None or (isinstance(v, str) and not v.strip()) for v in self.values.values()
        )


def split_outcomes(text: str) -> tuple[str, ...]:
    """'OX-PA3, OX-0' -> ('OX-PA3', 'OX-0'); semicolons accepted too, blanks dropped."""
    parts = text.replace(";", OUTCOME_SEPARATOR).split(OUTCOME_SEPARATOR)
    return tuple(p.strip() for p in parts if p.strip())


@dataclass(frozen=True)
class TableShape:
    """What the Tracker table's cells cannot show: rows typed below the table (no formula
    counts them) and Month/Cost cells whose formula was replaced by a typed value."""

    last_row: int  # the table's last worksheet row
    below: list[RawRow] = field(default_factory=list)
    overwritten: list[tuple[int, str, object]] = field(default_factory=list)  # row, column, value

    @property
    def sound(self) -> bool:
        return not self.below and not self.overwritten


def tracker_columns_damaged(path: object, headers: list[str]) -> str:
    """The message for a Tracker table whose columns are not the layout's (names, order)."""
    what = columns_damaged([str(h) for h in headers], ALL_COLUMNS)
    return (
        f"{path}: the Tracker table's columns are damaged ({what}): they must"
        f" be {', '.join(ALL_COLUMNS)}; nothing was written. Take the Tracker from a backup or"
        " rebuild the workbook and fill it again"
    )


# Every other table calloff reads by heading or writes by position: its columns are the
# layout's. A table whose columns were deleted, renamed or moved would take values under the
# wrong heading, so it is refused in one line naming what is missing; a file is saved only
# after every write, so nothing is written.


def columns_damaged(headers: Sequence[str], expected: Sequence[str]) -> str:
    """What is wrong with `headers` (missing, unknown, out of order), or "" when they match."""
    if list(headers) == list(expected):
        return ""
    missing = [c for c in expected if c not in headers]
    extra = [str(h) for h in headers if h not in expected]
    parts = [
        f"missing {', '.join(missing)}" if missing else "",
        f"not one of its columns: {', '.join(extra)}" if extra else "",
    ]
    return "; ".join(p for p in parts if p) or "out of order"


def check_table_columns(
    ws: Any, table: str, expected: Sequence[str], *, remedy: str = "", older: bool = False
) -> None:
    """WorkbookFileError unless the sheet's table `table` has exactly the columns `expected`
    (`older`: or their first ones, as a workbook built before the last were added has)."""
    found = ws.tables.get(table)
    if found is None:
        raise WorkbookFileError(
            f"sheet {ws.title} has no table named {table!r}; nothing was written."
            f" {remedy or 'Rebuild the workbook, or take the sheet from a backup'}"
        )
    if not found.tableColumns:
        return  # a table built just now: openpyxl names its columns from the header on save
    headers = [str(c.name) for c in found.tableColumns]
    what = columns_damaged(headers, expected)
    if older and headers and headers == list(expected[: len(headers)]):
        what = ""
    if what:
        raise WorkbookFileError(
            f"sheet {ws.title}: the {table} table's columns are damaged ({what}): they must be"
            f" {', '.join(expected)}; nothing was written."
            f" {remedy or 'Rebuild the workbook, or take the sheet from a backup'}"
        )


def damaged_table(where: str, table: str, what: str) -> str:
    """The one line for a table read in a damaged state (`where`: the file and sheet)."""
    return (
        f"{where}: the {table} table's columns are damaged ({what}); nothing was written."
        " Rebuild the workbook, or take the sheet from a backup"
    )


def check_widths(where: str, table: str, headers: Sequence[str], data: Sequence[Sequence[object]],
                 expected: Sequence[str] = ()) -> None:  # fmt: skip
    """A table whose named columns do not span its cells (a column deleted from the table's
    definition, not from the sheet) is damaged: refused, naming what is missing if known."""
    wrong = next((r for r in data if len(r) != len(headers)), None)
    if wrong is None:
        return
    missing = [c for c in expected if c not in headers]
    what = (
        f"missing {', '.join(missing)}"
        if missing
        else f"{len(headers)} named columns over {len(wrong)} columns of cells"
    )
    raise WorkbookFileError(damaged_table(where, table, what))


class TableRow(dict[str, object]):
    """One table row by heading; asking for a heading the table lacks is a damaged table."""

    def __init__(self, where: str, table: str, items: Iterable[tuple[str, object]]) -> None:
        super().__init__(items)
        self._where, self._table = where, table

    def __missing__(self, key: str) -> object:
        raise WorkbookFileError(damaged_table(self._where, self._table, f"missing {key}"))
