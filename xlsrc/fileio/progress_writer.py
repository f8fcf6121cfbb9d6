"""Write monthly-reporting inputs (ratings, evidence, EHCP, SEN2, VCU) into their sheets.

Used for batch loads such as the bundled example; each value goes to the cell found by its
keys (area, outcome, measure, month...), and an unknown key is an error naming the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.utils import column_index_from_string, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc import fmt, layout
from xlsrc.errors import UserDataError
from xlsrc.money import to_decimal
from xlsrc.workbook.cells import put
from xlsrc.workbook.sheets import ehcp

Row = dict[str, str]


def _index(ws: Worksheet, table: str, key_cols: tuple[int, ...]) -> dict[tuple, int]:
    """(key cell values...) -> worksheet row, for a table's data rows."""
    min_col, min_row, _, max_row = range_boundaries(ws.tables[table].ref)
    out = {}
    for r in range(min_row + 1, max_row + 1):
        key = tuple(_key(ws.cell(r, min_col + c).value) for c in key_cols)
        out[key] = r
    return out


def _key(value: object) -> object:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if value is not None else ""


def _row(index: dict[tuple, int], key: tuple, what: str) -> int:
    if key not in index:
        raise UserDataError(f"{what}: no row for {' / '.join(map(str, key))}")
    return index[key]


def _pct(text: str) -> float:
    return float(to_decimal(text))


def write_ratings(wb: Workbook, rows: Iterable[Row]) -> int:
    ws = wb[layout.ANNEXA]
    index = _index(ws, layout.ANNEXA_TABLE, (0, 1, 4))
    headers = [c.value for c in ws[layout.HEADER_ROW]]
    n = 0
    for r in rows:
        month = fmt.parse_month(r["Month"])
        header = layout.month_header(month)
        if header not in headers:
            raise UserDataError(f"AnnexA has no column for {header}")
        row = _row(index, (r["Area"], r["Outcome"], r["Measure"]), "AnnexA")
        put(ws, row, headers.index(header) + 1, r["Rating"])
        n += 1
    return n


def write_evidence(wb: Workbook, rows: Iterable[Row]) -> int:
    ws = wb[layout.ANNEXA]
    index = _index(ws, layout.ANNEXA_TABLE, (0, 1, 4))
    evidence_col = layout.ANNEXA_FIXED.index("Evidence (latest)") + 1
    n = 0
    for r in rows:
        row = _row(index, (r["Area"], r["Outcome"], r["Measure"]), "AnnexA")
        put(ws, row, evidence_col, r["Evidence"])
        put(ws, row, evidence_col + 1, r["Next steps"])
        n += 1
    return n


def write_ehcp(wb: Workbook, rows: Iterable[Row]) -> int:
    ws = wb[layout.EHCP]
    index = _index(ws, layout.EHCP_TABLE, (0, 1))
    n = 0
    for r in rows:
        row = _row(index, (r["Month"], r["Area"]), "EHCP")
        put(ws, row, 3, int(r["Issued"]))
        put(ws, row, 4, int(r["Within20"]))
        put(ws, row, 6, _pct(r["Trajectory"]))
        put(ws, row, 7, r["Note"] or None)
        n += 1
    return n


def write_sen2(wb: Workbook, rows: Iterable[Row]) -> int:
    ws = wb[layout.EHCP]
    index = _index(ws, layout.SEN2_TABLE, (0, 1))
    first = ehcp.SEN2_COL
    n = 0
    for r in rows:
        row = _row(index, (r["Year"], r["Area"]), "SEN2")
        put(ws, row, first + 2, _pct(r["Pct"]))
        put(ws, row, first + 3, r["Published"])
        n += 1
    return n


def write_recommendations(wb: Workbook, rows: Iterable[Row]) -> int:
    ws = wb[layout.VCU]
    index = _index(ws, layout.VCU_TABLE, (0, 1))
    n = 0
    for r in rows:
        row = _row(index, (r["Month"], r["Area"]), "VCU")
        put(ws, row, column_index_from_string("C"), r["Recommendation"])
        put(ws, row, column_index_from_string("D"), r["Reason"])
        n += 1
    return n
