"""Where a new Return sheet goes: among the workbook's Return sheets by the month it covers,
so the book reads January, February, March whatever order the returns were issued in.

A month's interim returns (`Return 2024-03-15 interim`) come before its monthly return
(`Return 2024-03`), by their date; versions (` v2`) after the first. Sheets that are not
returns keep their places; a return later than every other goes where returns always went,
just before the hidden Lists sheet.
"""

from __future__ import annotations

import re

from xlsrc.model import layout

_RETURN = re.compile(
    rf"^{re.escape(layout.RETURN_PREFIX)}(\d{{4}})-(\d{{2}})(?:-(\d{{2}}) interim)?(?: v(\d+))?$"
)
_MONTHLY_DAY = 32  # a monthly return follows every interim return of its month


def return_key(name: str) -> tuple[int, int, int, int] | None:
    """(year, month, day, version) of a Return sheet's name; None for any other sheet."""
    found = _RETURN.match(name)
    if found is None:
        return None
    year, month, day, version = found.groups()
    return int(year), int(month), int(day) if day else _MONTHLY_DAY, int(version or 1)


def sheet_before(names: list[str], new: str) -> str | None:
    """The sheet the return `new` is placed before: the first Return sheet ordered after it,
    else the Lists sheet; None (the end of the book) when there is neither."""
    key = return_key(new)
    if key is not None:
        for name in names:
            other = return_key(name)
            if other is not None and other > key:
                return name
    return layout.LISTS if layout.LISTS in names else None
