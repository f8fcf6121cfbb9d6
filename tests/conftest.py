"""Shared fixtures: the bundled terms, a built workbook, the sample workbook, LibreOffice."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tiers import FAST
from xlsrc.actions.build import build_to
from xlsrc.actions.demo import run_demo
from xlsrc.edges.libreoffice import recalc as libreoffice
from xlsrc.model.terms import load_terms
from xlsrc.model.terms.models import Terms

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def terms() -> Terms:
    return load_terms()


def _made_once(tmp_path_factory, name: str, make: Callable[[Path], Path]) -> Path:
    """What `make` writes into a fresh folder, made once per run: under pytest-xdist the
    workers share one run's temporary root, and the first to ask makes it for all (a lock
    on that root keeps the others waiting, not making it again)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return make(tmp_path_factory.mktemp(name))
    root = tmp_path_factory.getbasetemp().parent
    folder, done = root / f"shared-{name}", root / f"shared-{name}.done"
    with (root / f"shared-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            done.write_text(str(make(folder)), encoding="utf-8")
    return Path(done.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built(tmp_path_factory, terms) -> Path:
    """A freshly built, empty workbook (read-only for tests: copy before changing)."""
    return _made_once(tmp_path_factory, "built", lambda f: build_to(terms, f / "CON_22889.xlsx"))


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Path:
    """The bundled example: built, extended 3 months, tracker filled (copy before changing)."""
    return _made_once(tmp_path_factory, "sample", lambda f: run_demo(f).workbook)


def _need_libreoffice() -> None:
    if not libreoffice.available():
        if os.environ.get("CI"):
            pytest.fail(
                "LibreOffice is required in CI (apt-get install libreoffice-calc-nogui python3-uno)"
            )
        pytest.skip("LibreOffice headless not installed")


@pytest.fixture(scope="session")
def lo() -> None:
    _need_libreoffice()


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's headless Chromium, where xlwings Lite's Pyodide is pressed in a real browser."""
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (make system-deps installs Debian's chromium)")
        pytest.skip("chromium is not installed (make system-deps installs it)")
    return found


@pytest.fixture(scope="session")
def gnumeric() -> str:
    """Gnumeric's ssconvert: the second spreadsheet engine (tests/tools/gnumeric.py)."""
    found = shutil.which("ssconvert")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Gnumeric is required in CI (make system-deps installs gnumeric)")
        pytest.skip("ssconvert is not installed (make system-deps installs gnumeric)")
    return found


# `make test-fast` (CALLOFF_TEST_TIER=fast, tests/tiers.py) skips openxml-audit on every
# written workbook (about a second a file); `make test` runs it.

# Every .xlsx/.xlsm any command writes during the tests passes the structural check (what
# Excel refuses and LibreOffice repairs) and, in the full tier, openxml-audit
# (tests/tools/openxml_check.py, with its listed false positives), whoever writes it (session
# fixtures included): the atomic writer is wrapped once, and each test answers for what was
# written since the last one. Tests that plant a fault on purpose are marked `planted_fault`.
_FOUND: list[str] = []
_REPORTED = [0]


def _check_written(original):
    from tests.tools.openxml_check import findings
    from xlsrc.edges.workbook.structure import structural_problems

    def checked(target, write):
        tmp = original(target, write)
        if Path(target).suffix.lower() in (".xlsx", ".xlsm"):
            problems = structural_problems(tmp) + ([] if FAST else findings(tmp))
            _FOUND.extend(f"{Path(target).name}: {p}" for p in problems)
        return tmp

    return checked


# The two tiers: `make test-fast` runs what needs neither LibreOffice nor Gnumeric nor node nor
# Chromium (`-m "not libreoffice and not gnumeric and not node and not browser"`); `make test`
# runs everything. A test is in the slow tier because of what it uses, not because someone
# remembered to mark it: the `lo` fixture marks it `libreoffice`, `gnumeric` marks it
# `gnumeric`, the Pyodide fixtures mark it `node`, the `chromium` fixture `browser` too.
_NODE_FIXTURES = frozenset({"pyodide"})


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "lo" in names:
            item.add_marker(pytest.mark.libreoffice)
        if names & _NODE_FIXTURES:
            item.add_marker(pytest.mark.node)
        if "chromium" in names:
            item.add_marker(pytest.mark.browser)
        if "gnumeric" in names:
            item.add_marker(pytest.mark.gnumeric)


def pytest_configure(config):
    from xlsrc.edges.fileio import atomic

    atomic._write_temp = _check_written(atomic._write_temp)


@pytest.fixture(autouse=True)
def _every_written_workbook_is_sound(request):
    yield
    new, _REPORTED[0] = _FOUND[_REPORTED[0] :], len(_FOUND)
    if new and request.node.get_closest_marker("planted_fault") is None:
        pytest.fail(
            "a written workbook fails the structural check or openxml-audit:\n"
            + "\n".join(new[:20])
        )
