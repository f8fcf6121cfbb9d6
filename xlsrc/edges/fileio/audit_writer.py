"""Append rows to the Audit table (the change log); rows already there are never touched."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, range_boundaries

from xlsrc.edges.workbook.cells import put
from xlsrc.model import layout
from xlsrc.model.entry import check_table_columns
from xlsrc.model.errors import WorkbookFileError


def append_audit(wb: Workbook, values: dict[str, object]) -> int:
    """Write one row after the table's last row and grow the table; return the row."""
    if layout.AUDIT not in wb.sheetnames:
        raise WorkbookFileError("this workbook has no Audit sheet; rebuild it with calloff build")
    ws = wb[layout.AUDIT]
    check_table_columns(ws, layout.AUDIT_TABLE, layout.AUDIT_HEADERS, older=True)
    table = ws.tables[layout.AUDIT_TABLE]
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    row = max_row + 1
    for c, header in enumerate(layout.AUDIT_HEADERS, start=1):
        put(ws, row, c, values.get(header))
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{row}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref
    return row
