"""The Budget chart's lines stop at the month of the contract's end in force (issue 22): its
ranges end on that month's row of the month table, not at the latest possible end. Neither a
blank ("") nor #N/A would do it: LibreOffice draws both as 0, and Excel draws "" as 0. The
builder draws it to the end in force, and `calloff decide` draws it again when a decision
moves the end (the sample is built, then extended by three months)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from xlsrc.edges.workbook.sheets import budget
from xlsrc.model.dates import months_in_range


def _ranges(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        (chart,) = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        xml = archive.read(chart).decode()
    return re.findall(r"<(?:c:)?f>([^<]*)</(?:c:)?f>", xml)


def _last_rows(path: Path) -> set[int]:
    """The last row of every data and category range of the chart."""
    return {int(r.rsplit("$", 1)[1]) for r in _ranges(path) if ":" in r}


def _terms(path: Path):
    from xlsrc.actions.workbook_data import load_workbook_data

    return load_workbook_data(path).terms


def test_a_fresh_build_draws_to_the_completion_date(built, terms):
    pos = budget.positions(terms)
    (last,) = _last_rows(built)
    assert last == budget.chart_last_row(terms) < pos.last_month  # not to the latest end
    months = months_in_range(terms.dates.start, terms.latest_possible_end)
    assert months[last - pos.first_month] == terms.contract_end.replace(day=1)


def test_the_extended_sample_draws_to_its_new_end(sample):
    terms = _terms(sample)
    pos = budget.positions(terms)
    (last,) = _last_rows(sample)
    months = months_in_range(terms.dates.start, terms.latest_possible_end)
    assert f"{months[last - pos.first_month]:%Y-%m}" == "2025-06"  # 31/03/2025 + 3 months
    assert last < pos.last_month
