"""validate saves only when the workbook does not already show its result.

The answer is read from the file (xlsrc.edges.fileio.issues_shown), so anything that makes the
Issues
sheet or the highlights differ from what validate would write, whoever made it, is written
again; and a workbook already up to date keeps its bytes, its time and its backups.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from tests.test_validate_workbook import COL, FAULTS, copy, plant
from xlsrc.actions.validate import validate_workbook
from xlsrc.edges.fileio.atomic import backups
from xlsrc.edges.fileio.issues_shown import tracker_fills
from xlsrc.edges.fileio.issues_writer import NO_FILL
from xlsrc.edges.fileio.reader import open_book
from xlsrc.model import layout
from xlsrc.model.entry import INPUT_COLUMNS

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def validated(sample, tmp_path) -> Path:
    """The sample with planted faults, validated once (errors, warnings and highlights)."""
    path = copy(sample, tmp_path, "faults.xlsx")
    plant(path, FAULTS)
    assert validate_workbook(path, today=TODAY).written
    return path


def state(path: Path) -> tuple[bytes, int, int]:
    return path.read_bytes(), path.stat().st_mtime_ns, len(backups(path))


def test_a_second_run_writes_nothing(validated):
    before = state(validated)
    first = validate_workbook(validated, today=TODAY)
    assert not first.written
    assert first.errors and first.warnings  # the faults are still there, already shown
    assert "(workbook not changed)" in first.to_text().splitlines()[0]
    assert state(validated) == before  # same bytes, same time, no new backup


def test_another_day_writes_the_new_summary(validated):
    assert validate_workbook(validated, today=TODAY + dt.timedelta(days=1)).written
    assert not validate_workbook(validated, today=TODAY + dt.timedelta(days=1)).written


def edit(path: Path, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


@pytest.mark.parametrize(
    "change",
    [
        # A highlight cleared by hand on a faulty cell: validate puts it back.
        lambda wb: setattr(
            wb[layout.TRACKER].cell(FAULTS[0][0], COL[FAULTS[0][1]]), "fill", NO_FILL
        ),
        # A highlight of ours on a sound cell (copied with a row, say): validate clears it.
        lambda wb: setattr(
            wb[layout.TRACKER].cell(20, 1), "fill", PatternFill("solid", fgColor="F8CBAD")
        ),
        # The wrong severity's highlight on a faulty cell.
        lambda wb: setattr(
            wb[layout.TRACKER].cell(FAULTS[0][0], COL[FAULTS[0][1]]),
            "fill",
            PatternFill("solid", fgColor="FFE699"),
        ),
        # An Issues row edited, one deleted, one added below the table, the summary edited.
        lambda wb: setattr(wb[layout.ISSUES].cell(layout.FIRST_DATA_ROW, 7), "value", "edited"),
        lambda wb: wb[layout.ISSUES].delete_rows(layout.FIRST_DATA_ROW + 1),
        lambda wb: setattr(wb[layout.ISSUES].cell(wb[layout.ISSUES].max_row + 2, 2), "value", "x"),
        lambda wb: setattr(wb[layout.ISSUES]["A3"], "value", "Validated long ago"),
    ],
    ids=[
        "highlight-cleared",
        "stray-highlight",
        "wrong-severity",
        "issue-edited",
        "issue-deleted",
        "text-below",
        "summary-edited",
    ],
)
def test_what_differs_is_written_again(validated, change):
    edit(validated, change)
    expected = validate_workbook(validated, today=TODAY, write=False)
    again = validate_workbook(validated, today=TODAY)
    assert again.written
    assert again.issues == expected.issues
    # ... and what it wrote is what an up-to-date workbook shows: the next run writes nothing.
    assert not validate_workbook(validated, today=TODAY).written


def test_a_fill_of_the_users_own_is_left_and_not_a_change(validated):
    """The writer keeps a user's fill on a faulty cell; so nothing is to be written."""
    row, column = FAULTS[0][0], COL[FAULTS[0][1]]
    edit(
        validated,
        lambda wb: setattr(
            wb[layout.TRACKER].cell(row, column), "fill", PatternFill("solid", fgColor="00B0F0")
        ),
    )
    assert not validate_workbook(validated, today=TODAY).written


def test_a_tracker_edit_is_written(validated):
    plant(validated, [(30, "Area", "Nowhere", "AREA-UNKNOWN")])
    report = validate_workbook(validated, today=TODAY)
    assert report.written
    assert any(i.row == 30 and i.code == "AREA-UNKNOWN" for i in report.issues)


def test_fills_read_from_the_xml_are_openpyxls(validated):
    """The XML reading of the Tracker's fills agrees with openpyxl's, cell by cell."""
    edit(
        validated,
        lambda wb: setattr(wb[layout.TRACKER].cell(12, 2), "fill", PatternFill("solid", "00B0F0")),
    )
    ws = openpyxl.load_workbook(validated)[layout.TRACKER]
    _, top, _, bottom = openpyxl.utils.range_boundaries(ws.tables[layout.TRACKER_TABLE].ref)
    fills = tracker_fills(open_book(validated), top + 1, bottom)
    assert fills is not None
    seen = set()
    for cells in ws.iter_rows(min_row=top + 1, max_row=bottom, max_col=len(INPUT_COLUMNS)):
        for cell in cells:
            kind, rgb = fills.get((cell.row, cell.column), fills[(0, 0)])
            assert kind == cell.fill.patternType, cell.coordinate
            if kind is not None:
                assert rgb == cell.fill.fgColor.rgb, cell.coordinate
                seen.add(rgb)
    assert seen == {"00F8CBAD", "00FFE699", "0000B0F0"}  # red, amber and the user's blue
