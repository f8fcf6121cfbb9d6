"""Read a workbook file into plain data: the Tracker's raw rows and the Contract's terms.

Reads with python-calamine (fast, values only) and the zip's workbook.xml for defined names;
never runs or keeps a formula. Every way a file can be wrong becomes a WorkbookFileError with
one line saying what is wrong.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path
from typing import cast

import python_calamine as pc

from xlsrc.edges.fileio.paths import check_input_file
from xlsrc.edges.fileio.source import NamedCells, WorkbookSource
from xlsrc.edges.fileio.source import clean as _clean
from xlsrc.edges.workbook.names_xml import defined_names
from xlsrc.model import layout
from xlsrc.model.entry import ALL_COLUMNS, FORMULA_COLUMNS, INPUT_COLUMNS, RawRow, TableShape
from xlsrc.model.errors import WorkbookFileError
from xlsrc.model.writes import column_letter

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
    _tables: dict[str, tuple[list[str], list[list[object]], int]] = field(default_factory=dict)

    @property
    def table_names(self) -> list[str]:
        return self.calamine.table_names or []  # None when the file has no tables part

    def grid(self, sheet: str) -> list[list[object]]:
        if sheet not in self._grids:
            try:
                cells = self.calamine.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
                self._grids[sheet] = cast("list[list[object]]", cells)  # no copy: it is big
            except pc.WorksheetNotFound:
                raise WorkbookFileError(f"{self.path}: has no sheet named {sheet!r}") from None
            except pc.CalamineError as exc:
                raise _damaged(self.path, f"sheet {sheet!r}", exc) from None
        return self._grids[sheet]

    def table(self, name: str) -> tuple[list[str], list[list[object]], int]:
        """(headers, data rows, worksheet row of the first data row), read once."""
        if name not in self._tables:
            self._tables[name] = self._table(name)
        return self._tables[name]

    def _table(self, name: str) -> tuple[list[str], list[list[object]], int]:
        try:
            table = self.calamine.get_table_by_name(name)
            start, end = table.start, table.end
            if start is None or end is None:
                raise _damaged(self.path, f"table {name!r}", ValueError("no cell range"))
            if end[0] - start[0] > MAX_TABLE_ROWS:
                raise WorkbookFileError(
                    f"{self.path}: the table {name!r} has {end[0] - start[0]:,} rows;"
                    f" calloff reads at most {MAX_TABLE_ROWS:,}"
                )
            with _gc_paused():  # a Python object per cell, none in a cycle
                rows = cast("list[list[object]]", table.to_python())
        except pc.TableNotFound:
            raise WorkbookFileError(
                f"{self.path}: has no Excel table named {name!r}"
                f" (tables found: {', '.join(self.table_names) or 'none'})"
            ) from None
        except pc.CalamineError as exc:
            raise _damaged(self.path, f"table {name!r}", exc) from None
        return list(table.columns), rows, start[0] + 1


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
                " (cut short while copied or saved?); use its backup in calloff-backups/"
                " or an earlier copy"
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


_FORMULA_COLUMNS = {column_letter(ALL_COLUMNS.index(c) + 1).encode(): c for c in FORMULA_COLUMNS}
_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?(?:/>|>(<f[ >])?)')
_LAST_ROW = re.compile(rb'<row r="([0-9]+)"')


def read_tracker_shape(book: WorkbookSource) -> TableShape:
    """The Tracker table's shape, read from the file's XML (a file opened with open_book);
    any other source (a workbook open in Excel) is taken as sound."""
    headers, rows, first = book.table(layout.TRACKER_TABLE)
    last = first + len(rows) - 1
    part = sheet_xml(book, layout.TRACKER) if isinstance(book, Book) else None
    if part is None:
        return TableShape(last)
    below = _rows_below(book, part, last)
    # Each data row has a Month and a Cost formula: when the sheet holds that many formulas
    # (it holds no others), none was overwritten, found without looking at each cell.
    overwritten: list[tuple[int, str, object]] = []
    # One pass: every "<f" inside sheetData opens a formula (conditional formats' and data
    # validations' <formula> elements come after it).
    end = part.rfind(b"</sheetData>")
    formulas = part.count(b"<f", 0, end if end >= 0 else len(part))
    if formulas != len(_FORMULA_COLUMNS) * len(rows):
        index = {c: headers.index(c) for c in FORMULA_COLUMNS if c in headers}
        with_formula: set[tuple[int, str]] = set()
        for column, row, formula in _CELL.findall(part):
            if column in _FORMULA_COLUMNS and first <= int(row) <= last and formula:
                with_formula.add((int(row), _FORMULA_COLUMNS[column]))
        for n, cells in enumerate(rows):
            for name, i in index.items():
                if (first + n, name) not in with_formula:
                    overwritten.append((first + n, name, _clean(cells[i])))
    return TableShape(last, below, overwritten)


def _rows_below(book: WorkbookSource, part: bytes, last: int) -> list[RawRow]:
    rows = _LAST_ROW.findall(part[-65536:]) or _LAST_ROW.findall(part)
    if not rows or int(rows[-1]) <= last:
        return []
    grid = book.grid(layout.TRACKER)
    found = []
    for r in range(last, len(grid)):  # grid is 0-based: index `last` is row last + 1
        values = {c: _clean(v) for c, v in zip(INPUT_COLUMNS, grid[r], strict=False)}
        raw = RawRow(layout.TRACKER, r + 1, values)
        if not raw.is_blank():
            found.append(raw)
    return found


def sheet_xml(book: Book, sheet: str) -> bytes | None:
    """The worksheet part's XML, found through workbook.xml and its relationships."""
    try:
        with zipfile.ZipFile(book.path) as archive:
            workbook = archive.read("xl/workbook.xml")
            rels = archive.read("xl/_rels/workbook.xml.rels")
            rid = re.search(
                rb'<sheet [^>]*name="' + re.escape(sheet.encode()) + rb'"[^>]*r:id="([^"]+)"',
                workbook,
            )
            if rid is None:
                return None
            target = re.search(
                rb'<Relationship [^>]*Id="' + re.escape(rid[1]) + rb'"[^>]*Target="([^"]+)"',
                rels,
            ) or re.search(
                rb'<Relationship [^>]*Target="([^"]+)"[^>]*Id="' + re.escape(rid[1]) + rb'"', rels
            )
            if target is None:
                return None
            name = target[1].decode()
            name = name.lstrip("/") if name.startswith("/") else f"xl/{name}"
            return archive.read(name)
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
