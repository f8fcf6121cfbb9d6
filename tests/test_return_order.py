"""Return sheets sit in the book by the month they cover, whatever order they were issued in
(xlsrc.core.returns.order)."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl

from xlsrc.actions.monthly_return import build_return
from xlsrc.core.returns.order import return_key, sheet_before
from xlsrc.model import layout

BOOK = ["Guide", "Audit", "Return 2024-01", "Return 2024-03", "Return 2024-03 v2", layout.LISTS]


def test_a_return_goes_before_the_first_return_after_its_month():
    assert sheet_before(BOOK, "Return 2024-02") == "Return 2024-03"
    assert sheet_before(BOOK, "Return 2023-12") == "Return 2024-01"
    assert sheet_before(BOOK, "Return 2024-03-15 interim") == "Return 2024-03"
    assert sheet_before(BOOK, "Return 2024-03 v3") == layout.LISTS
    assert sheet_before(BOOK, "Return 2025-06") == layout.LISTS
    assert sheet_before(["Guide"], "Return 2025-06") is None


def test_only_return_names_have_a_key():
    assert return_key("Return 2024-03") < return_key("Return 2024-03 v2")
    assert return_key("Return 2024-03-31 interim") < return_key("Return 2024-03")
    assert return_key("Return 2024-03") < return_key("Return 2024-04-01 interim")
    assert return_key("Returns") is None and return_key("Audit") is None


def test_returns_issued_out_of_order_sit_by_month(sample, tmp_path):
    path = tmp_path / "sample.xlsx"
    shutil.copy(sample, path)
    today = dt.date(2025, 7, 15)
    for month in ("2025-06", "2024-03", "2025-01"):
        build_return(path, month, today=today)
    build_return(path, None, today=today, interim=dt.date(2025, 1, 15))
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    returns = [n for n in names if n.startswith(layout.RETURN_PREFIX)]
    assert returns == [
        "Return 2024-03",
        "Return 2025-01-15 interim",
        "Return 2025-01",
        "Return 2025-06",
    ]
    first = names.index(returns[0])
    assert names[first : first + len(returns) + 1] == [*returns, layout.LISTS]
