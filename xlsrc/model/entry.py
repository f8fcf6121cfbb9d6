"""What one Tracker entry is: plain data, no Excel.

The first seven columns are what people type; the last two are formulas the workbook owns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

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
