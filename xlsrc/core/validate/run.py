"""Run every tracker rule, in order, and collect all the issues (never stopping at the first).

Per-cell rules (cells.py) judge each distinct cell value once; a row's issues are its cells'
findings. The rows that count (xlsrc.core.tracker.counting) become entries, and the rules that
compare rows (locked months, days per date, duplicates, cap) run on them: they are what every
figure counts. The rules themselves live one family per module; this file only decides the
order.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import compress, repeat
from operator import attrgetter, itemgetter

from xlsrc.core.tracker.counting import CountingRule, Window, day_of, serial
from xlsrc.core.validate.cap import check_cap
from xlsrc.core.validate.cells import CellRules, Verdict
from xlsrc.core.validate.days import check_days_per_date
from xlsrc.core.validate.duplicates import check_duplicates
from xlsrc.core.validate.entries import EntryColumns
from xlsrc.core.validate.locked_months import check_locked
from xlsrc.core.validate.parse import is_blank_row, read_date
from xlsrc.core.validate.table import check_shape
from xlsrc.model.dates import add_months, month_start
from xlsrc.model.entry import INPUT_COLUMNS, Entry, RawRow, TableShape
from xlsrc.model.issues import Issue
from xlsrc.model.terms.models import Terms


@dataclass(frozen=True)
class ValidationResult:
    """`entries`: the rows that count towards spend (xlsrc.core.tracker.counting), in sheet order,
    even when another rule failed on them: exactly what the workbook's formulas count.
    `uncounted`: (sheet, row) of each non-blank row that counts nowhere; each has an error."""

    entries: list[Entry]
    issues: list[Issue]
    uncounted: frozenset[tuple[str, int]] = frozenset()
    # The date of each row with an error, None when its Date cannot be read as one.
    error_dates: dict[tuple[str, int], dt.date | None] = field(default_factory=dict)
    sheets: list[str] = field(default_factory=list)  # each entry's sheet

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def placed(self) -> list[tuple[str, int]]:
        """(sheet, row) of each entry, in order."""
        return [(s, e.row) for s, e in zip(self.sheets, self.entries, strict=True)]

    def error_rows(self) -> set[tuple[str, int]]:
        return {(i.sheet, i.row) for i in self.issues if i.severity == "error"}

    def errors_up_to(self, month: dt.date) -> list[Issue]:
        """The errors that make `month`'s figures or any to date unsafe: on rows dated in or
        before it, or whose date cannot be read (they could belong anywhere)."""
        after = add_months(month_start(month), 1)
        return [
            i
            for i in self.errors
            if (day := self.error_dates.get((i.sheet, i.row))) is None or day < after
        ]


def validate_rows(
    terms: Terms,
    rows: list[RawRow],
    *,
    today: dt.date,
    locked_months: frozenset[dt.date] = frozenset(),
    window: Window | None = None,
    shape: TableShape | None = None,
) -> ValidationResult:
    """`window`: the dates that count (default: the contract term, counting.counting_window).
    `shape`: what the reader found about the table itself (rows below it, formulas typed
    over); its rows below the table count nowhere and are errors."""
    with gc_paused():
        result = _validate(terms, rows, today, locked_months, window)
    if shape is None or shape.sound:
        return result
    below = shape.below
    issues = _in_sheet_order(rows + below, result.issues + check_shape(shape))
    return replace(
        result,
        issues=issues,
        uncounted=result.uncounted | {(r.sheet, r.row) for r in below},
        error_dates=result.error_dates | _dates(below, issues),
    )


_VALUES = attrgetter("values")
_FINDINGS, _COUNTED, _RESOLVED = itemgetter(0), itemgetter(1), itemgetter(2)
_COUNTING = ("Date", "Advisor", "Area", "Activity", "Days")  # the cells counting.py reads


def _validate(
    terms: Terms,
    rows: list[RawRow],
    today: dt.date,
    locked_months: frozenset[dt.date],
    window: Window | None,
) -> ValidationResult:
    rules = CellRules(terms, CountingRule(terms, window), today)
    cells = list(map(_VALUES, rows))
    column = {name: list(map(dict.get, cells, repeat(name))) for name in INPUT_COLUMNS}
    verdicts: dict[str, list[Verdict]] = {
        name: rules.judged[name].column(column[name]) for name in rules.judged
    }
    resolved = {c: list(map(_RESOLVED, verdicts[c])) for c in ("Area", "Activity")}
    verdicts["Outcomes"] = rules.outcomes_column(
        resolved["Area"], resolved["Activity"], column["Outcomes"]
    )
    ordered = [verdicts[name] for name in INPUT_COLUMNS]

    # Rows with anything to report: most rows have nothing, found at C speed.
    n = len(rows)
    dirty: set[int] = set()
    for judged in ordered:
        dirty.update(compress(range(n), map(_FINDINGS, judged)))

    issues: list[Issue] = []
    uncounted: list[int] = []
    for i in sorted(dirty):
        raw = rows[i]
        if is_blank_row(raw):
            uncounted.append(i)
            continue
        for judged in ordered:
            findings, counted, _ = judged[i]
            for rule, col, value, message in findings:
                issues.append(
                    Issue(raw.sheet, raw.row, col, value, rule.code, rule.severity, message)
                )
        if any(verdicts[c][i][1] is None for c in _COUNTING):
            uncounted.append(i)

    counted = {  # in Entry's field order
        "date": list(map(_COUNTED, verdicts["Date"])),
        "advisor": list(map(_COUNTED, verdicts["Advisor"])),
        "area": list(map(_COUNTED, verdicts["Area"])),
        "activity": list(map(_COUNTED, verdicts["Activity"])),
        "days": list(map(_COUNTED, verdicts["Days"])),
        "outcomes": list(map(_COUNTED, verdicts["Outcomes"])),
        "notes": list(map(_COUNTED, verdicts["Notes"])),
        "row": list(map(attrgetter("row"), rows)),
    }
    sheets = list(map(attrgetter("sheet"), rows))
    if uncounted:
        keep = set(range(n)).difference(uncounted)
        mask = [i in keep for i in range(n)]
        counted = {k: list(compress(v, mask)) for k, v in counted.items()}
        sheets = list(compress(sheets, mask))
    entries = list(map(Entry, *counted.values()))
    table = EntryColumns(sheets, entries, _columns(counted))
    issues += check_locked(table, locked_months)
    issues += check_days_per_date(table)
    issues += check_duplicates(table)
    issues += check_cap(terms, table)
    gone = frozenset((rows[i].sheet, rows[i].row) for i in uncounted if not is_blank_row(rows[i]))
    return ValidationResult(
        entries, _in_sheet_order(rows, issues), gone, _dates(rows, issues), sheets
    )


def _dates(rows: list[RawRow], issues: list[Issue]) -> dict[tuple[str, int], dt.date | None]:
    wanted = {(i.sheet, i.row) for i in issues if i.severity == "error"}
    if not wanted:
        return {}
    found: dict[tuple[str, int], dt.date | None] = {}
    for raw in rows:
        if (raw.sheet, raw.row) in wanted:
            value = raw.values.get("Date")
            found[(raw.sheet, raw.row)] = (
                (day_of(number) if (number := serial(value)) is not None else None)
                if not isinstance(value, str)
                else read_date(value)[0]
            )
    return found


def _columns(counted: dict[str, list[object]]) -> dict[str, list[object]]:
    """The fields EntryColumns would otherwise read back from the entries."""
    names = {"date": "dates", "advisor": "advisors", "area": "areas"}
    names |= {"activity": "activities", "days": "days", "row": "rows"}
    return {names[k]: v for k, v in counted.items() if k in names}


def _in_sheet_order(rows: list[RawRow], issues: list[Issue]) -> list[Issue]:
    """By sheet, row, then column left to right; rule order is kept within a cell (stable)."""
    if not issues:
        return []
    sheets = {name: n for n, name in enumerate(dict.fromkeys(r.sheet for r in rows))}
    columns = {name: n for n, name in enumerate(INPUT_COLUMNS)}
    return sorted(
        issues,
        key=lambda i: (sheets.get(i.sheet, 0), i.row, columns.get(i.column, len(columns))),
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Build many small objects without the cyclic collector rescanning them all again and
    again (it doubles the time at 100k rows); none of them form cycles, so nothing leaks."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
