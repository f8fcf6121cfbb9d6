"""The return's one description (xlsrc.core.returns.sheet): plain data the two sinks draw.

What the sinks draw from it is compared elsewhere (the openpyxl file against the xlwings
replay: tests/test_xl_adapter.py; the printed PDF: tests/test_return_layout.py). Here: the
description holds together on its own, and the xlwings sink's grouping of styled cells into
blocks loses or adds no cell."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlsrc.actions.monthly_return import plan_returns
from xlsrc.adapters.xl.write import blocks, merge_blocks
from xlsrc.core.returns.seal import sheet_seal
from xlsrc.core.returns.sheet import describe, sealed_record
from xlsrc.edges.fileio.reader import open_book
from xlsrc.model.writes import Font, Style

TODAY = dt.date(2025, 7, 15)


@pytest.fixture(scope="module")
def june(sample):
    (ret,), _ = plan_returns(open_book(sample), [dt.date(2025, 6, 1)], today=TODAY)
    return ret


def test_the_seal_line_is_the_audit_row_s_seal(june):
    picture = describe(june)
    record = sealed_record(june)
    seal, numbers = sheet_seal(picture.rows)  # as `calloff validate` reads the sheet back
    assert seal == record["seal"]
    assert numbers == record["sheet"]
    assert picture.rows[-1][0].startswith("Period lock seal: sha256:")


def test_a_merged_away_cell_holds_nothing(june):
    picture = describe(june)
    grid = {
        (r, c): v
        for r, row in enumerate(picture.rows, start=1)
        for c, v in enumerate(row, start=1)
        if v is not None
    }
    for r1, c1, r2, c2 in picture.merges:
        away = {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
        assert not away & set(grid), (r1, c1, r2, c2)
        assert not away & set(picture.styles), (r1, c1, r2, c2)


def test_every_cell_is_within_the_print_area_and_columns(june):
    picture = describe(june)
    # Row 1 (the marking, on screen) is not printed: every page's header carries it.
    assert picture.page is not None and picture.page.area == f"A2:F{len(picture.rows)}"
    assert picture.rows[0][0] == june.marking
    assert all(len(row) <= 6 for row in picture.rows)
    assert set(picture.column_widths) == set("ABCDEF")
    assert all(c <= 6 for _, c in picture.styles)


STYLES = [Style(), Style(fill="F8CBAD"), Style(font=Font(bold=True))]


@given(st.dictionaries(st.tuples(st.integers(1, 8), st.integers(1, 6)), st.sampled_from(STYLES)))
def test_blocks_cover_each_styled_cell_once_with_its_style(styles):
    covered: dict[tuple[int, int], Style] = {}
    for (r1, c1, r2, c2), style in blocks(styles):
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                assert (r, c) not in covered
                covered[(r, c)] = style
    assert covered == styles


def test_blocks_join_rows_and_columns():
    red = Style(fill="F8CBAD")
    styles = {(r, c): red for r in (3, 4, 5) for c in (2, 3)}
    assert blocks(styles) == [((3, 2, 5, 3), red)]


def test_one_row_merges_on_consecutive_rows_are_merged_across_in_one_call():
    merges = [(3, 1, 3, 6), (4, 1, 4, 6), (5, 2, 5, 6), (7, 1, 7, 6), (9, 1, 10, 2)]
    assert sorted(merge_blocks(merges)) == [
        ((3, 1, 4, 6), True),
        ((5, 2, 5, 6), False),
        ((7, 1, 7, 6), False),
        ((9, 1, 10, 2), False),
    ]
