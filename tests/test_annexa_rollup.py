"""The Annex A roll-up: the AnnexA sheet's formulas, recalculated by LibreOffice, agree with
`xlsrc.returns.rollup` for every outcome, area and month of the sample, messy cells included."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from xlsrc import layout
from xlsrc.fileio import progress_reader
from xlsrc.fileio.atomic import save_workbook
from xlsrc.fileio.reader import open_book
from xlsrc.fileio.tracker_writer import load_for_edit
from xlsrc.returns import rollup
from xlsrc.workbook.cells import put
from xlsrc.workbook.sheets import annexa


def test_worst_rating_wins_and_only_ratings_count():
    assert rollup.worst(["Green", "amber", "Green"]) == "Amber"
    assert rollup.worst(["Green", "RED", None, "Amber"]) == "Red"
    assert rollup.worst(["", "Grey", "Green "]) == ""
    assert rollup.worst([]) == ""


@pytest.mark.libreoffice
def test_sheet_rollup_agrees_with_python(lo, sample, tmp_path):
    from xlsrc.engine.libreoffice import recalculate

    path = tmp_path / "messy.xlsx"
    shutil.copy(sample, path)
    wb = load_for_edit(path)
    ws = wb[layout.ANNEXA]
    first_month = len(layout.ANNEXA_FIXED) + 1
    messy = {(6, first_month): "red", (7, first_month + 1): "Grey", (8, first_month + 2): ""}
    for (r, c), value in messy.items():
        put(ws, r, c, value or None)
    save_workbook(wb, path)

    rows = progress_reader.read_annexa(open_book(path))
    out = tmp_path / "recalc.xlsx"
    recalculate(path, xlsx=out)
    sheet = openpyxl.load_workbook(out, data_only=True)[layout.ANNEXA]
    headers = [c.value for c in sheet[layout.HEADER_ROW]]
    top = next(
        r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == annexa.ROLLUP_TITLE
    )
    checked = 0
    for r in range(top + 2, sheet.max_row + 1):
        area, outcome = sheet.cell(r, 1).value, sheet.cell(r, 2).value
        if not area:
            continue
        mine = [x for x in rows if x.area == area and outcome in ("All", x.outcome)]
        for c in range(first_month, len(headers) + 1):
            month = headers[c - 1]
            expected = rollup.worst(x.ratings.get(month, "") for x in mine)
            assert (sheet.cell(r, c).value or "") == expected, (area, outcome, month)
            checked += 1
    assert checked > 300
