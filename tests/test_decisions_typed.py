"""Decisions typed straight into Excel are judged row by row as `calloff decide` judges them,
in the order they were decided: a bad row is the error at its own row, and a good row above
it stays in force (issue 19, item 6)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from xlsrc.actions.validate import validate_workbook
from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.model import layout
from xlsrc.model.rules import AREA_OVER_ALLOCATION, DECISION_BREAKS_RULE

TODAY = dt.date(2026, 11, 25)


def _typed_below(sample: Path, tmp_path: Path, decided: dt.datetime, months: int) -> Path:
    """The sample (break continued, extended 3 months from 1 April 2025) with a second
    extension typed on the next Decisions row."""
    path = Path(shutil.copy(sample, tmp_path / "typed.xlsx"))
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.CONTRACT]
    top = int(ws.tables[layout.DECISIONS_TABLE].ref.split(":")[0][1:]) + 1
    values = {1: decided, 2: "Extend", 3: dt.datetime(2025, 7, 1), 4: months}
    values |= {9: "DfE contract manager", 10: decided}
    for c, value in values.items():
        ws.cell(top + 2, c).value = value
    wb.save(path)
    return path


def _contract_issues(path: Path) -> list[tuple[str, int, str, str]]:
    """The Contract sheet's issues but the sample's standing allocation warning (Oxfordshire:
    51 days against 50), which no decision here changes."""
    report = validate_workbook(path, today=TODAY, write=False)
    return [
        (i.code, i.row, i.column, i.message)
        for i in report.issues
        if i.sheet == layout.CONTRACT and i.code != AREA_OVER_ALLOCATION.code
    ]


@pytest.mark.parametrize(
    "decided",
    [dt.datetime(2025, 3, 1), dt.datetime(2025, 1, 15)],
    ids=["decided-after-the-good-row", "decided-before-the-good-row"],
)
def test_a_bad_row_below_a_good_one_is_the_error_and_the_good_one_stays(sample, tmp_path, decided):
    path = _typed_below(sample, tmp_path, decided, 13)
    top = int(
        openpyxl.load_workbook(path)[layout.CONTRACT]
        .tables[layout.DECISIONS_TABLE]
        .ref.split(":")[0][1:]
    )
    found = _contract_issues(path)
    assert [(code, row, column) for code, row, column, _ in found] == [
        (DECISION_BREAKS_RULE.code, top + 3, "Months")
    ]
    # The good 3-month extension stays in force: the term ends 30 June 2025, so the
    # April-June 2025 entries are inside it.
    data = load_workbook_data(path, listing=True)
    assert data.terms.effective.end == dt.date(2025, 6, 30)
    assert data.terms.effective.extension_months == 3
    report = validate_workbook(path, today=TODAY, write=False)
    assert not [i for i in report.issues if i.code == "DATE-OUTSIDE-TERM"]
    if decided > dt.datetime(2025, 2, 10):  # judged after the 3 months in force: 3 + 13
        assert "makes 16" in found[0][3], found[0][3]
    else:  # judged first, on its own: 13
        assert "makes 13" in found[0][3], found[0][3]


def test_two_good_rows_both_stay(sample, tmp_path):
    path = _typed_below(sample, tmp_path, dt.datetime(2025, 3, 1), 2)
    assert _contract_issues(path) == []
    data = load_workbook_data(path, listing=True)
    assert data.terms.effective.extension_months == 5
