"""xlwings Lite's buttons under real Pyodide 314 (the Python xlwings Lite runs), offline.

Boots the npm package pyodide@314.0.7 in node, installs calloff's dependencies from local
Pyodide wheels with micropip (tests/pyodide/fetch.py; no numpy, no pandas: PyPI has no Pyodide
build of them), presses each script of the Lite file (Validate, Totals, Build return, Check
invoice) on workbooks that make it succeed, find a fault and refuse, and requires exactly what
CPython does: the same writes (Issues rows, highlights, the return sheet, the Audit row, the
status cell) and the same messages. Skipped only when node is missing (`make test` installs
it). The last test presses the same buttons in a real browser, headless Chromium.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
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


_REGISTER = re.compile(
    r"""(\["'(?:Invoiced to date \(net\)|Delivered, not yet invoiced)", )([^,\]]+)"""
)


def register_figures(writes: list[str]) -> list[float]:
    """A return's invoice-register figures, as written (invoiced, delivered not invoiced)."""
    return [float(m.group(2)) for w in writes for m in _REGISTER.finditer(w)]


def masked(writes: list[str]) -> list[str]:
    """The writes without the register's figures, the seals that hash them, and the Audit
    row's time and digest."""
    return [
        re.sub(r"sha256:[0-9a-f]+", "sha256:?", _REGISTER.sub(r"\1?", w)) for w in unstamped(writes)
    ]


_WHEN = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ")
_DIGEST = re.compile(r"\"'[0-9a-f]{16}\"\]\]")


def unstamped(writes: list[str]) -> list[str]:
    """The writes without what differs from one press to the next on any platform: the Audit
    row's time and the digest that covers it."""
    return [_DIGEST.sub('"?"]]', _WHEN.sub("?", w)) for w in writes]


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
    assert [unstamped(r["writes"]) for r in in_pyodide] == [
        unstamped(r["writes"]) for r in in_python
    ]
    assert [r["alerts"] for r in in_pyodide] == [r["alerts"] for r in in_python]
    march, penny, shipped = in_pyodide
    assert march["alerts"] == [
        "Issued 'Return 2024-03' (version 1): 5.5 days, £3,575.00 net; March 2024 is now locked."
        "\n  Progress not sufficient: an interim return is due by 19/04/2024 (calloff return"
        " WORKBOOK --interim DATE)."
    ]
    assert "Op(kind='add_sheet', sheet='Return 2024-03'" in march["writes"][0]
    assert len(march["writes"]) > 100  # the sheet cell by cell, its look, the Audit row
    # The return does not depend on the invoice, but for the register's two figures (the
    # invoice typed is on the register: invoiced to date, and delivered not yet invoiced)
    # and the seals of the sheet that shows them.
    assert register_figures(march["writes"]) == [3575.0, 13000.0]  # October to March: £16,575
    assert register_figures(penny["writes"]) == [3575.01, 12999.99]
    assert masked(penny["writes"]) == masked(march["writes"])
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


# The same presses in a real browser: headless Chromium loads Pyodide, the wheels and calloff
# from a folder served on 127.0.0.1 (tests/pyodide/browser.html) and posts back what each run
# printed, which must be CPython's, line for line (the platform apart).


def the_browser_bundle(pyodide: Path, data: Path, site: Path) -> str:
    """site/bundle.zip: the wheels, calloff and what the driver needs, the workbooks; returns
    micropip's wheel name (the page loads it first, by its address)."""
    sources = [
        p for p in (REPO / "xlsrc").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ]
    sources += [REPO / "tests" / "__init__.py", *(REPO / "tests" / "xl").glob("*.py")]
    sources += [HERE / "validate_button.py", REPO / "macros" / "lite" / "main.py"]
    with zipfile.ZipFile(site / "bundle.zip", "w") as bundle:
        for wheel in sorted((pyodide / "wheels").glob("*.whl")):
            bundle.write(wheel, f"wheels/{wheel.name}")
        for source in sources:
            bundle.write(source, f"proj/{source.relative_to(REPO).as_posix()}")
        for workbook in sorted(data.glob("*.xlsx")):
            bundle.write(workbook, f"data/{workbook.name}")
    return next((pyodide / "wheels").glob("micropip-*.whl")).name


class _Site(SimpleHTTPRequestHandler):
    """The page's folder, read-only, and /result, where the page posts its report."""

    extensions_map = {  # noqa: RUF012 - the class attribute http.server reads
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
        ".json": "application/json", ".zip": "application/zip", ".whl": "application/zip",
    }  # fmt: skip
    reports: queue.Queue[dict]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.end_headers()
        self.reports.put(json.loads(body))

    def log_message(self, *args: object) -> None:  # quiet: the report says what went wrong
        pass


