"""Before calloff writes into a table: the table's columns are the layout's, in order.

Each writer writes by position (column 1 is the Decisions table's Date, column 3 the Audit
table's Month...). A table whose columns were deleted, renamed or moved would take values
under the wrong heading, so it is refused in one line naming what is missing; the file is
saved only after every write, so nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.model.errors import WorkbookFileError


def columns_damaged(headers: Sequence[str], expected: Sequence[str]) -> str:
    """What is wrong with `headers` (missing, unknown, out of order), or "" when they match."""
    if list(headers) == list(expected):
        return ""
    missing = [c for c in expected if c not in headers]
    extra = [str(h) for h in headers if h not in expected]
    parts = [
        f"missing {', '.join(missing)}" if missing else "",
        f"not one of its columns: {', '.join(extra)}" if extra else "",
    ]
    return "; ".join(p for p in parts if p) or "out of order"


def check_table_columns(
    ws: Worksheet, table: str, expected: Sequence[str], *, remedy: str = "", older: bool = False
) -> None:
    """WorkbookFileError unless the sheet's table `table` has exactly the columns `expected`
    (`older`: or their first ones, as a workbook built before the last were added has)."""
    found = ws.tables.get(table)
    if found is None:
        raise WorkbookFileError(
            f"sheet {ws.title} has no table named {table!r}; nothing was written."
            f" {remedy or 'Rebuild the workbook, or take the sheet from a backup'}"
        )
    if not found.tableColumns:
        return  # a table built just now: openpyxl names its columns from the header on save
    headers = [str(c.name) for c in found.tableColumns]
    what = columns_damaged(headers, expected)
    if older and headers and headers == list(expected[: len(headers)]):
        what = ""
    if what:
        raise WorkbookFileError(
            f"sheet {ws.title}: the {table} table's columns are damaged ({what}): they must be"
            f" {', '.join(expected)}; nothing was written."
            f" {remedy or 'Rebuild the workbook, or take the sheet from a backup'}"
        )


def damaged_table(where: str, table: str, what: str) -> str:
    """The one line for a table read in a damaged state (`where`: the file and sheet)."""
    return (
        f"{where}: the {table} table's columns are damaged ({what}); nothing was written."
        " Rebuild the workbook, or take the sheet from a backup"
    )


def check_widths(where: str, table: str, headers: Sequence[str], data: Sequence[Sequence[object]],
                 expected: Sequence[str] = ()) -> None:  # fmt: skip
    """A table whose named columns do not span its cells (a column deleted from the table's
    definition, not from the sheet) is damaged: refused, naming what is missing if known."""
    wrong = next((r for r in data if len(r) != len(headers)), None)
    if wrong is None:
        return
    missing = [c for c in expected if c not in headers]
    what = (
        f"missing {', '.join(missing)}"
        if missing
        else f"{len(headers)} named columns over {len(wrong)} columns of cells"
    )
    raise WorkbookFileError(damaged_table(where, table, what))


class TableRow(dict[str, object]):
    """One table row by heading; asking for a heading the table lacks is a damaged table."""

    def __init__(self, where: str, table: str, items: Iterable[tuple[str, object]]) -> None:
        super().__init__(items)
        self._where, self._table = where, table

    def __missing__(self, key: str) -> object:
        raise WorkbookFileError(damaged_table(self._where, self._table, f"missing {key}"))
