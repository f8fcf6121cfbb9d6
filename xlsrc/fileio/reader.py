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
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path

import python_calamine as pc

from xlsrc import layout
from xlsrc.errors import WorkbookFileError
from xlsrc.tracker.model import ALL_COLUMNS, INPUT_COLUMNS, RawRow

from .names_xml import defined_names
from .paths import check_input_file
from .source import NamedCells, WorkbookSource
from .source import clean as _clean

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls both start so

# Guards against zip bombs, checked on the zip's directory before anything is unpacked.
MAX_PART_BYTES = 200 * 2**20  # one part, uncompressed
MAX_RATIO = 100  # all parts: uncompressed / compressed
MAX_TABLE_ROWS = 200_000  # a contract's tracker holds hundreds or thousands of rows


@dataclass
class Book(NamedCells):
    """An opened workbook: calamine for cell values, the names from workbook.xml."""

    path: Path
    calamine: pc.CalamineWorkbook
    names: dict[str, str]
    _grids: dict[str, list[list[object]]]

    @property
    def table_names(self) -> list[str]:
        return self.calamine.table_names

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

    def table(self, name: str) -> tuple[list[str], list[list[object]], int]:
        """(headers, data rows, worksheet row of the first data row)."""
        try:
            table = self.calamine.get_table_by_name(name)
            if table.end[0] - table.start[0] > MAX_TABLE_ROWS:
                raise WorkbookFileError(
                    f"{self.path}: the table {name!r} has {table.end[0] - table.start[0]:,} rows;"
                    f" calloff reads at most {MAX_TABLE_ROWS:,}"
                )
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
    path = check_input_file(path)  # a folder, FIFO or device is refused before it is opened
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        raise WorkbookFileError(
            f"{path}: is password-protected or an old .xls file; save it as an unprotected .xlsx"
        )
    if not zipfile.is_zipfile(path):
        if head.startswith(b"PK\x03\x04"):
            raise WorkbookFileError(
                f"{path}: is not an Excel .xlsx workbook that can be read: the zip is incomplete"
                " (cut short while copied or saved?); use its .bak or an earlier copy"
            )
        raise WorkbookFileError(f"{path}: is not an Excel .xlsx workbook (not a zip file)")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_unpacked_sizes(path, archive)
            _refuse_doctypes(path, archive)
            names = defined_names(archive)
        book = pc.CalamineWorkbook.from_path(str(path), load_tables=True)
    except WorkbookFileError:
        raise
    except (zipfile.BadZipFile, KeyError, pc.CalamineError, OSError, ValueError) as exc:
        raise WorkbookFileError(f"{path}: workbook is damaged and cannot be read ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - calamine/XML raise their own types
        raise WorkbookFileError(
            f"{path}: workbook cannot be read ({type(exc).__name__}: {exc})"
        ) from None
    return Book(path=path, calamine=book, names=names, _grids={})


def _check_unpacked_sizes(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb from the sizes its directory declares, before unpacking anything
    (zipfile stops reading a part at its declared size, so the declaration binds)."""
    parts = archive.infolist()
    for info in parts:
        if info.file_size > MAX_PART_BYTES:
            raise WorkbookFileError(
                f"{path}: refused: its part {info.filename} would unpack to"
                f" {info.file_size / 2**20:,.0f} MB (at most {MAX_PART_BYTES // 2**20} MB)"
            )
    unpacked = sum(i.file_size for i in parts)
    packed = sum(i.compress_size for i in parts)
    if unpacked > MAX_RATIO * max(packed, 1) and unpacked > 10 * 2**20:
        raise WorkbookFileError(
            f"{path}: refused: it would unpack to {unpacked / 2**20:,.0f} MB from"
            f" {packed / 2**20:,.1f} MB (more than {MAX_RATIO}:1, like a zip bomb)"
        )


def _refuse_doctypes(path: Path, archive: zipfile.ZipFile) -> None:
    """No XML part of a workbook has a DOCTYPE: one declares entities (billion laughs,
    external files), which no reader here should ever expand."""
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as part:
                head = part.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise WorkbookFileError(
                    f"{path}: refused: its part {info.filename} declares XML entities (DOCTYPE),"
                    " which Excel never writes"
                )


def read_tracker(book: WorkbookSource) -> list[RawRow]:
    """Every row of the Tracker table, blank ones included (the validator skips them)."""
    # One pause for reading and building: calamine's row lists are freed before it ends, so
    # the collector never has to scan them.
    with _gc_paused():
        return _tracker_rows(book)


def _tracker_rows(book: WorkbookSource) -> list[RawRow]:
    headers, rows, first_row = book.table(layout.TRACKER_TABLE)
    expected = list(INPUT_COLUMNS)
    if headers[: len(expected)] != expected:
        raise WorkbookFileError(
            f"{book.path}: the Tracker table's first columns must be {', '.join(expected)};"
            f" found {', '.join(map(str, headers[: len(expected)]))}"
        )
    keep = [h for h in headers if h not in ALL_COLUMNS[len(INPUT_COLUMNS) :]]
    pick = itemgetter(*(headers.index(h) for h in keep))  # 7 input columns: a tuple
    # zip() without strict: `pick` always gives one cell per kept header.
    cells: list[dict[str, object]] | None = None
    if not any(issubclass(kind, dt.datetime) for kind in set(map(type, chain.from_iterable(rows)))):
        # Only '' needs changing: a dict lookup per cell, looped in C.
        with suppress(TypeError):  # a cell that cannot be a dict key: clean one by one
            cells = [dict(zip(keep, map(_BLANK.get, c, c))) for c in map(pick, rows)]  # noqa: B905
    if cells is None:  # datetimes (rare) go through _clean
        cells = [dict(zip(keep, map(_clean, pick(v)))) for v in rows]  # noqa: B905
    numbers = range(first_row, first_row + len(cells))
    return list(map(RawRow, repeat(layout.TRACKER), numbers, cells))


_BLANK = {"": None}


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
