"""The real-engine test: LibreOffice recalculates the workbook's own formulas and every Budget
figure must equal Python's to the penny; MasterCheck must be TRUE, and FALSE when the cap
is broken."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlsrc.actions.fill import fill
from xlsrc.actions.totals import workbook_totals
from xlsrc.core.totals.presentation import totals_json
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import load_for_edit, set_named_value
from xlsrc.edges.libreoffice.recalc import recalculate
from xlsrc.edges.workbook.sheets import budget
from xlsrc.model import layout
from xlsrc.model.entry import RawRow
from xlsrc.model.money import to_decimal

pytestmark = pytest.mark.libreoffice
PENNY = Decimal("0.01")


def recalc(path: Path, tmp: Path) -> tuple[dict[str, object], openpyxl.Workbook]:
    out = tmp / f"{path.stem}-lo.xlsx"
    names = recalculate(path, xlsx=out, names=tmp / f"{path.stem}-names.json")
    assert names is not None
    return names, openpyxl.load_workbook(out, data_only=True)


def as_decimal(value: object) -> Decimal:
    assert isinstance(value, int | float), f"expected a number, LibreOffice gave {value!r}"
    return to_decimal(value)


def assert_penny(engine: object, python: Decimal | str, what: str) -> None:
    got = as_decimal(engine)
    assert abs(got - Decimal(python)) < PENNY / 2, f"{what}: LibreOffice {got} vs Python {python}"


def compare_everything(path: Path, tmp: Path) -> dict[str, object]:
    """Every Budget figure: headline names, scenarios, areas, every month row."""
    names, wb = recalc(path, tmp)
    result = workbook_totals(path)
    t, data = result.totals, totals_json(result.totals)
    for name in layout.BUDGET_NAMES:
        python = data[name]
        if name == "AlertBand":
            assert names[name] == python
        elif name in ("AsOfMonth", "ContractEnd", "LatestEnd"):
            if python is None:
                assert names[name] == ""
            else:
                assert names[name] == python, name  # a date cell comes back as an ISO date
        else:
            assert_penny(names[name], python, name)

    ws = wb[layout.BUDGET]
    pos = budget.positions(result_terms(path))
    for i, s in enumerate(t.scenarios, start=pos.scenario_top + 1):
        assert ws.cell(i, 1).value == s.label
        assert_penny(ws.cell(i, 3).value, s.forecast, f"scenario {s.label}")
        assert_penny(ws.cell(i, 4).value, s.headroom, f"scenario {s.label} headroom")
    for i, a in enumerate(t.areas, start=pos.area_top + 1):
        assert ws.cell(i, 1).value == a.area
        assert_penny(ws.cell(i, 3).value, a.days, f"{a.area} days")
        assert_penny(ws.cell(i, 4).value, a.days_remaining, f"{a.area} remaining")
        assert_penny(ws.cell(i, 5).value, a.net, f"{a.area} net")
    assert len(t.months) == pos.last_month - pos.first_month + 1
    for r, m in enumerate(t.months, start=pos.first_month):
        label = f"{m.month:%b %Y}"
        got_month = ws.cell(r, pos.cols["Month"]).value
        assert got_month.date() == m.month, label
        for area in m.days_by_area:
            assert_penny(
                ws.cell(r, pos.cols[f"days:{area}"]).value,
                m.days_by_area[area],
                f"{label} {area} days",
            )
            assert_penny(
                ws.cell(r, pos.cols[f"net:{area}"]).value,
                m.net_by_area[area],
                f"{label} {area} net",
            )
        for col, value in (
            ("Days", m.days),
            ("Net", m.net),
            ("VAT", m.vat),
            ("Gross", m.gross),
            ("Cumulative net", m.cumulative_net),
            ("Cumulative gross", m.cumulative_gross),
            ("Cap", m.cap),  # the cap in force at the month's end
        ):
            assert_penny(ws.cell(r, pos.cols[col]).value, value, f"{label} {col}")
        status = ws.cell(r, pos.cols["Status"]).value
        assert status == ("In term" if m.in_term else "Beyond end"), label
    return names


def result_terms(path: Path):
    from xlsrc.actions.workbook_data import load_workbook_data

    return load_workbook_data(path).terms


def test_sample_budget_matches_python_to_the_penny(lo, sample, tmp_path):
    names = compare_everything(sample, tmp_path)
    assert names["MasterCheck"] is True or names["MasterCheck"] == 1
    assert Decimal(str(names["TotalNet"])) > 0  # the sample is not trivially empty


def test_empty_workbook_is_all_zero_and_passes(lo, built, tmp_path):
    names = compare_everything(built, tmp_path)
    assert names["TotalNet"] == 0
    assert names["MasterCheck"] in (True, 1)


def test_odd_day_rate_rounds_the_same_in_both_engines(lo, sample, tmp_path):
    """£612.37/day: every half day costs £306.185 and must round half-up to £306.19."""
    odd = tmp_path / "odd.xlsx"
    wb = load_for_edit(sample)
    set_named_value(wb, "DayRate", 612.37)
    set_named_value(wb, "VATRate", 0.175)
    save_workbook(wb, odd)
    compare_everything(odd, tmp_path)


def test_breaking_the_cap_turns_master_check_false(lo, sample, tmp_path):
    broken = tmp_path / "over-cap.xlsx"
    shutil.copy(sample, broken)
    # Ten more full days in the extension's last month push spend past the cap.
    rows = [
        RawRow(
            "extra.csv",
            n + 2,
            {
                "Date": dt.date(2025, 6, day),
                "Advisor": "RK-03",
                "Area": "Medway",
                "Activity": "Work with senior leaders",
                "Outcomes": "PM-1",
                "Days": 1,
                "Notes": None,
            },
        )
        for n, day in enumerate((2, 3, 4, 5, 6, 9, 10, 11, 12, 13))
    ]
    wb = load_for_edit(broken)
    from xlsrc.core.validate import validate_rows
    from xlsrc.edges.fileio.tracker_writer import append_entries

    entries = validate_rows(result_terms(broken), rows, today=dt.date(2026, 1, 1)).entries
    assert len(entries) == len(rows)
    append_entries(wb, entries)
    save_workbook(wb, broken)
    names = compare_everything(broken, tmp_path)
    assert names["CheckWithinCap"] in (False, 0)
    assert names["MasterCheck"] in (False, 0)
    assert names["AlertBand"] == "OVER CAP"


def test_entry_after_a_terminated_break_fails_the_break_check(lo, sample, tmp_path):
    stopped = tmp_path / "terminated.xlsx"
    wb = load_for_edit(sample)
    ws = wb[layout.CONTRACT]  # the sample's decisions, retyped: terminated at the break
    top = int(ws.tables[layout.DECISIONS_TABLE].ref.split(":")[0][1:]) + 1
    assert ws.cell(top, 2).value == "Continue past the break"
    ws.cell(top, 2).value = "Terminate at the break"
    for cell in ws[top + 1][:11]:  # the extension goes too
        cell.value = None
    save_workbook(wb, stopped)
    names, _ = recalc(stopped, tmp_path)
    assert names["CheckBreak"] in (False, 0)
    assert names["MasterCheck"] in (False, 0)


def test_fill_refuses_rows_that_break_rules(sample, tmp_path):
    """The tool itself never writes a bad row (the Checks sheet guards hand edits)."""
    copy = tmp_path / "copy.xlsx"
    shutil.copy(sample, copy)
    before = copy.read_bytes()
    bad = [
        RawRow(
            "bad.csv",
            2,
            {
                "Date": "2030-01-01",
                "Advisor": "RK-01",
                "Area": "Medway",
                "Activity": "Travel",
                "Outcomes": None,
                "Days": "1",
                "Notes": None,
            },
        )
    ]
    with pytest.raises(Exception, match="nothing was written"):
        fill(copy, bad)
    assert copy.read_bytes() == before


def test_a_penny_over_the_cap_is_over_cap_in_both_engines(lo, sample, tmp_path):
    """CapUsedPct rounds to 100.00%; the alert must still say OVER CAP."""
    tight = tmp_path / "tight.xlsx"
    spent = workbook_totals(sample).totals.TotalNet
    wb = load_for_edit(sample)
    set_named_value(wb, "Cap", float(spent - Decimal("0.01")))
    save_workbook(wb, tight)
    names = compare_everything(tight, tmp_path)
    assert names["AlertBand"] == "OVER CAP"
    assert names["CheckWithinCap"] in (False, 0)
