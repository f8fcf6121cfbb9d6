"""What most sheet builders end with: an Excel Table, column widths, and the governed finish
(frozen header, protection, A4 print setup with the marking)."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.edges.workbook import styles
from xlsrc.model import layout
from xlsrc.model.terms.models import Terms

HEADER_ROWS = f"{layout.HEADER_ROW}:{layout.HEADER_ROW}"


def add_table(ws: Worksheet, name: str, ref: str, style: str, stripes: bool = True) -> Table:
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=stripes)
    ws.add_table(table)
    return table


def column_widths(ws: Worksheet, widths: Sequence[float], first: int = 1) -> None:
    for i, width in enumerate(widths, start=first):
        ws.column_dimensions[get_column_letter(i)].width = width


def finish(ws: Worksheet, terms: Terms, *, freeze: str, landscape: bool = True) -> None:
    """Freeze below the header, protect, and print on A4 with the header row repeated."""
    ws.freeze_panes = freeze
    styles.protect(ws)
    styles.print_setup(
        ws,
        landscape=landscape,
        title_rows=HEADER_ROWS,
        marking=terms.contract.protective_marking,
        contract_id=terms.contract.id,
    )
