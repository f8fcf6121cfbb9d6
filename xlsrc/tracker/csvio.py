"""Tracker rows from a CSV file (the bundled sample, batch imports)."""

from __future__ import annotations

import csv
from pathlib import Path

from xlsrc.errors import WorkbookFileError
from xlsrc.tracker.model import INPUT_COLUMNS, RawRow


def read_tracker_csv(path: Path) -> list[RawRow]:
    """Rows keyed by header; `row` is the CSV line number so messages point at the line."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in INPUT_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise WorkbookFileError(f"{path}: CSV lacks the column(s) {', '.join(missing)}")
            return [
                RawRow(
                    sheet=Path(path).name,
                    row=line,
                    values={c: (r.get(c) or None) for c in INPUT_COLUMNS},
                )
                for line, r in enumerate(reader, start=2)
            ]
    except FileNotFoundError:
        raise WorkbookFileError(f"{path}: file not found") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise WorkbookFileError(f"{path}: not a readable UTF-8 CSV ({exc})") from None
