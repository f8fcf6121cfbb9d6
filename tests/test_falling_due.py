"""Decisions falling due (issue 12): the Guide's block (the break, the end: date, notice by,
state on the AsOf date) computed by its formulas equals EffectiveTerm.due_rows, on the dates
around each decision; the Checks warning follows it; LibreOffice agrees."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from tests.terms_helpers import extended, terminated, with_decisions
from tests.test_libreoffice_recalc import recalc
from xlsrc.actions.build import build_to
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import load_for_edit, set_named_value
from xlsrc.edges.workbook.sheets.guide import DUE_TOP
from xlsrc.model import layout
from xlsrc.model.terms import load_terms
from xlsrc.model.terms.effective import (
    CONTINUED,
    DUE_STATES,
    ENDED,
    ENDED_ON_DATE,
    FALLING_DUE,
    MAX_EXTENDED,
    NO_NOTICE,
    NOT_YET_DUE,
    NOTICE_PASSED,
    PAST_DATE,
    DueRow,
)
from xlsrc.model.terms.models import Terms

D = dt.date
CONTINUE = {"decided": D(2024, 2, 20), "kind": "continue"}


def continued(terms: Terms) -> Terms:
    return with_decisions(terms, CONTINUE)


# (case, terms, as of, expected states of the break and the end rows)
CASES = [
    ("none", lambda t: t, D(2024, 1, 30), (NOT_YET_DUE, NOT_YET_DUE)),
    ("none", lambda t: t, D(2024, 1, 31), (FALLING_DUE, NOT_YET_DUE)),
    ("none", lambda t: t, D(2024, 4, 1), (PAST_DATE, NOT_YET_DUE)),
    ("continued", continued, D(2025, 2, 28), (CONTINUED, FALLING_DUE)),
    ("continued", continued, D(2025, 3, 1), (CONTINUED, NOTICE_PASSED)),
    ("continued", continued, D(2025, 4, 1), (CONTINUED, ENDED_ON_DATE)),
    ("terminated", terminated, D(2024, 3, 1), ("Terminated at the break", ENDED)),
    ("extended-12", lambda t: extended(t, 12), D(2026, 2, 1), (CONTINUED, MAX_EXTENDED)),
    ("extended-3", lambda t: extended(t, 3), D(2025, 5, 1), (CONTINUED, FALLING_DUE)),
]


def python_rows(terms: Terms, as_of: dt.date) -> list[DueRow]:
    return terms.effective.due_rows(terms.extension.notice_months, as_of)


@pytest.mark.parametrize(("case", "make", "as_of", "states"), CASES)
def test_python_states_and_falling_due_agree(terms, case, make, as_of, states):
    t = make(terms)
    rows = python_rows(t, as_of)
    assert tuple(r.state for r in rows) == states
    listed = {d.what for d in t.effective.falling_due(as_of)}
    assert listed == {r.what for r in rows if r.state in DUE_STATES}


def test_notice_dates_follow_the_order_form(terms):
    brk, end = python_rows(terms, D(2024, 1, 1))
    assert (brk.date, brk.notice_by) == (D(2024, 3, 31), None)  # no notice stated for the break
    assert (end.date, end.notice_by) == (D(2025, 3, 31), D(2025, 2, 28))  # one month before
    _, end = python_rows(extended(terms, 3), D(2025, 5, 1))
    assert (end.date, end.notice_by) == (D(2025, 6, 30), D(2025, 5, 30))


def block(wb: openpyxl.Workbook) -> list[DueRow]:
    ws = wb[layout.GUIDE]
    out = []
    for r in (DUE_TOP + 3, DUE_TOP + 4):
        what, date, notice, state = (ws.cell(r, c).value for c in range(1, 5))
        out.append(DueRow(what, _day(date), None if notice == NO_NOTICE else _day(notice), state))
    return out


def _day(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    assert isinstance(value, dt.date), value
    return value


def with_as_of(path: Path, as_of: dt.date, out: Path) -> Path:
    wb = load_for_edit(path)
    set_named_value(wb, "AsOf", as_of)
    save_workbook(wb, out)  # the cached values: xlsrc.edges.formulas, the formulas' twin
    return out


@pytest.fixture(scope="module")
def built_cases(tmp_path_factory) -> dict[str, Path]:
    tmp, terms = tmp_path_factory.mktemp("due"), load_terms()
    made = {}
    for case, make, _, _ in CASES:
        if case not in made:
            made[case] = build_to(make(terms), tmp / f"{case}.xlsx")
    return made


@pytest.mark.parametrize(("case", "make", "as_of", "states"), CASES)
def test_the_guide_formulas_equal_python(built_cases, tmp_path, terms, case, make, as_of, states):
    path = with_as_of(built_cases[case], as_of, tmp_path / "as-of.xlsx")
    wb = openpyxl.load_workbook(path, data_only=True)
    assert block(wb) == python_rows(make(terms), as_of)
    warn = {r[3]: r[2] for r in wb[layout.CHECKS].iter_rows(values_only=True) if r[3]}
    assert warn["WarnNothingFallingDue"] is not any(s in DUE_STATES for s in states)


@pytest.mark.libreoffice
@pytest.mark.parametrize("index", [1, 4])  # the break falling due; the notice date passed
def test_libreoffice_computes_the_same_block(lo, built_cases, tmp_path, terms, index):
    case, make, as_of, _ = CASES[index]
    path = with_as_of(built_cases[case], as_of, tmp_path / "as-of.xlsx")
    names, wb = recalc(path, tmp_path)
    assert block(wb) == python_rows(make(terms), as_of)
    assert names["WarnNothingFallingDue"] in (False, 0)
