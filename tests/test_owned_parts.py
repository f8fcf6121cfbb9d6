"""Parts calloff owns survive another program's save: after LibreOffice saves the sample, the
workbook has lost fullCalcOnLoad, the Tracker's calculated columns and a Budget chart openpyxl
can read. Writing commands refuse it in one line, writing nothing; validate puts each back and
says so once, changing no typed value, print title or defined name; then writing works."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xlsrc.adapters.cli import main
from xlsrc.edges.libreoffice.recalc import recalculate
from xlsrc.edges.workbook import owned_parts
from xlsrc.edges.workbook.owned_parts import (
    BUDGET_CHART,
    CALCULATED_COLUMNS,
    FULL_CALC,
    missing_in_package,
)
from xlsrc.model import layout

TODAY = "2025-07-15"
ROW = (
    "Date,Advisor,Area,Activity,Outcomes,Days,Notes\n"
    "2024-03-05,RK-01,Oxfordshire,Work with practitioners,OX-AI3,1,after the round trip\n"
)


def run(capsys, *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def saved_by_libreoffice(sample, tmp_path_factory, lo) -> Path:
    out = tmp_path_factory.mktemp("lo") / "CON_22889-sample.xlsx"
    recalculate(sample, xlsx=out)
    return out


def _typed(path: Path) -> dict[tuple[str, str], object]:
    """Every cell that is not a formula, except on Issues and Audit (validate writes those)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the chart LibreOffice wrote
        wb = load_workbook(path)
    return {
        (ws.title, cell.coordinate): cell.value
        for ws in wb.worksheets
        if ws.title not in (layout.ISSUES, layout.AUDIT)
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None and cell.data_type != "f"
    }


def _titles_and_names(path: Path) -> tuple[dict[str, object], dict[str, str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(path)
    titles = {ws.title: (ws.print_title_rows, ws.print_title_cols) for ws in wb.worksheets}
    names = {name: str(d.attr_text) for name, d in wb.defined_names.items()}
    for ws in wb.worksheets:
        names.update({f"{ws.title}!{n}": str(d.attr_text) for n, d in ws.defined_names.items()})
    return titles, names


def test_the_sample_as_built_has_every_owned_part(sample):
    assert missing_in_package(sample) == []


def test_a_libreoffice_save_is_refused_then_put_right_by_validate(
    saved_by_libreoffice, tmp_path, capsys
):
    book = tmp_path / "CON_22889-sample.xlsx"
    shutil.copy(saved_by_libreoffice, book)
    assert missing_in_package(book) == [FULL_CALC, CALCULATED_COLUMNS, BUDGET_CHART]
    rows = tmp_path / "rows.csv"
    rows.write_text(ROW, encoding="utf-8")

    before = book.read_bytes()
    code, _, err = run(capsys, "fill", book, "--tracker", rows)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "run calloff validate, which puts it back" in lines[0], err
    assert "calculated Month and Cost columns" in lines[0] and "Budget chart" in lines[0]
    assert book.read_bytes() == before  # nothing written

    typed, (titles, names) = _typed(book), _titles_and_names(book)
    code, out, _ = run(capsys, "validate", book, "--today", TODAY)
    put_right = [line.strip() for line in out.splitlines() if "Put right:" in line]
    assert put_right == [f"Put right: {owned_parts.PUT_RIGHT[m]}." for m in owned_parts.PUT_RIGHT]
    assert missing_in_package(book) == []
    wb = load_workbook(book)
    assert wb.calculation.fullCalcOnLoad
    table = wb[layout.TRACKER].tables[layout.TRACKER_TABLE]
    assert {c.name for c in table.tableColumns if c.calculatedColumnFormula} == {"Month", "Cost"}
    assert len(wb[layout.BUDGET]._charts) == 1
    assert _typed(book) == typed
    assert _titles_and_names(book) == (titles, names)

    code, out, _ = run(capsys, "validate", book, "--today", TODAY)
    assert "Put right" not in out  # said once, when it was put right

    code, out, err = run(capsys, "fill", book, "--tracker", rows)
    assert code == 0, err
    added = load_workbook(book)[layout.TRACKER]
    assert any(
        added.cell(r, 7).value == "after the round trip" for r in range(1, added.max_row + 1)
    )


def test_excel_leaving_out_fullcalconload_is_put_back_by_any_write(sample, tmp_path, capsys):
    """Excel's own save leaves fullCalcOnLoad out: a writing command sets it again, no refusal."""
    import zipfile

    book = tmp_path / "CON_22889-sample.xlsx"
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(book, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b' fullCalcOnLoad="1"', b"")
            dst.writestr(item, data)
    assert missing_in_package(book) == [FULL_CALC]
    rows = tmp_path / "rows.csv"
    rows.write_text(ROW, encoding="utf-8")
    code, _, err = run(capsys, "fill", book, "--tracker", rows)
    assert code == 0, err
    assert missing_in_package(book) == []
