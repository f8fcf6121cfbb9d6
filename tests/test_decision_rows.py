"""Decisions and Rates rows typed straight into the workbook: Validate lists each broken one
on the Issues sheet (and leaves it out of the term in force); every other command refuses the
workbook with the row's place and says to run Validate."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from xlsrc.actions.totals import workbook_totals
from xlsrc.actions.validate import validate_workbook
from xlsrc.model import layout
from xlsrc.model.errors import TermsError
from xlsrc.model.rules import (
    AREA_OVER_ALLOCATION,
    DECISION_BREAKS_RULE,
    DECISION_INVALID,
    RATE_LINE_INVALID,
)

TODAY = dt.date(2026, 11, 25)


def _tops(ws) -> tuple[int, int]:
    """First data row of the Decisions table and of the Rates table's typed lines."""
    decisions = int(ws.tables[layout.DECISIONS_TABLE].ref.split(":")[0][1:]) + 1
    rates = int(ws.tables[layout.RATES_TABLE].ref.split(":")[0][1:]) + 2
    return decisions, rates


@pytest.fixture
def typed(sample, tmp_path) -> Path:
    """The sample (continued past the break, extended 3 months: rows 1 and 2 of Decisions)
    with three rows broken by hand."""
    path = Path(shutil.copy(sample, tmp_path / "typed.xlsx"))
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.CONTRACT]
    top, rates = _tops(ws)
    ws.cell(top + 1, 4).value = 13  # the extension: 13 months, over the maximum of 12
    for c, value in enumerate((dt.datetime(2025, 1, 1), "End early"), start=1):
        ws.cell(top + 2, c).value = value  # no Takes effect, no role
    ws.cell(rates, 1).value = dt.datetime(2024, 4, 1)  # a From with no rate
    wb.save(path)
    return path


def test_validate_lists_each_broken_row_and_leaves_it_out(typed):
    wb = openpyxl.load_workbook(typed)
    top, rates = _tops(wb[layout.CONTRACT])
    report = validate_workbook(typed, today=TODAY)
    contract = [(i.code, i.row, i.column) for i in report.issues if i.sheet == layout.CONTRACT]
    assert sorted(contract) == sorted(
        [
            (DECISION_BREAKS_RULE.code, top + 1, "Months"),
            (DECISION_INVALID.code, top + 2, "Takes effect"),
            (DECISION_INVALID.code, top + 2, "Decided by (role)"),
            (RATE_LINE_INVALID.code, rates, "Rates[Day rate]"),
        ]
    )
    # The 13-month extension is left out: work after the completion date is outside the term.
    outside = {i.row for i in report.issues if i.code == "DATE-OUTSIDE-TERM"}
    assert len(outside) == 16
    saved = openpyxl.load_workbook(typed)
    listed = [
        r
        for r in saved[layout.ISSUES].iter_rows(min_row=5, values_only=True)
        if r[2] == layout.CONTRACT
    ]
    assert {(r[1], r[3], r[7]) for r in listed} >= {
        (DECISION_BREAKS_RULE.code, top + 1, f"{layout.CONTRACT}!D{top + 1}"),
        (RATE_LINE_INVALID.code, rates, f"{layout.CONTRACT}!B{rates}"),
    }
    cached = openpyxl.load_workbook(typed, data_only=True)
    checks = cached[layout.CHECKS]
    by_name = {row[3]: row[2] for row in checks.iter_rows(values_only=True) if row[3]}
    assert by_name["CheckContractRows"] is False and by_name["MasterCheck"] is False


def test_other_commands_refuse_with_the_place_and_say_run_validate(typed):
    with pytest.raises(TermsError) as err:
        workbook_totals(typed, today=TODAY)
    text = str(err.value)
    assert "Decisions table row" in text and "Run Validate" in text


def test_a_put_right_row_counts_again_and_the_check_clears(typed):
    validate_workbook(typed, today=TODAY)
    wb = openpyxl.load_workbook(typed)
    ws = wb[layout.CONTRACT]
    top, rates = _tops(ws)
    ws.cell(top + 1, 4).value = 3
    for c in range(1, 12):
        ws.cell(top + 2, c).value = None
    ws.cell(rates, 1).value = None
    wb.save(path := typed)
    report = validate_workbook(path, today=TODAY)
    # The sample's allocation warning (Oxfordshire: 51 days against 50) stands; nothing else.
    on_contract = [i.code for i in report.issues if i.sheet == layout.CONTRACT]
    assert on_contract == [AREA_OVER_ALLOCATION.code]
    assert not [i for i in report.issues if i.code == "DATE-OUTSIDE-TERM"]
    cached = openpyxl.load_workbook(path, data_only=True)
    by_name = {r[3]: r[2] for r in cached[layout.CHECKS].iter_rows(values_only=True) if r[3]}
    assert by_name["CheckContractRows"] is True and by_name["MasterCheck"] is True
