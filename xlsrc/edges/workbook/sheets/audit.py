"""Audit sheet: the change log. Python appends a row for each writing command (who, when,
what, the month; a return issued carries the fingerprint that locks its month) and for the
build (with the terms' fingerprint); each row's Digest chains it to the row before.

Protected: people read it; only the tool writes it. Protection is a guard, not security.
"""

from __future__ import annotations

import json

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from xlsrc import __version__
from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.sheets import common
from xlsrc.model import audit, layout
from xlsrc.model.terms.fingerprint import terms_fingerprint
from xlsrc.model.terms.models import Terms

# When holds "2024-03-31T09:30:00Z"; Who an account and a role.
WIDTHS = (23, 24, 10, 8, 7, 13, 66, 14, 30, 36, 18)


def build(wb: Workbook, terms: Terms) -> None:
    ws = wb.create_sheet(layout.AUDIT)
    styles.title(
        ws,
        f"Audit log — {terms.contract.id}",
        "Written by calloff: who did what, each row chained to the one before. Read-only.",
    )
    styles.header_row(ws, layout.HEADER_ROW, list(layout.AUDIT_HEADERS))
    # No timestamp: the build must be reproducible byte for byte (the golden-file test).
    row = {
        "When": "",
        "Action": layout.AUDIT_BUILT,
        "Month": "",
        "Version": "",
        "Rows": "",
        "Net": "",
        "Fingerprint": terms_fingerprint(terms),
        "Tool": f"calloff {__version__}",
        # The Contract sheet's terms as built, so a later change can be named term by term.
        "Details": json.dumps(layout.contract_snapshot(terms), sort_keys=True),
        "Who": "",  # nor who: the same terms build the same file, whoever builds it
    }
    cells = audit.chained(list(layout.AUDIT_HEADERS), "", {k: v or None for k, v in row.items()})
    for c, value in enumerate(cells, start=1):
        put(ws, layout.FIRST_DATA_ROW, c, value)
    last_col = get_column_letter(len(layout.AUDIT_HEADERS))
    common.add_table(
        ws,
        layout.AUDIT_TABLE,
        f"A{layout.HEADER_ROW}:{last_col}{layout.FIRST_DATA_ROW}",
        "TableStyleLight15",
    )
    common.column_widths(ws, WIDTHS)
    # Details is for calloff to read back (the terms as built), not for people or paper.
    ws.column_dimensions[get_column_letter(layout.AUDIT_HEADERS.index("Details") + 1)].hidden = True
    common.finish(ws, terms, freeze=f"A{layout.FIRST_DATA_ROW}")
