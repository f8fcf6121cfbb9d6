"""Shared fixtures: the bundled terms, a built workbook, the sample workbook, LibreOffice."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xlsrc.actions.demo import run_demo
from xlsrc.engine import libreoffice
from xlsrc.terms import load_terms
from xlsrc.terms.models import Terms
from xlsrc.workbook.build import build_to

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def terms() -> Terms:
    return load_terms()


@pytest.fixture(scope="session")
def built(tmp_path_factory, terms) -> Path:
    """A freshly built, empty workbook (read-only for tests: copy before changing)."""
    return build_to(terms, tmp_path_factory.mktemp("built") / "CON_22889.xlsx")


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Path:
    """The bundled example: built, extended 3 months, tracker filled (copy before changing)."""
    return run_demo(tmp_path_factory.mktemp("sample")).workbook


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
