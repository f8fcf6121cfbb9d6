"""Dates that make sense: a decision (and its notice) on or after the order date and not after
today (the command's clock); an early end on or after the day it is decided; contradictory
decisions refused with both rows named; the workbook unchanged by a refusal."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from xlsrc.actions.decide import DecisionRefused, decide
from xlsrc.actions.validate import validate_workbook
from xlsrc.model import layout
from xlsrc.model.rules import DECISION_BREAKS_RULE

TODAY = dt.date(2026, 11, 25)
BY = "DfE contract manager"


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        (
            {"kind": "extend", "months": 1, "decided": "2023-01-01", "notice": "2023-01-01"},
            "01/01/2023 is before the order date, 12/10/2023",
        ),
        (
            {"kind": "extend", "months": 1, "decided": "2027-01-05", "notice": "2025-05-01"},
            "05/01/2027 is after today (25/11/2026)",
        ),
        (
            {"kind": "end-early", "effective": "2025-04-10", "decided": "2025-04-20"},
            "an early end takes effect on or after the day it is decided (20/04/2025)",
        ),
        (  # a second break decision, and the extension decided after the end it makes
            {"kind": "terminate-at-break", "decided": "2024-02-01"},
            "the break was already decided",
        ),
        (
            {
                "kind": "days-per-month",
                "days_per_month": "4",
                "effective": "2025-09-01",
                "decided": "2025-05-01",
            },
            "after the contract ended",
        ),
    ],
)
def test_a_decision_dated_without_sense_is_refused_and_nothing_written(
    sample: Path, tmp_path: Path, fields: dict[str, object], said: str
) -> None:
    path = Path(shutil.copy(sample, tmp_path / "w.xlsx"))
    if fields["kind"] == "days-per-month":  # first end the contract early, then contradict it
        decide(
            path,
            {
                "kind": "end-early",
                "effective": dt.date(2025, 5, 31),
                "decided": dt.date(2025, 4, 30),
                "by": BY,
            },
            today=TODAY,
        )
    before = path.read_bytes()
    parsed = {
        k: dt.date.fromisoformat(v) if k in ("decided", "notice", "effective") else v
        for k, v in fields.items()
    }
    with pytest.raises(DecisionRefused) as refused:
        decide(path, {**parsed, "by": BY}, today=TODAY)
    assert said in str(refused.value)
    assert path.read_bytes() == before


def test_contradictory_decisions_name_both_rows(sample: Path, tmp_path: Path) -> None:
    path = Path(shutil.copy(sample, tmp_path / "w.xlsx"))
    with pytest.raises(DecisionRefused) as refused:
        decide(
            path,
            {"kind": "terminate-at-break", "decided": dt.date(2024, 2, 1), "by": BY},
            today=TODAY,
        )
    wb = openpyxl.load_workbook(path)
    top = int(wb[layout.CONTRACT].tables[layout.DECISIONS_TABLE].ref.split(":")[0][1:]) + 1
    text = str(refused.value)
    assert f"Decisions table row {top}," in text  # the continue decision, contradicted
    assert "this decision: Terminate at the break" in text


def test_validate_reports_a_typed_decision_dated_after_today(sample: Path, tmp_path: Path) -> None:
    path = Path(shutil.copy(sample, tmp_path / "w.xlsx"))
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.CONTRACT]
    top = int(ws.tables[layout.DECISIONS_TABLE].ref.split(":")[0][1:]) + 1
    ws.cell(top, 1).value = dt.datetime(2024, 2, 20)  # the continue decision, as recorded
    wb.save(path)
    assert not [
        i
        for i in validate_workbook(path, today=TODAY, write=False).issues
        if i.code == DECISION_BREAKS_RULE.code
    ]
    found = [
        i
        for i in validate_workbook(path, today=dt.date(2024, 2, 19), write=False).issues
        if i.code == DECISION_BREAKS_RULE.code
    ]
    assert [(i.row, i.column) for i in found] == [
        (top, "Decided"),
        (top + 1, "Decided"),
        (top + 1, "Notice given"),
    ]
