"""Page breaks that keep headings with what follows them (xlsrc.model.pagination), worked by
hand on small sheets; tests/test_return_layout.py checks the printed returns in LibreOffice."""

from __future__ import annotations

from xlsrc.model.pagination import fit_scale, page_breaks, page_room


def test_rows_fill_a_page_and_the_next_begins_where_one_does_not_fit():
    heights = {r: 10.0 for r in range(1, 11)}
    assert page_breaks(heights, 1, 10, room=35.0) == [3, 6, 9]


def test_a_heading_goes_to_the_next_page_with_the_row_it_heads():
    heights = {r: 10.0 for r in range(1, 11)}
    # Row 3 heads row 4; row 4 does not fit on the first page, so the page ends after row 2.
    assert page_breaks(heights, 1, 10, room=35.0, keep_with_next={3}) == [2, 5, 8]


def test_a_run_of_headings_moves_together():
    heights = {r: 10.0 for r in range(1, 9)}
    assert page_breaks(heights, 1, 8, room=45.0, keep_with_next={3, 4}) == [2, 6]


def test_headings_taller_than_a_page_break_where_they_must():
    heights = {r: 10.0 for r in range(1, 7)}
    assert page_breaks(heights, 1, 6, room=25.0, keep_with_next={1, 2, 3, 4, 5}) == [2, 4]


def test_a_row_taller_than_the_page_has_a_page_of_its_own_and_rows_not_given_are_default():
    assert page_breaks({2: 100.0}, 1, 3, room=50.0) == [1, 2]


def test_the_return_is_shrunk_to_the_paper_and_its_page_holds_more_rows():
    # The return's columns (A-F: 30, 16, 15, 12, 13, 38 characters) are 673.5 pt wide; A4
    # portrait less 0.4 in each side leaves 537.4 pt: 79%, as Excel floors its zoom.
    scale = fit_scale([30, 16, 15, 12, 13, 38], 0.4, landscape=False)
    assert scale == 0.79
    assert page_room(scale, 0.75, landscape=False) == (842 - 108) / 0.79 * 0.95
    assert fit_scale([10, 10], 0.4, landscape=False) == 1.0
