"""Tracker rows from a CSV file (the bundled sample, batch imports).

Nothing in the file is cut or dropped silently; each of these refuses the file in one line
that says where:
- a row with more values than the header (an unquoted comma in a note would otherwise drop
  the rest of it); extra fields that are all empty (trailing commas) lose nothing and pass;
- a value longer than Excel's 32,767-character cell limit;
- a control character (NUL included) Excel cannot hold in a cell;
- more rows than a Tracker may hold, found while reading: the file is never read whole first;
- a column the Tracker does not have, or a column named twice (line 1, with the column);
- a double quote that is never closed (it would swallow the rest of the file into one value).
Month and Cost may be present (a Tracker saved as CSV): the workbook calculates them.
"""

from __future__ import annotations

import csv
import stat
from collections.abc import Iterator
from pathlib import Path

from xlsrc.model.entry import ALL_COLUMNS, INPUT_COLUMNS, RawRow
from xlsrc.model.errors import WorkbookFileError
from xlsrc.model.typed import CONTROL as _CONTROL
from xlsrc.model.typed import EXCEL_CELL_CHARS
from xlsrc.model.typed import shown_value as shown

MAX_CSV_ROWS = 200_000  # as for a workbook's Tracker table (xlsrc.edges.fileio.reader)


def read_tracker_csv(path: Path) -> list[RawRow]:
    """Rows keyed by header; `row` is the CSV line number so messages point at the line."""
    path = Path(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a folder, FIFO or device: never opened
            raise WorkbookFileError(f"{path}: is not a file; give a CSV file")
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            return _rows(path, _NulGuard(handle, path))
    except FileNotFoundError:
        raise WorkbookFileError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise WorkbookFileError(f"{path}: not a readable UTF-8 CSV ({exc})") from None


class _NulGuard:
    """The file's lines, refusing a NUL (csv's own message would not say where)."""

    def __init__(self, handle: Iterator[str], path: Path) -> None:
        self._handle, self._path, self.line = handle, path, 0
        self.record_start, self.record_first = 1, ""  # where the record being read began
        self._new_record = True

    def next_record(self) -> None:
        self._new_record = True

    def __iter__(self) -> _NulGuard:
        return self

    def __next__(self) -> str:
        line = next(self._handle)
        self.line += 1
        if self._new_record:
            self.record_start, self.record_first, self._new_record = self.line, line, False
        if "\x00" in line:
            raise WorkbookFileError(
                f"{self._path}, line {self.line}: contains a NUL character; is it really a"
                " CSV (or a file saved as UTF-16)? Save it as CSV UTF-8"
            )
        return line


def _rows(path: Path, lines: _NulGuard) -> list[RawRow]:
    old_limit = csv.field_size_limit(EXCEL_CELL_CHARS + 1)
    try:
        reader = csv.reader(lines, strict=True)
        header = next(reader, None) or []
        header = [h.strip() for h in header]
        _check_header(path, header)
        index = {c: header.index(c) for c in INPUT_COLUMNS}
        out: list[RawRow] = []
        number = 1
        while True:
            lines.next_record()
            fields = next(reader, None)
            if fields is None:
                break
            number += 1
            if len(out) >= MAX_CSV_ROWS:
                raise WorkbookFileError(
                    f"{path}: has more than {MAX_CSV_ROWS:,} rows, more than a Tracker holds;"
                    " split it by month"
                )
            where = f"{path}, line {reader.line_num}"
            _check_fields(where, header, fields)
            values: dict[str, object] = {
                c: (fields[i] if i < len(fields) else "") or None for c, i in index.items()
            }
            out.append(RawRow(sheet=Path(path).name, row=number, values=values))
        return out
    except csv.Error as exc:
        where = f"{path}, line {reader.line_num}" if "reader" in locals() else str(path)
        known = header if "header" in locals() else []
        unclosed = lines.record_first.count('"') % 2 == 1 and lines.line > lines.record_start
        if "unexpected end of data" in str(exc) or unclosed:
            raise WorkbookFileError(_unclosed(path, lines, known)) from None
        if "field larger than field limit" in str(exc):
            raise WorkbookFileError(
                f"{where}: a value is longer than {EXCEL_CELL_CHARS:,} characters, Excel's"
                " limit for one cell; shorten it"
            ) from None
        raise WorkbookFileError(f"{where}: not a readable CSV ({exc})") from None
    finally:
        csv.field_size_limit(old_limit)


def _check_header(path: Path, header: list[str]) -> None:
    """Every column is one the Tracker has, named once; the input columns are all there."""
    seen: dict[str, int] = {}
    for n, name in enumerate(header, start=1):
        if name and name in seen:
            raise WorkbookFileError(
                f"{path}, line 1, column {n}: the column {name!r} is named twice (columns"
                f" {seen[name]} and {n}); keep one, so no value is left out"
            )
        if name and name not in ALL_COLUMNS:
            raise WorkbookFileError(
                f"{path}, line 1, column {n}: {shown(name)} is not a Tracker column (they are"
                f" {', '.join(INPUT_COLUMNS)}); remove it or move its values into Notes"
            )
        seen[name] = n
    missing = [c for c in INPUT_COLUMNS if c not in header]
    if missing:
        raise WorkbookFileError(f"{path}: CSV lacks the column(s) {', '.join(missing)}")


def _unclosed(path: Path, lines: _NulGuard, header: list[str]) -> str:
    """Where the double quote that is never closed was opened: line and column."""
    opened = next(csv.reader([lines.record_first.rstrip("\r\n") + '"']), [])
    n = max(len(opened), 1)
    name = f" ({header[n - 1]})" if n <= len(header) and header[n - 1] else ""
    return (
        f"{path}, line {lines.record_start}, column {n}{name}: a double quote opens a value"
        " that is never closed, so the rest of the file would be read into it; close the"
        ' quote (a quote inside a value is written twice: "")'
    )


def _check_fields(where: str, header: list[str], fields: list[str]) -> None:
    extra = fields[len(header) :]
    if any(v.strip() for v in extra):
        raise WorkbookFileError(
            f"{where}: {len(fields)} values but the header has {len(header)} columns; a comma"
            " inside a value (e.g. in Notes) must be within double quotes. Nothing was read"
        )
    for n, (column, value) in enumerate(zip(header, fields, strict=False), start=1):
        if not column and value.strip():
            raise WorkbookFileError(
                f"{where}, column {n}: a value under a column with no name; name the column"
                " or move the value into Notes. Nothing was read"
            )
        if len(value) > EXCEL_CELL_CHARS:
            raise WorkbookFileError(
                f"{where}, column {column}: {len(value):,} characters, more than Excel's"
                f" {EXCEL_CELL_CHARS:,} for one cell; shorten it"
            )
        bad = _CONTROL.search(value)
        if bad:
            raise WorkbookFileError(
                f"{where}, column {column}: contains the control character"
                f" U+{ord(bad.group()):04X}, which an Excel cell cannot hold; remove it"
            )
