"""Tracker rows from a CSV file (the bundled sample, batch imports).

Nothing in the file is cut or dropped silently; each of these refuses the file in one line
that says where:
- a row with more values than the header (an unquoted comma in a note would otherwise drop
  the rest of it); extra fields that are all empty (trailing commas) lose nothing and pass;
- a value longer than Excel's 32,767-character cell limit;
- a control character (NUL included) Excel cannot hold in a cell;
- more rows than a Tracker may hold, found while reading: the file is never read whole first.
"""

from __future__ import annotations

import csv
import re
import stat
from pathlib import Path

from xlsrc.model.entry import INPUT_COLUMNS, RawRow
from xlsrc.model.errors import WorkbookFileError

EXCEL_CELL_CHARS = 32_767  # Excel's limit for the text in one cell
MAX_CSV_ROWS = 200_000  # as for a workbook's Tracker table (xlsrc.edges.fileio.reader)
# Characters an Excel cell cannot hold (XML 1.0 forbids them); tab and line breaks are fine.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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

    def __init__(self, handle, path: Path) -> None:
        self._handle, self._path, self.line = handle, path, 0

    def __iter__(self) -> _NulGuard:
        return self

    def __next__(self) -> str:
        line = next(self._handle)
        self.line += 1
        if "\x00" in line:
            raise WorkbookFileError(
                f"{self._path}, line {self.line}: contains a NUL character; is it really a"
                " CSV (or a file saved as UTF-16)? Save it as CSV UTF-8"
            )
        return line


def _rows(path: Path, lines: _NulGuard) -> list[RawRow]:
    old_limit = csv.field_size_limit(EXCEL_CELL_CHARS + 1)
    try:
        reader = csv.reader(lines)
        header = next(reader, None) or []
        header = [h.strip() for h in header]
        missing = [c for c in INPUT_COLUMNS if c not in header]
        if missing:
            raise WorkbookFileError(f"{path}: CSV lacks the column(s) {', '.join(missing)}")
        index = {c: header.index(c) for c in INPUT_COLUMNS}
        out: list[RawRow] = []
        for number, fields in enumerate(reader, start=2):
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
        if "field larger than field limit" in str(exc):
            raise WorkbookFileError(
                f"{where}: a value is longer than {EXCEL_CELL_CHARS:,} characters, Excel's"
                " limit for one cell; shorten it"
            ) from None
        raise WorkbookFileError(f"{where}: not a readable CSV ({exc})") from None
    finally:
        csv.field_size_limit(old_limit)


def _check_fields(where: str, header: list[str], fields: list[str]) -> None:
    extra = fields[len(header) :]
    if any(v.strip() for v in extra):
        raise WorkbookFileError(
            f"{where}: {len(fields)} values but the header has {len(header)} columns; a comma"
            " inside a value (e.g. in Notes) must be within double quotes. Nothing was read"
        )
    for column, value in zip(header, fields, strict=False):
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
