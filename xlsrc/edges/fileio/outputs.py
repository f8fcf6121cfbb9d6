"""Output paths checked before any work: an output must be writable (its folder too), must not
be one of the command's inputs, and must not be a contract workbook that holds data (tracker
rows, issued returns, invoices), unless the person says so with `--force`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from xlsrc.edges.fileio.atomic import check_writable
from xlsrc.edges.fileio.invoices_reader import read_invoices
from xlsrc.edges.fileio.locked_months_reader import issued_returns
from xlsrc.edges.fileio.paths import same_file
from xlsrc.edges.fileio.reader import open_book, read_tracker
from xlsrc.model import layout
from xlsrc.model.errors import CalloffError, WorkbookFileError


def check_output(
    out: str | Path, *, inputs: Iterable[str | Path] = (), force: bool = False, what: str = "--out"
) -> Path:
    """Refuse, before anything is changed, an output that would lose or cannot take data."""
    out = Path(out)
    for source in inputs:
        if source is not None and same_file(out, source) and not force:
            raise WorkbookFileError(
                f"{out}: {what} is the input {source} itself; writing there would replace it."
                " Choose another file, or add --force to replace it (a backup is kept)"
            )
    check_writable(out)
    if not force:
        held = data_held(out)
        if held:
            raise WorkbookFileError(
                f"{out}: already holds a contract workbook with {held}; calloff will not write"
                " over it. Choose another file, or add --force to replace it (a backup is kept)"
            )
    return out


def check_output_folder(folder: str | Path) -> Path:
    """A folder to write files into: it exists and is writable, or can be created."""
    folder = Path(folder)
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        where = "" if probe == folder else f"{probe} "
        raise WorkbookFileError(f"{folder}: {where}is not a folder; choose a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise WorkbookFileError(f"{folder}: cannot write in {probe} (permission denied)")
    return folder


def data_held(path: str | Path) -> str | None:
    """What a contract workbook at `path` holds ("107 tracker rows, 3 issued returns"), or
    None when there is no file, or it is empty, or not a contract workbook, or holds nothing."""

    path = Path(path)
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        book = open_book(path)
        if layout.TRACKER_TABLE not in book.table_names:
            return None
        rows = sum(any(v is not None for v in r.values.values()) for r in read_tracker(book))
        returns = len(issued_returns(book))
        invoices = _invoice_rows(book)
    except (CalloffError, OSError, ValueError):
        return None
    parts = [
        f"{n} {label}{'' if n == 1 else 's'}"
        for n, label in ((rows, "tracker row"), (returns, "issued return"), (invoices, "invoice"))
        if n
    ]
    return ", ".join(parts) or None


def _invoice_rows(book: object) -> int:

    if layout.INVOICES_TABLE not in book.table_names:  # type: ignore[attr-defined]
        return 0
    return len(read_invoices(book))  # type: ignore[arg-type]
