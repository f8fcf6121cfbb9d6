"""Let the adapter write into protected sheets on desktop Excel for Windows, then lock again.

Every sheet is protected without a password (a guard against slips: xlsrc.edges.workbook.styles
.protect) and the workbook's structure too, and Excel refuses writes into locked cells, fills
and new sheets while they are. openpyxl ignores protection, so the CLI never meets this; the
buttons do. On Windows, through COM, the adapter lifts the protection of the sheets it is
about to write, and of the structure when it adds a sheet, and restores exactly what was
there, with the builder's options, even when the action fails.

xlwings has no protection call of its own: on the web, on a Mac and in the tests nothing
happens here (see README, "Using it in Excel", for what that means there).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Worksheet.Protect arguments matching styles.protect: contents locked, filtering, sorting
# and resizing columns and rows allowed, every cell selectable.
SHEET_OPTIONS = {
    "DrawingObjects": True,
    "Contents": True,
    "Scenarios": True,
    "AllowFormattingColumns": True,
    "AllowFormattingRows": True,
    "AllowSorting": True,
    "AllowFiltering": True,
}


def on_windows_desktop(book: Any) -> bool:
    return sys.platform == "win32" and getattr(book.app.engine, "name", "") == "excel"


@contextmanager
def unprotected(
    book: Any, sheets: list[str], *, structure: bool = False, windows: bool | None = None
) -> Iterator[None]:
    """Lift protection of `sheets` (and the structure) while the block runs; restore it."""
    if not (on_windows_desktop(book) if windows is None else windows):
        yield
        return
    lifted_sheets = []
    lifted_structure = False
    try:
        if structure and book.api.ProtectStructure:
            book.api.Unprotect()
            lifted_structure = True
        for name in sheets:
            api = book.sheets[name].api
            if api.ProtectContents:
                api.Unprotect()
                lifted_sheets.append(api)
        yield
    finally:
        for api in lifted_sheets:
            api.Protect(**SHEET_OPTIONS)
        if lifted_structure:
            book.api.Protect(Structure=True)


def protect_new_sheet(book: Any, name: str, *, windows: bool | None = None) -> None:
    """Protect a sheet the adapter added (a return is what was issued, read-only)."""
    if on_windows_desktop(book) if windows is None else windows:
        book.sheets[name].api.Protect(**SHEET_OPTIONS)
