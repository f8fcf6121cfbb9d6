"""The two backends every adapter test runs on: the fake, and xlwings' own remote engine.

`backend.open(path)` gives an xlwings-like Book for the workbook file; after the adapter has
run, `backend.apply(book, path)` writes what it wrote into that file and returns the alerts
it showed. The remote engine runs only when XLWINGS_LICENSE_KEY is set (see remote_engine);
without it those tests are skipped with the reason, and the fake carries the same tests.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from . import remote_engine
from .excel_file import apply_ops
from .fake_xlwings import FakeBook


class Fake:
    name = "fake"

    def open(self, path: Path, selection: tuple[str, str] | None = None) -> Any:
        return FakeBook(path, selection)

    def apply(self, book: Any, path: Path) -> list[str]:
        return book.apply_to_file(path)


class Remote:
    """xlwings' Book API itself: xw.Book(json=...) and the actions it records."""

    name = "xlwings-remote"

    def __init__(self) -> None:
        self._payloads: dict[int, dict[str, Any]] = {}

    def open(self, path: Path, selection: tuple[str, str] | None = None) -> Any:
        import xlwings as xw

        payload = remote_engine.book_json(path, selection)
        # xlwings edits the payload it is given as the button works (a sheet added is inserted
        # into its list): the actions are read against the book as it was opened.
        book = xw.Book(json=copy.deepcopy(payload))
        self._payloads[id(book.impl)] = payload
        return book

    def apply(self, book: Any, path: Path) -> list[str]:
        payload = self._payloads.pop(id(book.impl))
        return apply_ops(path, remote_engine.ops_from_actions(payload, book.json()["actions"]))


NAMES = ("fake", "xlwings-remote")


def make(name: str) -> Fake | Remote:
    """The backend for a test's `backend` fixture: `@pytest.fixture(params=NAMES)`."""
    if name == "fake":
        return Fake()
    why = remote_engine.unavailable()
    if why is not None:
        pytest.skip(why)
    return Remote()
