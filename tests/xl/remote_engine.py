"""xlwings' own Book API on Linux: its remote engine, fed a workbook file and read back.

xlwings PRO's remote engine (the one behind xlwings Server and xlwings Lite) builds a Book
from a JSON description of a workbook (`xw.Book(json=...)`) and records every change as a
JSON action (`book.json()`). `book_json` describes a workbook file the way the Office.js
client does (values with dates as ISO strings, tables with their addresses, range names);
`ops_from_actions` turns the recorded actions into the same `Op`s the fake records, so both
backends are applied to the file by the same code (tests/xl/excel_file.py).

The engine needs XLWINGS_LICENSE_KEY in the environment before xlwings is imported:
PolyForm Noncommercial ("noncommercial") or a paid key. See the README, "Using it in Excel".
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from .excel_file import Op

_SIMPLE_REF = re.compile(
    r"^'?(?P<sheet>[^'!]+(?:''[^'!]*)*)'?!(?P<ref>\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)$"
)


def unavailable() -> str | None:
    """Why xlwings' remote engine cannot run here (None: it can).

    No key: the tests are skipped, with this reason. A key that xlwings does not accept is a
    broken setup (CI sets one on purpose), so the tests fail rather than skip.
    """
    import os

    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        return (
            "XLWINGS_LICENSE_KEY is not set: xlwings' remote engine (PolyForm Noncommercial or"
            " paid licence) is skipped; the same tests ran against the fake"
        )
    import xlwings as xw

    if not getattr(xw, "__pro__", False):
        import pytest

        pytest.fail(
            "XLWINGS_LICENSE_KEY is set but xlwings did not load its remote engine: is the key"
            " valid, and was it set before xlwings was first imported?"
        )
    return None


def book_json(path: Path, selection: tuple[str, str] | None = None) -> dict[str, Any]:
    """The workbook file as the Office.js client would describe it to xlwings."""
    import xlwings as xw

    wb = load_workbook(path, data_only=True, keep_vba=path.suffix.lower() == ".xlsm")
    titles = [ws.title for ws in wb.worksheets]
    if selection is None:
        ws = wb.active
        selection = (ws.title, ws.sheet_view.selection[0].activeCell or "A1")
    names = []
    for name, defined in wb.defined_names.items():
        match = _SIMPLE_REF.match(defined.attr_text)
        if match is None:  # the client only sends names that refer to a range
            continue
        names.append(
            {
                "name": name,
                "sheet_index": titles.index(match["sheet"].replace("''", "'")),
                "address": match["ref"].replace("$", ""),
                "scope_sheet_name": None,
                "scope_sheet_index": None,
                "book_scope": True,
            }
        )
    sheets = []
    for ws in wb.worksheets:
        values = [
            [_json_value(c.value) for c in row]
            for row in ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column)
        ]
        tables = []
        for name, ref in ws.tables.items():
            c1, r1, c2, r2 = range_boundaries(ref)
            tables.append(
                {
                    "name": name,
                    "range_address": ref,
                    "header_row_range_address": _address(r1, c1, r1, c2),
                    "data_body_range_address": _address(r1 + 1, c1, r2, c2),
                    "total_row_range_address": None,
                    "show_headers": True,
                    "show_totals": False,
                    "table_style": "",
                    "show_autofilter": True,
                }
            )
        sheets.append({"name": ws.title, "values": values, "pictures": [], "tables": tables})
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {
            "name": path.name,
            "active_sheet_index": titles.index(selection[0]),
            "selection": selection[1],
        },
        "names": names,
        "sheets": sheets,
    }


# Actions that set one property of a range's cells, as the `Op` kinds the fake records.
_LOOK = {
    "setWrapText": "wrap",
    "rangeAdjustIndent": "indent",
    "setRowHeight": "row_height",
}


def ops_from_actions(payload: dict[str, Any], actions: list[dict[str, Any]]) -> list[Op]:
    """The engine's recorded actions as `Op`s, with sheets by name (positions shift on add)."""
    titles = [s["name"] for s in payload["sheets"]]
    tables = {s["name"]: [t["name"] for t in s["tables"]] for s in payload["sheets"]}
    ops = []
    for a in actions:
        func, args = a["func"], a["args"]
        sheet = titles[a["sheet_position"]] if a["sheet_position"] is not None else ""
        box = {}
        if a["start_row"] is not None:
            box = {
                "row": a["start_row"] + 1,
                "column": a["start_column"] + 1,
                "rows": a["row_count"],
                "columns": a["column_count"],
            }
        if func == "setValues":
            ops.append(Op("values", sheet, box["row"], box["column"], value=a["values"]))
        elif func == "setRangeColor":
            ops.append(Op("color", sheet, **box, value=args[0]))
        elif func == "setNumberFormat":
            ops.append(Op("number_format", sheet, **box, value=args[0]))
        elif func == "addSheet":
            position, name = args
            titles.insert(position, name)
            tables[name] = []
            ops.append(Op("add_sheet", name, value=position))
        elif func == "resizeTable":
            index, address = args
            ops.append(Op("resize_table", sheet, value=(tables[sheet][index], address)))
        elif func == "alert":
            ops.append(Op("alert", value=args[0]))
        elif func == "setFontProperty":
            ops.append(Op("font", sheet, **box, value=tuple(args)))
        elif func in _LOOK:
            ops.append(Op(_LOOK[func], sheet, **box, value=args[0]))
        elif func in ("setHorizontalAlignment", "setVerticalAlignment"):
            kind = "halign" if func == "setHorizontalAlignment" else "valign"
            ops.append(Op(kind, sheet, **box, value=str(args[0]).lower()))
        elif func == "rangeMerge":
            ops.append(Op("merge", sheet, **box, value=bool(args[0])))
        elif func == "setColumnWidth":  # Office.js takes points: back to characters
            ops.append(Op("column_width", sheet, **box, value=(args[0] / 0.75 - 5) / 7))
        elif func == "setPrintArea":
            ops.append(Op("print_area", sheet, value=args[0]))
        else:
            raise AssertionError(f"the adapter made an action the tests do not model: {func}")
    return ops


def _json_value(value: object) -> object:
    """A cell as the Office.js client sends it: '' when empty, dates as ISO strings."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}T00:00:00.000Z"
    return value


def _address(r1: int, c1: int, r2: int, c2: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
