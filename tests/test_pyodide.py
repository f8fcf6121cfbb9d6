"""xlwings Lite's Validate button under real Pyodide 314 (the Python xlwings Lite runs), offline.

Boots the npm package pyodide@314.0.7 in node, installs calloff's dependencies from local
Pyodide wheels with micropip (tests/pyodide/fetch.py; no numpy, no pandas: PyPI has no Pyodide
build of them), presses the Lite script's Validate on the shipped workbook and on a tracker
full of mistakes, and requires exactly what CPython does: the same Issues rows, highlights,
status cell and message. Skipped only when node is missing (`make test` installs it).
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
