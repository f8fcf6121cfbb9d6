"""xlwings Lite's buttons under real Pyodide 314 (the Python xlwings Lite runs), offline.

Boots the npm package pyodide@314.0.7 in node, installs calloff's dependencies from local
Pyodide wheels with micropip (tests/pyodide/fetch.py; no numpy, no pandas: PyPI has no Pyodide
build of them), presses each script of the Lite file (Validate, Totals, Build return, Check
invoice) on workbooks that make it succeed, find a fault and refuse, and requires exactly what
CPython does: the same writes (Issues rows, highlights, the return sheet, the Audit row, the
status cell) and the same messages. Skipped only when node is missing (`make test` installs
it). tests/test_browser.py presses the same buttons in headless Chromium.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import REPO
from xlsrc.actions.invoice_check import read_ledger
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.workbook.cells import put
from xlsrc.model import layout
from xlsrc.model.money import vat_on

HERE = REPO / "tests" / "pyodide"
pytestmark = pytest.mark.skipif(
    shutil.which("node") is None, reason="node is not installed (make system-deps installs it)"
)


@pytest.fixture(scope="module")
def pyodide() -> Path:
    """Pyodide and its wheels, fetched once (make test does it; so does this, if missing)."""
    # Relative to the repository (make passes .cache/pyodide), whatever folder a test runs in.
    where = (REPO / os.environ.get("PYODIDE_DIR", ".cache/pyodide")).resolve()
    if not (where / "node_modules" / "pyodide" / "pyodide.js").exists() or not list(
        (where / "wheels").glob("micropip-*.whl")
    ):
        subprocess.run([sys.executable, str(HERE / "fetch.py"), str(where)], check=True)
    return where


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory, sample: Path) -> Path:
    """The shipped workbook, and the example with one mistake of each kind on its Tracker."""
    folder = tmp_path_factory.mktemp("pyodide-data")
    shutil.copy(REPO / "workbook" / "CON_22889.xlsx", folder / "shipped.xlsx")
    wb = load_workbook(sample)
    ws = wb["Tracker"]
    header = {c.value: c.column for c in ws[4]}
    mistakes = [
        {"Days": 1.5},
        {"Area": "Kent"},
        {"Date": dt.datetime(2024, 3, 16)},  # a Saturday
        {"Notes": "call 07700 900123"},
        {"Advisor": "RK-9", "Outcomes": "OX-0, ZZ"},
        {"Date": "31/02/2024"},
    ]
    for row, change in enumerate(mistakes, start=5):
        for column, value in change.items():
            ws.cell(row, header[column], value)
    wb.save(folder / "mistakes.xlsx")
    return folder


def press_validate(command: list[str], cwd: Path) -> list[dict]:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def test_validate_button_under_pyodide_does_what_it_does_in_cpython(
    pyodide: Path, workbooks: Path
) -> None:
    names = ["shipped.xlsx", "mistakes.xlsx"]
    script = str(HERE / "validate_button.py")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cpython = subprocess.run(
        [sys.executable, script, *(str(workbooks / n) for n in names)],
        cwd=REPO, capture_output=True, text=True, timeout=600, env=env, check=True,
    ).stdout  # fmt: skip
    in_python = [json.loads(line) for line in cpython.splitlines()]
    in_pyodide = press_validate(
        ["node", str(HERE / "run.js"), str(pyodide / "node_modules" / "pyodide"),
         str(pyodide / "wheels"), str(REPO), str(workbooks), script,
         *(f"/data/{n}" for n in names)],
        cwd=workbooks,
    )  # fmt: skip
    assert [r["platform"] for r in in_pyodide] == ["emscripten"] * 2
    assert [r["platform"] for r in in_python] == [sys.platform] * 2
    for python, pyo in zip(in_python, in_pyodide, strict=True):
        assert pyo["message"] == python["message"]
        assert pyo["codes"] == python["codes"]
        assert pyo["writes"] == python["writes"]
    shipped, mistakes = in_pyodide
    assert shipped["codes"] == [] and shipped["message"][0].startswith("0 rows, 0 errors")
    planted = {"DAYS-INVALID", "AREA-UNKNOWN", "DATE-WEEKEND", "NOTES-PERSONAL-DATA",
               "ADVISOR-UNKNOWN", "OUTCOME-UNKNOWN", "DATE-INVALID"}  # fmt: skip
    assert planted <= set(mistakes["codes"])


def test_totals_button_under_pyodide_does_what_it_does_in_cpython(
    pyodide: Path, workbooks: Path, sample: Path
) -> None:
    """The totals use no pandas (xlsrc/core/totals: plain integer sums), so Totals runs there
    too."""
    shutil.copy(sample, workbooks / "sample.xlsx")
    names = ["sample.xlsx", "mistakes.xlsx"]
    script = str(HERE / "validate_button.py")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cpython = subprocess.run(
        [sys.executable, script, "--button=totals", *(str(workbooks / n) for n in names)],
        cwd=REPO, capture_output=True, text=True, timeout=600, env=env, check=True,
    ).stdout  # fmt: skip
    in_python = [json.loads(line) for line in cpython.splitlines()]
    in_pyodide = press_validate(
        ["node", str(HERE / "run.js"), str(pyodide / "node_modules" / "pyodide"),
         str(pyodide / "wheels"), str(REPO), str(workbooks), script, "--button=totals",
         *(f"/data/{n}" for n in names)],
        cwd=workbooks,
    )  # fmt: skip
    assert [r["platform"] for r in in_pyodide] == ["emscripten"] * 2
    for python, pyo in zip(in_python, in_pyodide, strict=True):
        assert pyo["alerts"] == python["alerts"]
        assert pyo["writes"] == python["writes"]
    assert "Spend to date (net)" in in_pyodide[0]["alerts"][0]


# Build return and Check invoice: the March 2024 invoice typed on the Invoices sheet (row 5),
# right to the penny in one workbook and a penny out in the other; the shipped workbook has
# none, so both buttons refuse it with a message. The Invoices row is the selected cell, as
# when a person presses Check invoice there.
TODAY = dt.date(2025, 7, 15)  # after the sample's last delivery (June 2025)
MARCH = dt.date(2024, 3, 1)
ON_INVOICE = f"--select={layout.INVOICES}!C5"


def invoiced_copies(sample: Path, folder: Path) -> list[str]:
    """march.xlsx (the invoice right), penny.xlsx (a penny out), shipped.xlsx (no invoice)."""
    ledger = read_ledger(sample, TODAY)
    net = ledger.months[MARCH].net
    vat = vat_on(net, ledger.rules.vat_rate)
    for name, pennies in (("march.xlsx", 0), ("penny.xlsx", 1)):
        wb = load_for_edit(sample)
        typed = [MARCH, "INV-0324", float(net) + pennies / 100, float(vat)]
        for column, value in enumerate([*typed, typed[2] + typed[3]], start=1):
            put(wb[layout.INVOICES], 5, column, value)
        save_workbook(wb, folder / name)
    return ["march.xlsx", "penny.xlsx", "shipped.xlsx"]


def press_both(pyodide: Path, folder: Path, options: list[str], names: list[str]):
    """The button pressed under CPython and under Pyodide in node: (CPython's, Pyodide's)."""
    script = str(HERE / "validate_button.py")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cpython = subprocess.run(
        [sys.executable, script, *options, *(str(folder / n) for n in names)],
        cwd=REPO, capture_output=True, text=True, timeout=600, env=env, check=True,
    ).stdout  # fmt: skip
    in_pyodide = press_validate(
        ["node", str(HERE / "run.js"), str(pyodide / "node_modules" / "pyodide"),
         str(pyodide / "wheels"), str(REPO), str(folder), script, *options,
         *(f"/data/{n}" for n in names)],
        cwd=folder,
    )  # fmt: skip
    return [json.loads(line) for line in cpython.splitlines()], in_pyodide


def test_build_return_button_under_pyodide_does_what_it_does_in_cpython(
    pyodide: Path, workbooks: Path, sample: Path
) -> None:
    names = invoiced_copies(sample, workbooks)
    options = ["--button=build_return", ON_INVOICE, f"--today={TODAY}"]
    in_python, in_pyodide = press_both(pyodide, workbooks, options, names)
    assert [r["platform"] for r in in_pyodide] == ["emscripten"] * 3
    assert [r["writes"] for r in in_pyodide] == [r["writes"] for r in in_python]
    assert [r["alerts"] for r in in_pyodide] == [r["alerts"] for r in in_python]
    march, penny, shipped = in_pyodide
    assert march["alerts"] == [
        "Issued 'Return 2024-03' (version 1): 5.5 days, £3,575.00 net; March 2024 is now locked."
    ]
    assert "Op(kind='add_sheet', sheet='Return 2024-03'" in march["writes"][0]
    assert len(march["writes"]) > 100  # the sheet cell by cell, its look, the Audit row
    assert penny["writes"] == march["writes"]  # the return does not depend on the invoice
    assert shipped["alerts"][0].startswith("Build return needs a month in the Month of Invoices")


def test_check_invoice_button_under_pyodide_does_what_it_does_in_cpython(
    pyodide: Path, workbooks: Path, sample: Path
) -> None:
    names = invoiced_copies(sample, workbooks)
    options = ["--button=check_invoice", ON_INVOICE, f"--today={TODAY}"]
    in_python, in_pyodide = press_both(pyodide, workbooks, options, names)
    assert [r["platform"] for r in in_pyodide] == ["emscripten"] * 3
    assert [r["writes"] for r in in_pyodide] == [r["writes"] for r in in_python]
    assert [r["alerts"] for r in in_pyodide] == [r["alerts"] for r in in_python]
    march, penny, shipped = (r["alerts"][0] for r in in_pyodide)
    assert march.startswith("PASS: invoice for March 2024 (Invoices row 5: net £3,575.00")
    assert penny.startswith("FAIL: invoice for March 2024 (Invoices row 5: net £3,575.01")
    assert shipped.startswith("Check invoice needs a month in the Month of Invoices row 5")
