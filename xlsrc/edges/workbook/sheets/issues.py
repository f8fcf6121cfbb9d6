"""Issues sheet: what `calloff validate` found, one row per problem, each linked to its cell.

The builder makes the empty table; xlsrc.edges.fileio.issues_writer replaces its rows on every run
(never piling up). Output only: nothing to type here.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.sheets import common
from xlsrc.model import layout
from xlsrc.model.terms.models import Terms

WIDTHS = (9, 22, 10, 6, 10, 18, 70, 12)


def build(wb: Workbook, terms: Terms) -> None:
    ws = wb.create_sheet(layout.ISSUES)
    styles.title(
        ws,
        f"Issues — {terms.contract.id}",
        "Written by 'calloff validate' (or the Validate button); replaced on every run.",
    )
    put(ws, 3, 1, "Not validated yet.").font = styles.BOLD
    styles.header_row(ws, layout.HEADER_ROW, list(layout.ISSUES_HEADERS))
    last_col = get_column_letter(len(layout.ISSUES_HEADERS))
    # A table needs one data row; it is blank until the first run.
    common.add_table(
        ws,
        layout.ISSUES_TABLE,
        f"A{layout.HEADER_ROW}:{last_col}{layout.FIRST_DATA_ROW}",
        "TableStyleMedium3",
    )
    common.column_widths(ws, WIDTHS)
    common.finish(ws, terms, freeze=f"A{layout.FIRST_DATA_ROW}")