def press_in_chromium(
    chromium: str, pyodide: Path, data: Path, runs: list[list[str]], work: Path
) -> dict:
    """Each run (the driver's arguments, workbooks under /data) in one headless Chromium page;
    the page's report: {"agent", "runs": [[printed line, ...], ...], "error"}."""
    site = work / "site"
    site.mkdir()
    (site / "pyodide").symlink_to(pyodide / "node_modules" / "pyodide")
    (site / "wheels").symlink_to(pyodide / "wheels")
    shutil.copy(HERE / "browser.html", site / "index.html")
    script = "/proj/tests/pyodide/validate_button.py"
    config = {"micropip": the_browser_bundle(pyodide, data, site),
              "runs": [[script, *run] for run in runs]}  # fmt: skip
    (site / "config.json").write_text(json.dumps(config), encoding="utf-8")
    reports: queue.Queue[dict] = queue.Queue()
    handler = type("Site", (_Site,), {"reports": reports})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log = work / "chromium.log"
    command = [
        chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--no-default-browser-check", "--disable-extensions", "--disable-sync",
        "--disable-background-networking", "--disable-component-update", "--no-pings",
        "--proxy-server=http://127.0.0.1:9",  # nothing but the local site is reachable
        f"--user-data-dir={work / 'profile'}",
        f"http://127.0.0.1:{server.server_address[1]}/index.html",
    ]  # fmt: skip
    with log.open("wb") as stderr:
        browser = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 600  # a hard limit, not a timing assertion
        while time.monotonic() < deadline:
            try:
                return reports.get(timeout=2)
            except queue.Empty:
                if browser.poll() is not None:
                    tail = log.read_text(errors="replace")[-3000:]
                    pytest.fail(f"chromium exited ({browser.returncode}) without a report:\n{tail}")
        pytest.fail("headless Chromium gave no report in 600 s")
    finally:
        if browser.poll() is None:
            os.killpg(browser.pid, 15)
            try:
                browser.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(browser.pid, 9)
                browser.wait(timeout=30)
        server.shutdown()
        server.server_close()


def test_the_four_buttons_in_headless_chromium_do_what_they_do_in_cpython(
    pyodide: Path, chromium: str, workbooks: Path, sample: Path, tmp_path: Path
) -> None:
    shutil.copy(sample, workbooks / "sample.xlsx")
    invoiced = invoiced_copies(sample, workbooks)
    day = f"--today={TODAY}"
    runs = [
        ["--button=validate", day, "shipped.xlsx", "mistakes.xlsx"],
        ["--button=totals", day, "sample.xlsx", "mistakes.xlsx"],
        ["--button=build_return", ON_INVOICE, day, *invoiced],
        ["--button=check_invoice", ON_INVOICE, day, *invoiced],
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    in_python = []
    for run in runs:
        options = [a for a in run if a.startswith("--")]
        paths = [str(workbooks / a) for a in run if not a.startswith("--")]
        done = subprocess.run(
            [sys.executable, str(HERE / "validate_button.py"), *options, *paths],
            cwd=REPO, capture_output=True, text=True, timeout=600, env=env, check=True,
        )  # fmt: skip
        in_python.append([json.loads(line) for line in done.stdout.splitlines()])
    in_browser = [[a if a.startswith("--") else f"/data/{a}" for a in run] for run in runs]
    report = press_in_chromium(chromium, pyodide, workbooks, in_browser, tmp_path)
    assert report["error"] is None, report["error"]
    assert "HeadlessChrome/" in report["agent"]
    assert len(report["runs"]) == len(runs)
    for run, python, printed in zip(runs, in_python, report["runs"], strict=True):
        browser = [json.loads(line) for line in printed if line.startswith("{")]
        assert [r.pop("platform") for r in browser] == ["emscripten"] * len(python), run
        for r in [*python, *browser]:
            r.pop("platform", None)
            r["writes"] = unstamped(r.get("writes", []))
        assert browser == python, run
    validate, totals, build_return, check_invoice = (
        [r["alerts"][0] for r in json.loads(f"[{','.join(p)}]")] for p in report["runs"]
    )
    assert validate[0].startswith("0 rows, 0 errors")
    assert "Spend to date (net)" in totals[0]
    assert build_return[0].startswith("Issued 'Return 2024-03' (version 1)")
    assert [a.split(":")[0] for a in check_invoice[:2]] == ["PASS", "FAIL"]
