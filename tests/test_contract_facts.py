"""Contract facts are not cells to type over: the cap, the VAT rate, the dates and the day
rates change only through decisions. A fact typed over on the Contract sheet, or a value typed
over the Rates table's first-line formulas, is an error from validate at its cell, naming the
issued months whose figures it alters; validate still writes its report."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from xlsrc.actions.validate import validate_workbook
from xlsrc.adapters.cli import main
from xlsrc.model import layout
from xlsrc.model.rules import CONTRACT_FACT_CHANGED, TERM_CHANGED, TERMS_TABLES_CHANGED

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def two_issued(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with the October and November 2023 returns issued."""
    path = Path(shutil.copy(sample, tmp_path_factory.mktemp("facts") / "two.xlsx"))
    for month in ("2023-10", "2023-11"):
        assert main(["return", str(path), "--month", month, "--today", "2025-07-15"]) == 0
    return path


def _typed_over(source: Path, target: Path, change) -> Path:
    path = Path(shutil.copy(source, target))
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def _set_name(wb: openpyxl.Workbook, name: str, value: object) -> None:
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    wb[sheet][ref.replace("$", "")] = value


def _rate_line(wb: openpyxl.Workbook, value: object) -> None:
    ws = wb[layout.CONTRACT]
    top = int(ws.tables[layout.RATES_TABLE].ref.split(":")[0][1:]) + 1
    ws.cell(top, 2).value = value


def _facts(path: Path) -> list:
    report = validate_workbook(path, today=TODAY, write=True)
    return [i for i in report.issues if i.code == CONTRACT_FACT_CHANGED.code]


def test_the_bundled_example_has_no_fact_typed_over(sample: Path, tmp_path: Path) -> None:
    path = Path(shutil.copy(sample, tmp_path / "w.xlsx"))
    report = validate_workbook(path, today=TODAY, write=False)
    assert not [i for i in report.issues if i.severity == "error"]


@pytest.mark.parametrize(
    ("change", "column", "said"),
    [
        (lambda wb: _set_name(wb, "VATRate", 0.25), "VATRate", "VAT rate (VATRate) is 0.25"),
        (lambda wb: _rate_line(wb, 900), "Rates[Day rate]", "the formula =DayRate"),
        (lambda wb: _set_name(wb, "DayRate", 900), "DayRate", "is 900 now"),
    ],
)
def test_a_fact_typed_over_is_an_error_naming_the_issued_months(
    two_issued: Path, tmp_path: Path, change, column: str, said: str
) -> None:
    path = _typed_over(two_issued, tmp_path / "w.xlsx", change)
    found = _facts(path)
    assert [i.column for i in found] == [column]
    assert said in found[0].message
    assert "issued return(s) for October 2023, November 2023" in found[0].message
    wb = openpyxl.load_workbook(path)  # validate still wrote its report
    assert wb[layout.ISSUES].max_row > 1


def test_the_cap_and_dates_are_facts_too(sample: Path, tmp_path: Path) -> None:
    path = _typed_over(
        sample,
        tmp_path / "w.xlsx",
        lambda wb: (
            _set_name(wb, "Cap", 90000),
            _set_name(wb, "EndDate", dt.datetime(2026, 3, 31)),
        ),
    )
    assert sorted(i.column for i in _facts(path)) == ["Cap", "EndDate"]


def test_an_allocation_decided_is_not_changed_terms_but_one_typed_over_is(
    sample: Path, tmp_path: Path
) -> None:
    """Issue 19 item 6: the Areas table's days allocated change only by an allocation decision.
    One recorded through `calloff decide` leaves validate with nothing to say about changed
    terms; one typed over the Areas table is a contract fact changed, at the Areas table."""
    decided = Path(shutil.copy(sample, tmp_path / "decided.xlsx"))
    when = ["--effective", "2025-05-01", "--decided", "2025-05-01", "--today", "2025-05-20"]
    by = ["--by", "DfE contract manager"]
    args = ["decide", str(decided), "allocation", "--area", "Oxfordshire", "--days", "20"]
    assert main([*args, *when, *by]) == 0
    report = validate_workbook(decided, today=TODAY, write=False)
    changed = {CONTRACT_FACT_CHANGED.code, TERMS_TABLES_CHANGED.code, TERM_CHANGED.code}
    assert not [str(i) for i in report.issues if i.code in changed]

    ref = openpyxl.load_workbook(sample)[layout.CONTRACT].tables[layout.AREAS_TABLE].ref
    top = int(ref.split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) + 1  # first data row

    def type_over(wb: openpyxl.Workbook) -> None:
        ws = wb[layout.CONTRACT]
        headers = [c.value for c in ws[top - 1]]
        ws.cell(top + 1, headers.index("Days allocated") + 1).value = 25  # Portsmouth's

    typed = _typed_over(sample, tmp_path / "typed.xlsx", type_over)
    found = _facts(typed)
    assert [(i.column, i.row) for i in found] == [(layout.ALLOCATIONS_KEY, top)]
    assert "Portsmouth 25" in found[0].message
    assert "A contract fact changes only through a decision" in found[0].message
