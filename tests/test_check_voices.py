"""Every row of the Checks sheet has a voice (issue 19, item 4): planted FALSE, `calloff
validate` reports an issue for it, at the cell to fix. The checks are read from a built
workbook, so a new check without a voice (xlsrc.actions.check_voices.VOICES) or without a
plant here fails this test; calloff's formula interpreter shows each plant makes its check
FALSE."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from xlsrc.actions.check_voices import VOICES
from xlsrc.actions.validate import validate_workbook
from xlsrc.edges.formulas.cache import compute
from xlsrc.model import layout
from xlsrc.model.checks_summary import NOT_OK
from xlsrc.model.terms.decisions import KIND_LABELS

TODAY = dt.date(2026, 11, 25)
FIRST = layout.FIRST_DATA_ROW
FREE = FIRST + 107  # the sample's first Tracker row left blank
GOOD = (dt.datetime(2024, 6, 4), "RK-01", "Medway", "Work with practitioners", "ME-0", 1, "")
Plant = Callable[[openpyxl.Workbook], None]


def _row(wb: openpyxl.Workbook, **changed: object) -> None:
    columns = ("Date", "Advisor", "Area", "Activity", "Outcomes", "Days", "Notes")
    values = dict(zip(columns, GOOD, strict=True)) | changed
    for c, name in enumerate(columns, start=1):
        wb[layout.TRACKER].cell(FREE, c).value = values[name]


def _decisions_top(wb: openpyxl.Workbook) -> int:
    ref = wb[layout.CONTRACT].tables[layout.DECISIONS_TABLE].ref
    return int(ref.split(":")[0][1:]) + 1


def _broken_extension(wb: openpyxl.Workbook) -> None:
    wb[layout.CONTRACT].cell(_decisions_top(wb) + 1, 4).value = 13


def _terminated(wb: openpyxl.Workbook) -> None:
    ws = wb[layout.CONTRACT]
    top = _decisions_top(wb)
    ws.cell(top, 2).value = KIND_LABELS["terminate-at-break"]
    for c in range(1, 12):
        ws.cell(top + 1, c).value = None  # no extension after a termination


def _over_cap(wb: openpyxl.Workbook) -> None:
    ws = wb[layout.TRACKER]
    for n, day in enumerate(range(3, 31)):
        date = dt.datetime(2024, 6, day)
        if date.weekday() >= 5:
            continue
        values = (date, "RK-02", "Portsmouth", "Work with practitioners", "PO-0", 1, "")
        for c, value in enumerate(values, start=1):
            ws.cell(FREE + n, c).value = value


def _rates_line(wb: openpyxl.Workbook) -> None:
    ws = wb[layout.CONTRACT]
    top = int(ws.tables[layout.RATES_TABLE].ref.split(":")[0][1:]) + 2
    ws.cell(top, 1).value = dt.datetime(2024, 4, 1)  # a From with no rate


def _contract_rows(wb: openpyxl.Workbook) -> None:
    _broken_extension(wb)
    # What validate records for the broken row (DecisionRowErrors, which the check reads).
    sheet, cell = wb.defined_names[layout.DECISION_ROW_ERRORS].attr_text.split("!")
    wb[sheet.strip("'")][cell.replace("$", "")].value = 1


def _invoice(net: float, vat: float) -> Plant:
    def plant(wb: openpyxl.Workbook) -> None:
        ws = wb[layout.INVOICES]
        for c, value in enumerate((dt.datetime(2023, 11, 1), "INV-1", net, vat, net + vat), 1):
            ws.cell(FIRST, c).value = value

    return plant


def _allocation(wb: openpyxl.Workbook) -> None:
    ws = wb[layout.CONTRACT]
    top = int(ws.tables[layout.AREAS_TABLE].ref.split(":")[0][1:]) + 1
    ws.cell(top, 4).value = 500


def _cost_typed_over(wb: openpyxl.Workbook) -> None:
    wb[layout.TRACKER].cell(FREE, 9).value = 650  # on a row the Budget has no month for


PLANTS: dict[str, Plant] = {
    "CheckTrackerEqualsBudget": _cost_typed_over,
    "CheckDaysEqualBudget": lambda wb: _row(wb, Date=dt.datetime(2022, 1, 4)),
    "CheckEveryRowCounts": lambda wb: _row(wb, Area="Nowhere"),
    "CheckInTerm": lambda wb: _row(wb, Date=dt.datetime(2022, 1, 4)),
    "CheckBreak": _terminated,
    "CheckWithinCap": _over_cap,
    "CheckDaysValid": lambda wb: _row(wb, Days=2),
    "CheckRowsComplete": lambda wb: _row(wb, Advisor=None),
    "CheckAreasKnown": lambda wb: _row(wb, Area="Nowhere"),
    "CheckAdvisorsKnown": lambda wb: _row(wb, Advisor="RK-99"),
    "CheckActivitiesKnown": lambda wb: _row(wb, Activity="Golf"),
    "CheckDecisions": _broken_extension,
    "CheckRates": _rates_line,
    "CheckContractRows": _contract_rows,
    "CheckInvoicesWithinCap": _invoice(60000.0, 12000.0),
    "CheckInvoicesPass": _invoice(1.0, 0.2),
    "CheckAllocationFitsCap": _allocation,
}


def _checks(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path)[layout.CHECKS]
    first, last = FIRST, ws.max_row
    names = []
    for r in range(first, last + 1):
        name = ws.cell(r, 4).value  # what is checked, result, met, then the name (issue 22)
        if not name or not str(name).startswith("Check"):
            break
        names.append(str(name))
    return names


def test_every_check_row_has_a_voice_and_a_plant(sample):
    names = _checks(sample)
    assert len(names) >= 17
    assert sorted(names) == sorted(VOICES) == sorted(PLANTS)


@pytest.mark.parametrize("name", sorted(PLANTS))
def test_a_check_planted_false_is_reported_by_validate(sample, tmp_path, name):
    path = Path(shutil.copy(sample, tmp_path / f"{name}.xlsx"))
    wb = openpyxl.load_workbook(path)
    PLANTS[name](wb)
    wb.save(path)
    values = compute(openpyxl.load_workbook(path)).values[layout.CHECKS]
    row = FIRST + _checks(sample).index(name)
    assert values[f"C{row}"] is False, f"the plant leaves {name} {values[f'C{row}']!r}"
    report = validate_workbook(path, today=TODAY, write=False)
    voiced = [i for i in report.issues if i.code in VOICES[name]]
    assert voiced, f"{name} is FALSE but validate says nothing: {report.to_text()}"
    assert all(i.sheet and i.row for i in voiced), [str(i) for i in voiced]
    # The Guide's state and validate's agree: a check not met is Not OK (issue 22).
    assert compute(openpyxl.load_workbook(path)).values[layout.GUIDE]["B4"] == NOT_OK
    assert report.state == NOT_OK, report.to_text()
