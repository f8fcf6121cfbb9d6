"""A formula calloff cannot compute is a located warning, never a silent blank (issue 19.8).

A person types into a free cell a formula whose function the formula engine does not have
(or that its parser cannot read); calloff's save leaves that cell without a cached value. The
writing command names the cell, the formula and what to do, on the command line and in the
Issues sheet; the functions it does have (WEEKDAY, ...) are computed, not reported.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from tests.test_cached_values import formula_cells
from tests.test_fresh_values import TODAY
from xlsrc.actions.validate import validate_workbook
from xlsrc.adapters.cli import cli
from xlsrc.edges.formulas.coverage import why_not
from xlsrc.edges.formulas.functions import pinned_today
from xlsrc.model import layout, rules

TYPED = {
    "Z40": "=WEEKDAY2(1)",  # no such function
    "Z41": "=SUM(A1:A3 A2:A4)",  # an intersection: the parser cannot read it
    "Z42": "=WEEKDAY(45383)+TRUNC(2.5)",  # computed: 2 (Monday) + 2
}


def _typed(sample: Path, tmp: Path) -> Path:
    path = tmp / "typed.xlsx"
    shutil.copy(sample, path)
    wb = openpyxl.load_workbook(path)
    for ref, formula in TYPED.items():
        wb[layout.BUDGET][ref] = formula
    wb.save(path)
    return path


def test_why_not_names_the_function_or_the_syntax():
    assert why_not("WEEKDAY2(1)+LEN(X(1))") == "has no function WEEKDAY2, X"
    assert why_not("_xlfn.IFS(TRUE,1)") == "has no function IFS"
    assert (why_not("SUM(A1:A3 A2:A4)") or "").startswith("cannot read it")
    for known in ("WEEKDAY(1,2)", 'SUBSTITUTE(FIND("a","ba"),1,2)', "HLOOKUP(1,A1:B2,2)"):
        assert why_not(known) is None


def test_validate_names_each_formula_it_cannot_compute(sample, tmp_path):
    path = _typed(sample, tmp_path)
    with pinned_today(TODAY):
        report = validate_workbook(path, today=TODAY)
    found = [i for i in report.issues if i.code == rules.FORMULA_UNCOMPUTED.code]
    assert [(i.sheet, i.row, i.column, i.value) for i in found] == [
        (layout.BUDGET, 40, "Z", "=WEEKDAY2(1)"),
        (layout.BUDGET, 41, "Z", "=SUM(A1:A3 A2:A4)"),
    ]
    assert all(i.severity == "warning" for i in found)
    assert "Budget!Z40: calloff cannot compute =WEEKDAY2(1) (has no function WEEKDAY2)" in (
        found[0].message
    )
    assert "open the file in Excel to recalculate it, or replace the formula" in found[0].message
    # The Issues sheet shows it; the cell it can compute has its value, the others none.
    wb = openpyxl.load_workbook(path, read_only=True)
    shown = [str(c) for row in wb[layout.ISSUES].iter_rows(values_only=True) for c in row]
    assert any("calloff cannot compute =WEEKDAY2(1)" in c for c in shown)
    assert "Budget!Z40" in shown  # the link to the cell itself
    cells = formula_cells(path)
    assert cells[f"{layout.BUDGET}!Z42"][1] == "4"
    assert cells[f"{layout.BUDGET}!Z40"][1] in (None, "")


def test_the_command_line_reports_it_without_a_traceback(sample, tmp_path):
    path = _typed(sample, tmp_path)
    shutil.copy(path, tmp_path / "before.xlsx")
    errors = validate_workbook(tmp_path / "before.xlsx", today=TODAY, write=False).errors
    result = CliRunner().invoke(
        cli, ["validate", str(path), "--today", TODAY.isoformat()], catch_exceptions=False
    )
    assert "Traceback" not in result.output
    assert "WARNING FORMULA-UNCOMPUTED at Budget, row 40, column Z" in result.stdout
    # Named once: as validate's issue, not again as a note of the save.
    assert "Budget!Z40 is saved without a value" not in result.stderr
    # A warning: the exit code is validate's for the errors alone (1 with errors, else 0).
    assert result.exit_code == (1 if errors else 0)


def test_every_writing_command_names_the_cells_it_saves_without_a_value(sample, tmp_path):
    """import (any command saving through calloff's save path): on standard error, each cell,
    why, and what to do; the command still does its work."""
    from tests.test_import import entry, tracker_file

    path = _typed(sample, tmp_path)
    row = entry("RK-01", dt.date(2025, 6, 10), area="Medway", outcomes=("PM-1",))
    advisor = tracker_file(tmp_path, "RK-01", [row])
    result = CliRunner().invoke(
        cli,
        ["import", str(path), str(advisor), "--today", TODAY.isoformat()],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    said = [line for line in result.stderr.splitlines() if "saved without a value" in line]
    assert any(
        line.startswith("Warning: Budget!Z40 is saved without a value")
        and "WEEKDAY2, a function calloff does not compute" in line
        and "open the file in Excel to recalculate it, or replace the formula" in line
        for line in said
    ), result.stderr
    assert any(line.startswith("Warning: Budget!Z41 ") for line in said)
    assert not any("Budget!Z42" in line for line in said)  # computed: 4
    assert formula_cells(path)[f"{layout.BUDGET}!Z42"][1] == "4"
