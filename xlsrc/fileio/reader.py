"""Read a workbook file into plain data: the Tracker's raw rows and the Contract's terms.

Reads with python-calamine (fast, values only) and the zip's workbook.xml for defined names;
never runs or keeps a formula. Every way a file can be wrong becomes a WorkbookFileError with
one line saying what is wrong.
"""

from __future__ import annotations

import datetime as dt
import gc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path

import python_calamine as pc

from xlsrc.errors import WorkbookFileError
from xlsrc.tracker.model import ALL_COLUMNS, INPUT_COLUMNS, RawRow
from xlsrc.workbook import layout

from .names_xml import defined_names, parse_ref

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls both start so


@dataclass
class Book:
    """An opened workbook: calamine for cell values, the names from workbook.xml."""

    path: Path
    calamine: pc.CalamineWorkbook
    names: dict[str, str]
    _grids: dict[str, list[list[object]]]

    def grid(self, sheet: str) -> list[list[object]]:
        if sheet not in self._grids:
            try:
                self._grids[sheet] = self.calamine.get_sheet_by_name(sheet).to_python(
                    skip_empty_area=False
                )
            except pc.WorksheetNotFound:
                raise WorkbookFileError(f"{self.path}: has no sheet named {sheet!r}") from None
            except pc.CalamineError as exc:
                raise _damaged(self.path, f"sheet {sheet!r}", exc) from None
        return self._grids[sheet]

    def named_value(self, name: str) -> object:
        """Value of the single cell a defined name points at ('' when empty)."""
        ref = self.names.get(name)
        parsed = parse_ref(ref) if ref else None
        if parsed is None:
            raise WorkbookFileError(f"{self.path}: defined name {name} is missing or not a cell")
        sheet, r1, c1, _, _ = parsed
        grid = self.grid(sheet)
        if r1 >= len(grid) or c1 >= len(grid[r1]):
            return ""
        return grid[r1][c1]

    def named_column(self, name: str) -> list[object]:
        ref = self.names.get(name)
        parsed = parse_ref(ref) if ref else None
        if parsed is None:
            raise WorkbookFileError(f"{self.path}: defined name {name} is missing")
        sheet, r1, c1, r2, _ = parsed
        grid = self.grid(sheet)
        return [grid[r][c1] for r in range(r1, min(r2 + 1, len(grid)))]

    def table(self, name: str) -> tuple[list[str], list[list[object]], int]:
        """(headers, data rows, worksheet row of the first data row)."""
        try:
            table = self.calamine.get_table_by_name(name)
            with _gc_paused():  # a Python object per cell, none in a cycle
                rows = table.to_python()
        except pc.TableNotFound:
            raise WorkbookFileError(
                f"{self.path}: has no Excel table named {name!r}"
                f" (tables found: {', '.join(self.calamine.table_names) or 'none'})"
            ) from None
        except pc.CalamineError as exc:
            raise _damaged(self.path, f"table {name!r}", exc) from None
        return list(table.columns), rows, table.start[0] + 1


def _damaged(path: Path, where: str, exc: Exception) -> WorkbookFileError:
    return WorkbookFileError(f"{path}: workbook is damaged: cannot read its {where} ({exc})")


def open_book(path: str | Path) -> Book:
    path = Path(path)
    if not path.exists():
        raise WorkbookFileError(f"{path}: file not found")
    if path.is_dir():
        raise WorkbookFileError(f"{path}: is a folder, not a workbook")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        raise WorkbookFileError(
            f"{path}: is password-protected or an old .xls file; save it as an unprotected .xlsx"
        )
    if not zipfile.is_zipfile(path):
        raise WorkbookFileError(f"{path}: is not an Excel .xlsx workbook (not a zip file)")
    try:
        with zipfile.ZipFile(path) as archive:
            names = defined_names(archive)
        book = pc.CalamineWorkbook.from_path(str(path), load_tables=True)
    except (zipfile.BadZipFile, KeyError, pc.CalamineError, OSError, ValueError) as exc:
        raise WorkbookFileError(f"{path}: workbook is damaged and cannot be read ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - calamine/XML raise their own types
        raise WorkbookFileError(
            f"{path}: workbook cannot be read ({type(exc).__name__}: {exc})"
        ) from None
    return Book(path=path, calamine=book, names=names, _grids={})


def read_tracker(book: Book) -> list[RawRow]:
    """Every row of the Tracker table, blank ones included (the validator skips them)."""
    headers, rows, first_row = book.table(layout.TRACKER_TABLE)
    expected = list(INPUT_COLUMNS)
    if headers[: len(expected)] != expected:
        raise WorkbookFileError(
            f"{book.path}: the Tracker table's first columns must be {', '.join(expected)};"
            f" found {', '.join(map(str, headers[: len(expected)]))}"
        )
    keep = [h for h in headers if h not in ALL_COLUMNS[len(INPUT_COLUMNS) :]]
    if not rows:
        return []
    pick = itemgetter(*(headers.index(h) for h in keep))  # 7 input columns: a tuple
    # zip() without strict: `pick` always gives one cell per kept header.
    with _gc_paused():
        kinds = set(map(type, chain.from_iterable(rows)))
        if any(issubclass(kind, dt.datetime) for kind in kinds):  # rare: clean cell by cell
            cells = [dict(zip(keep, map(_clean, pick(v)))) for v in rows]  # noqa: B905
        else:  # only '' needs changing: a dict lookup per cell, at C speed
            cells = [dict(zip(keep, map(_BLANK.get, c, c))) for c in map(pick, rows)]  # noqa: B905
        numbers = range(first_row, first_row + len(cells))
        return list(map(RawRow, repeat(layout.TRACKER), numbers, cells))


_BLANK = {"": None}  # calamine's cells are all hashable (text, numbers, dates, times)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects: at 100k
    rows it would otherwise rescan them all, again and again, doubling the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _clean(value: object) -> object:
    """calamine gives '' for an empty cell; the rest of the code expects None."""
    if value == "":
        return None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value
