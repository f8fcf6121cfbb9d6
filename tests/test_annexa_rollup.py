"""The Annex A roll-up: the AnnexA sheet's formulas, recalculated by LibreOffice, agree with
`xlsrc.core.returns.rollup` for every outcome, area and month of the sample, messy cells
included."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from xlsrc.core.returns import rollup
from xlsrc.edges.fileio import progress_reader
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.reader import open_book
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.sheets import annexa
from xlsrc.model import layout


def test_worst_rating_wins_and_only_ratings_count():
    assert rollup.worst(["Green", "amber", "Green"]) == "Amber"
    assert rollup.worst(["Green", "RED", None, "Amber"]) == "Red"
    assert rollup.worst(["", "Grey", "Green "]) == ""
    assert rollup.worst([]) == ""


def _agrees_after_recalculation(path, tmp_path, messy: dict[tuple[int, int], object]) -> int:
    """Plant `messy` ratings in the AnnexA sheet of the workbook at `path`, recalculate it in
    LibreOffice, and check every roll-up cell against Python's; the number checked."""
    from xlsrc.edges.libreoffice.recalc import recalculate

    wb = load_for_edit(path)
    ws = wb[layout.ANNEXA]
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
    first_month = len(layout.ANNEXA_FIXED) + 1
    checked = 0
    for r in range(top + 2, sheet.max_row + 1):
        area, outcome = sheet.cell(r, 1).value, sheet.cell(r, 2).value
        if not area:
            continue
        mine = [x for x in rows if x.area == area and outcome in ("All", x.outcome)]
        assert mine, (area, outcome)
        for c in range(first_month, len(headers) + 1):
            month = headers[c - 1]
            expected = rollup.worst(x.ratings.get(month, "") for x in mine)
            assert (sheet.cell(r, c).value or "") == expected, (area, outcome, month)
            checked += 1
    return checked


@pytest.mark.libreoffice
def test_sheet_rollup_agrees_with_python(lo, sample, tmp_path):
    path = tmp_path / "messy.xlsx"
    shutil.copy(sample, path)
    first_month = len(layout.ANNEXA_FIXED) + 1
    messy = {(6, first_month): "red", (7, first_month + 1): "Grey", (8, first_month + 2): ""}
    assert _agrees_after_recalculation(path, tmp_path, messy) > 300


# Names COUNTIFS would read as patterns or comparisons: a leading "=" or "<", the wildcards
# * ? ~, quotes, and two names equal but for case.
ODD_AREAS = ('=Ox*"shire"', "<Ports?mouth", "~Medway*")


@pytest.mark.libreoffice
def test_rollup_matches_odd_area_names_as_typed(lo, terms, tmp_path):
    from xlsrc.actions.build import build_to

    raw = terms.model_dump(mode="python", by_alias=True)
    for area, short in zip(raw["areas"], ODD_AREAS, strict=False):
        area["short"] = short
    odd = type(terms).model_validate(raw)
    path = build_to(odd, tmp_path / "odd.xlsx")
    wb = load_for_edit(path)
    ws = wb[layout.ANNEXA]
    first_month = len(layout.ANNEXA_FIXED) + 1
    rows = [r for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value]
    rows = rows[: next(i for i, r in enumerate(rows) if ws.cell(r, 1).value == annexa.ROLLUP_TITLE)]
    assert {ws.cell(r, 1).value for r in rows} == set(ODD_AREAS)
    # Each area's measures rated differently, month by month, so a name matching another's
    # rows (as a pattern would: "=Ox*..." or "~Medway*") shows a different roll-up.
    words = ("Green", "amber", "RED", "Grey", "")
    messy = {
        (r, first_month + m): words[(n + m * ODD_AREAS.index(ws.cell(r, 1).value)) % 5]
        for n, r in enumerate(rows)
        for m in range(4)
    }
    assert _agrees_after_recalculation(path, tmp_path, messy) > 50
    # The cached values Python's formula engine wrote on saving are LibreOffice's too.
    from tests.test_cached_values import assert_cached_values_reproduced

    assert assert_cached_values_reproduced(path, tmp_path) > 100
