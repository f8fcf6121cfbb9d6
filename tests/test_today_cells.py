"""Issue 19 item 9: a cell depending on TODAY() is cached with the day of the save, never an
older day; a workbook built to ship (the same bytes whatever the day) leaves such cells with no
cached value, so Excel computes them on opening instead of showing the build day's "Not yet
due". Which cells depend on the day is found as the interpreter computes them (through cells,
ranges read once and kept, COUNTIF masks); the tests judge that against two independent
readings: the formulas' own text, and the values on two different days."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest

from tests.test_cached_values import DAY_DEPENDENT
from xlsrc.actions.build import build
from xlsrc.actions.validate import validate_workbook
from xlsrc.edges.formulas.cache import cached_values, compute
from xlsrc.edges.formulas.functions import as_shipped, pinned_today

TODAY_CALL = re.compile(r"\bTODAY\s*\(", re.IGNORECASE)


def _formula_cells(wb: openpyxl.Workbook) -> dict[str, str]:
    return {
        f"{ws.title}!{c.coordinate}": c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    }


def _values_on(path: Path, day: dt.date) -> dict[str, object]:
    with pinned_today(day):
        computed = compute(openpyxl.load_workbook(path))
    return {f"{s}!{ref}": v for s, values in computed.values.items() for ref, v in values.items()}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(out=tmp_path_factory.mktemp("ship") / "CON_22889.xlsx")


def test_a_shipped_build_leaves_exactly_the_day_dependent_cells_uncached(shipped: Path) -> None:
    formulas = _formula_cells(openpyxl.load_workbook(shipped))
    cached = {
        f"{sheet}!{openpyxl.utils.get_column_letter(col)}{row}"
        for sheet, grid in cached_values(shipped.read_bytes()).items()
        for (row, col), value in grid.items()
        if value is not None
    }
    uncached = set(formulas) - cached
    calls_today = {ref for ref, text in formulas.items() if TODAY_CALL.search(text)}
    early, late = _values_on(shipped, dt.date(2023, 1, 2)), _values_on(shipped, dt.date(2027, 6, 1))
    moved = {ref for ref in early if early[ref] != late.get(ref)}
    assert calls_today and moved  # the workbook has a clock: the test can fail
    assert calls_today <= uncached and moved <= uncached
    # Nothing else is left blank: the break and end status cells, the check reading them.
    assert uncached == DAY_DEPENDENT


def test_a_shipped_build_is_the_same_bytes_whatever_the_day(tmp_path: Path) -> None:
    with pinned_today(dt.date(2024, 1, 1)):
        one = build(out=tmp_path / "a.xlsx").read_bytes()
    with pinned_today(dt.date(2026, 12, 5)):
        two = build(out=tmp_path / "b.xlsx").read_bytes()
    assert cached_values(one) == cached_values(two)


def test_a_save_caches_the_day_of_the_save(shipped: Path, tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    path.write_bytes(shipped.read_bytes())
    day = dt.date(2024, 2, 20)  # within two months of the break (31/03/2024)
    with pinned_today(day):
        validate_workbook(path, today=day, write=True)
    wb = openpyxl.load_workbook(path, data_only=True)
    assert wb["Guide"]["C10"].value == dt.datetime(2024, 2, 20)
    assert wb["Guide"]["D12"].value == "Falling due"


def test_day_dependence_follows_ranges_and_criteria_kept_between_cells() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"], ws["A2"] = "=TODAY()", 5
    ws["B1"] = "=SUM(A1:A2)"  # reads the range first
    ws["B2"] = "=SUM(A1:A2)+1"  # the same range, kept from B1
    ws["C1"] = '=COUNTIF(A1:A2,">0")'
    ws["C2"] = '=COUNTIF(A1:A2,">0")*2'  # the same mask, kept from C1
    ws["D1"] = "=A2*2"  # no clock
    ws["D2"] = "=D1+B2"  # a clock through another cell
    with as_shipped(dt.date(2024, 1, 1)):
        computed = compute(wb)
    assert sorted(computed.left_uncached) == [
        "S!A1", "S!B1", "S!B2", "S!C1", "S!C2", "S!D2"
    ]  # fmt: skip
    assert computed.values["S"] == {"D1": 10.0}
