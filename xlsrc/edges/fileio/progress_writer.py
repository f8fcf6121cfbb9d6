"""Write monthly-reporting inputs (ratings, evidence, plans, report inputs, EHCP, SEN2, VCU)
into their sheets.

Used for batch loads such as the bundled example; each value goes to the cell found by its
keys (area, outcome, measure, month...), and an unknown key is an error naming the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.utils import column_index_from_string, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.sheets import ehcp
from xlsrc.model import fmt, layout
from xlsrc.model.errors import UserDataError
from xlsrc.model.typed import NumberError, parse_number

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
    return _number(text, "a percentage")


def _number(text: str, what: str) -> float:
    """A number typed in a CSV, read as every typed number is (xlsrc.model.typed)."""
    try:
        return float(parse_number(text, what, minimum=None))
    except NumberError as exc:
        raise UserDataError(str(exc)) from None


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


def _value(header: str, text: str) -> object:
    """A CSV cell as the sheet holds it: months and dates as dates, days as numbers."""
    text = (text or "").strip()
    if not text:
        return None
    if header in ("Month", "Return month"):
        return dt.datetime.strptime(text, "%Y-%m").date()
    if header in ("Due", "Completed on", "Date", "Raised", "Resolved on") or header.endswith(" on"):
        return dt.date.fromisoformat(text)
    if header.startswith("Days"):
        return _number(text, header)
    return text


def append_rows(wb: Workbook, sheet: str, table: str, rows: Iterable[Row]) -> int:
    """Write each row (header -> text) into the next empty row of an input table."""
    ws = wb[sheet]
    min_col, min_row, max_col, max_row = range_boundaries(ws.tables[table].ref)
    headers = [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)]
    free = (
        r
        for r in range(min_row + 1, max_row + 1)
        if all(ws.cell(r, c).value in (None, "") for c in range(min_col, max_col + 1))
    )
    n = 0
    for values in rows:
        row = next(free, None)
        if row is None:
            raise UserDataError(f"{sheet}: the {table} table is full ({n} rows written)")
        for header, text in values.items():
            if header not in headers:
                raise UserDataError(f"{sheet}: the {table} table has no column {header!r}")
            put(ws, row, min_col + headers.index(header), _value(header, text))
        styles.fit_height(ws, row)
        n += 1
    return n


def write_keyed(
    wb: Workbook, sheet: str, table: str, keys: tuple[str, ...], rows: Iterable[Row]
) -> int:
    """Fill the input cells of a pre-filled table's rows, found by their key columns."""
    ws = wb[sheet]
    min_col, min_row, max_col, _ = range_boundaries(ws.tables[table].ref)
    headers = [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)]
    index = _index(ws, table, tuple(headers.index(k) for k in keys))
    n = 0
    for values in rows:
        row = _row(index, tuple(values[k] for k in keys), sheet)
        for header, text in values.items():
            if header not in keys:
                put(ws, row, min_col + headers.index(header), _value(header, text))
        styles.fit_height(ws, row)
        n += 1
    return n


def write_evidence(wb: Workbook, rows: Iterable[Row]) -> int:
    return append_rows(wb, layout.EVIDENCE, layout.EVIDENCE_TABLE, rows)


def write_plans(wb: Workbook, rows: Iterable[Row]) -> int:
    return append_rows(wb, layout.PLANS, layout.PLANS_TABLE, rows)


def write_key_dates(wb: Workbook, rows: Iterable[Row]) -> int:
    return append_rows(wb, layout.REPORT, layout.KEY_DATES_TABLE, rows)


def write_asks(wb: Workbook, rows: Iterable[Row]) -> int:
    return append_rows(wb, layout.REPORT, layout.ASKS_TABLE, rows)


def write_area_reports(wb: Workbook, rows: Iterable[Row]) -> int:
    return write_keyed(wb, layout.REPORT, layout.AREA_REPORT_TABLE, ("Month", "Area"), rows)


def write_signoffs(wb: Workbook, rows: Iterable[Row]) -> int:
    return write_keyed(wb, layout.REPORT, layout.SIGNOFF_TABLE, ("Month",), rows)


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
        put(ws, row, first + 3, _value("Published on", r["Published on"]))
        put(ws, row, first + 4, r["Source / note"] or None)
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
