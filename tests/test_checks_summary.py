"""The Guide's state (issue 22): OK, Warning or Not OK from the Checks sheet, the counts and
the first thing to act on. The Guide's formulas and xlsrc.model.checks_summary are twins:
LibreOffice recalculates the Guide, and what it shows is what `summarise` says of the Checks
rows LibreOffice recalculated beside it; `calloff validate` gives the same state. The Checks'
WarnAreasWithinAllocation names the area in the words validate uses."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlsrc.actions.check_voices import allocation_words
from xlsrc.actions.validate import validate_workbook
from xlsrc.edges.formulas.cache import compute
from xlsrc.edges.libreoffice.recalc import recalculate
from xlsrc.model import checks_summary as cs
from xlsrc.model import layout

TODAY = dt.date(2026, 11, 25)


def _rows(values: dict[str, object], ws) -> list[cs.CheckRow]:
    """The Checks rows (name, warning or not, met, Result) from a sheet's computed values."""
    out, warning = [], False
    for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1):
        name = ws.cell(r, 4).value
        if not name or not str(name).startswith(("Check", "Warn")):
            continue
        warning = str(name).startswith("Warn")
        met = values[f"C{r}"]
        out.append(cs.CheckRow(str(name), warning, met, str(values[f"B{r}"])))
    return out


def test_summarise_in_words():
    ok = cs.CheckRow("CheckA", False, True, "OK")
    bad = cs.CheckRow("CheckB", False, False, "Spend to date is over the cap")
    warned = cs.CheckRow("WarnC", True, False, "The forecast is over the cap")
    assert cs.summarise([ok, ok]).state == cs.OK
    assert cs.summarise([ok, ok]).words == "All 2 checks met; no warnings."
    s = cs.summarise([ok, warned])
    assert (s.state, s.words) == (
        cs.WARNING,
        "All 1 checks met; 1 warning. First to act on: The forecast is over the cap",
    )
    broken = cs.CheckRow("CheckD", False, "#DIV/0!", "OK")
    s = cs.summarise([ok, broken, warned])
    assert (s.state, s.not_met) == (cs.NOT_OK, 1)
    assert s.words.endswith(f"First to act on: {cs.UNCOMPUTED}")
    assert cs.summarise([ok, broken, bad]).first == "Spend to date is over the cap"
    s = cs.summarise([ok, bad, warned, warned])
    assert (s.state, s.not_met, s.warnings) == (cs.NOT_OK, 1, 2)
    assert s.words == (
        "1 of 2 checks not met; 2 warnings. First to act on: Spend to date is over the cap"
    )


def _guide_and_checks(path: Path) -> tuple[tuple[object, object], cs.Summary]:
    """calloff's own formula interpreter: the Guide's two cells and `summarise` of the Checks."""
    wb = openpyxl.load_workbook(path)
    values = compute(wb).values
    guide = values[layout.GUIDE]
    return (guide["B4"], guide["C4"]), cs.summarise(_rows(values[layout.CHECKS], wb[layout.CHECKS]))


def test_the_sample_warns_of_oxfordshire_in_the_guide_checks_and_validate(sample):
    (state, words), python = _guide_and_checks(sample)
    assert state == python.state == cs.WARNING
    assert words == python.words
    wb = openpyxl.load_workbook(sample)
    values = compute(wb).values[layout.CHECKS]
    by_name = {r.name: r for r in _rows(values, wb[layout.CHECKS])}
    said = allocation_words("Oxfordshire", Decimal(51), Decimal(50))
    assert said == "Oxfordshire: 51 days recorded against an allocation of 50"
    assert by_name["WarnAreasWithinAllocation"].result == said
    assert not by_name["WarnAreasWithinAllocation"].met
    report = validate_workbook(sample, today=TODAY, write=False)
    assert report.state == cs.WARNING
    over = [i for i in report.issues if i.code == "AREA-OVER-ALLOCATION"]
    assert [i.value for i in over] == ["Oxfordshire"] and over[0].severity == "warning"
    assert over[0].message.startswith(said)
    assert over[0].sheet == layout.CONTRACT and over[0].column == "Days allocated"
    ws = openpyxl.load_workbook(sample)[layout.CONTRACT]
    assert ws.cell(over[0].row, 3).value == "Oxfordshire"  # its Short name


def _plant_unknown_area(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.TRACKER]
    row = layout.FIRST_DATA_ROW + 107  # the sample's first blank Tracker row
    values = (dt.datetime(2024, 6, 4), "RK-01", "Nowhere", "Work with practitioners", "", 1)
    for c, value in enumerate(values, start=1):
        ws.cell(row, c).value = value
    wb.save(path)


def _plant_uncomputable_check(path: Path) -> None:
    """A check's Met cell that holds an error: not met, whatever its Result says."""
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.CHECKS]
    for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1):
        if str(ws.cell(r, 4).value).startswith("Check"):
            ws.cell(r, 3).value = "=1/0"
            break
    wb.save(path)


def _plant_agreed_figures(path: Path) -> None:
    """Oxfordshire given a day of Portsmouth's and the pricing agreed: nothing is wrong."""
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.CONTRACT]
    top = int(ws.tables[layout.AREAS_TABLE].ref.split(":")[0][1:]) + 1
    for r in range(top, top + 10):
        if ws.cell(r, 3).value == "Oxfordshire":
            ws.cell(r, 4).value = 51
        if ws.cell(r, 3).value == "Portsmouth":
            ws.cell(r, 4).value = 19
    for name in ("DayRateIsPlaceholder", "DaysArePlaceholder"):
        sheet, cell = wb.defined_names[name].attr_text.split("!")
        wb[sheet.strip("'")][cell.replace("$", "")].value = "No"
    wb.save(path)


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("plant", "expected"),
    [
        (None, cs.WARNING),
        (_plant_unknown_area, cs.NOT_OK),
        (_plant_uncomputable_check, cs.NOT_OK),
        (_plant_agreed_figures, cs.OK),
    ],
    ids=["sample", "unknown-area", "check-in-error", "agreed"],
)
def test_libreoffice_shows_what_python_says(sample, tmp_path, lo, plant, expected):
    path = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    if plant is not None:
        plant(path)
    out = tmp_path / "wb-lo.xlsx"
    assert recalculate(path, xlsx=out, names=tmp_path / "names.json") is not None
    wb = openpyxl.load_workbook(out, data_only=True)
    checks = wb[layout.CHECKS]
    values = {c.coordinate: c.value for row in checks.iter_rows() for c in row}
    python = cs.summarise(_rows(values, checks))
    guide = wb[layout.GUIDE]
    assert guide["B4"].value == python.state == expected
    assert guide["C4"].value == python.words
    (state, words), _ = _guide_and_checks(path)  # calloff's interpreter agrees
    assert (state, words) == (python.state, python.words)
    # The agreed figures, typed over the facts, are validate's errors; a check typed over
    # with an error is the Guide's twins' case only.
    if expected != cs.OK and plant is not _plant_uncomputable_check:
        report = validate_workbook(path, today=TODAY, write=False)
        assert report.state == expected, report.to_text()
