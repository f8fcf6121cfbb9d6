"""The xlwings Lite script (macros/lite/main.py): the same buttons, tested like the adapter.

Each @script function is run with a Book on both backends (the fake, and xlwings' remote
engine, which is the Book API xlwings Lite itself runs on) and must write exactly what the
desktop entry point writes for the same workbook. Outside xlwings Lite, `xlwings.script` is
a plain decorator, so the file imports as it is.
"""

from __future__ import annotations

import importlib.util
import inspect
import shutil
from pathlib import Path

import pytest
import xlwings as xw
from packaging.requirements import Requirement

from tests.test_xl_adapter import _invoice, add_name, cells, fills, opened
from tests.xl import backends
from xlsrc.adapters.xl import entry
from xlsrc.model import layout

LITE = Path(__file__).resolve().parents[1] / "macros" / "lite"
SCRIPTS = ("validate", "totals", "build_return", "check_invoice")


@pytest.fixture(params=backends.NAMES)
def backend(request):
    """The fake of xlwings' Book API, and xlwings' own remote engine (needs a licence key)."""
    return backends.make(request.param)


def lite_module():
    spec = importlib.util.spec_from_file_location("calloff_lite_main", LITE / "main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_button_but_import_is_a_script_taking_the_book():
    lite = lite_module()
    for name in SCRIPTS:
        (param,) = inspect.signature(getattr(lite, name)).parameters.values()
        assert param.annotation in (xw.Book, "xw.Book"), name
    assert not hasattr(lite, "import_trackers")  # no local files in the browser (docstring)


def test_requirements_pin_this_xlwings_and_name_the_calloff_wheel():
    lines = [
        line.strip()
        for line in (LITE / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    pins = [Requirement(line) for line in lines if not line.startswith("https://")]
    assert [str(r) for r in pins] == [f"xlwings=={xw.__version__}"]
    wheels = [line for line in lines if line.startswith("https://")]
    assert len(wheels) == 1 and wheels[0].endswith("-py3-none-any.whl")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, sample) -> Path:
    """The sample with March invoiced and the two named cells the buttons read and write
    (made once: every test copies it)."""
    path = Path(shutil.copy(sample, tmp_path_factory.mktemp("lite") / sample.name))
    _invoice((path,), sample)
    add_name((path,), "ActionMonth", layout.GUIDE, "E4", "2024-03")
    add_name((path,), "ActionStatus", layout.GUIDE, "E5", None)
    return path


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_writes_what_the_desktop_button_writes(backend, prepared, tmp_path, name):
    paths = []
    for folder in ("lite", "desktop"):
        (tmp_path / folder).mkdir()
        paths.append(Path(shutil.copy(prepared, tmp_path / folder / prepared.name)))
    alerts = []
    for path, run in zip(paths, (getattr(lite_module(), name), getattr(entry, name)), strict=True):
        book = backend.open(path)
        run(book)
        alerts.append(backend.apply(book, path))
    assert len(alerts[0]) == 1 and "Internal error" not in alerts[0][0]
    assert alerts[0] == alerts[1]
    lite, desktop = paths
    for sheet in opened(desktop).sheetnames:
        found, expected = cells(lite, sheet), cells(desktop, sheet)
        if sheet == layout.GUIDE:  # the status line carries the time it was written
            found.pop("E5"), expected.pop("E5")
        if sheet == layout.AUDIT:
            # the time written, and the digest covering it, of the rows the buttons added
            for ref in [r for r in expected if r[0] in "AK" and r[1:].isdigit()]:
                if int(ref[1:]) > layout.FIRST_DATA_ROW:
                    found.pop(ref, None), expected.pop(ref, None)
        assert found == expected, sheet
        assert fills(lite, sheet) == fills(desktop, sheet), sheet
