"""Append rows to the Audit table (the change log); rows already there are never touched.

Each row says when and who (xlsrc.model.audit) and carries the digest that chains it to the
row before. An older Audit table (built before Who and Digest) gets the columns it has.
What each command's row says: xlsrc.edges.fileio.audit_rows."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, range_boundaries

from xlsrc.edges.workbook.cells import put
from xlsrc.model import audit, layout
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
    headers = [str(ws.cell(min_row, c).value or "") for c in range(min_col, max_col + 1)]
    body = [
        [ws.cell(r, c).value for c in range(min_col, max_col + 1)]
        for r in range(min_row + 1, max_row + 1)
    ]
    row = max_row + 1
    cells = audit.chained(headers, audit.last_digest(headers, body), audit.stamped(values))
    for c, value in enumerate(cells, start=min_col):
        put(ws, row, c, value)
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{row}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref
    return row
