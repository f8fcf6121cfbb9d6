"""Decisions in the real engine: LibreOffice recalculates the workbook built with each decision
and every Budget figure must equal Python's to the penny (issue 12, item 8).

Each case builds the bundled terms with its decisions and writes the example tracker's rows
into the Tracker as a person typing in Excel would: rows after an ending are errors and count
nowhere, in the formulas and in Python alike.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.signoff_helpers import sign_off
from tests.terms_helpers import with_decisions
from tests.test_cached_values import assert_cached_values_reproduced
from tests.test_libreoffice_recalc import assert_penny, compare_everything, recalc
from xlsrc.actions.build import build_to
from xlsrc.actions.decide import DecisionRefused, decide
from xlsrc.actions.monthly_return import build_return
from xlsrc.actions.totals import workbook_totals
from xlsrc.actions.validate import validate_workbook
from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.core.totals.bands import FORECAST_OVER
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import append_entries, load_for_edit, set_named_value
from xlsrc.model import layout
from xlsrc.model.entry import Entry
from xlsrc.model.money import line_cost
from xlsrc.model.terms import load_terms
from xlsrc.model.terms.models import Terms

pytestmark = pytest.mark.libreoffice
D = dt.date
TODAY = D(2026, 1, 5)
CONTINUE = {"decided": D(2024, 2, 20), "kind": "continue"}


@pytest.fixture(scope="module")
def entries(sample) -> list[Entry]:
    """The example tracker's rows (the sample workbook's, which all count)."""
    return load_workbook_data(sample).validate(TODAY).entries


def workbook_with(
    terms: Terms,
    tmp: Path,
    name: str,
    entries: list[Entry],
    *,
    last: dt.date | None = None,
) -> Path:
    """Built from `terms`, with the example rows up to `last` (all when None) in its Tracker,
    written as a person types them: what the term does not allow is an error there."""
    path = build_to(terms, tmp / f"{name}.xlsx")
    wb = load_for_edit(path)
    append_entries(wb, [e for e in entries if last is None or e.date <= last])
    save_workbook(wb, path)
    return path


def test_termination_at_the_break_counts_nothing_after_it(lo, tmp_path, entries):
    terms = with_decisions(load_terms(), {"decided": D(2024, 2, 20), "kind": "terminate-at-break"})
    path = workbook_with(terms, tmp_path, "terminated", entries)
    names = compare_everything(path, tmp_path)
    # Every formula cell's cached value (issue 13) is what LibreOffice computes, here too.
    assert assert_cached_values_reproduced(path, tmp_path) > 1500
    t = workbook_totals(path, TODAY).totals
    brk = D(2024, 3, 31).isoformat()  # a date cell comes back as an ISO date
    assert names["BreakState"] == "Terminated at the break"
    assert names["EffectiveEnd"] == names["ContractEnd"] == names["LatestEnd"] == brk
    assert all(s.ends <= D(2024, 3, 31) for s in t.scenarios)  # every scenario ends there
    assert t.TotalNet == t.NetToBreak == t.ForecastEnd  # nothing after the break counts
    assert names["CheckBreak"] in (False, 0)  # the rows typed after it are flagged
    report = validate_workbook(path, today=TODAY, write=False)
    assert {i.code for i in report.errors} == {"DATE-AFTER-BREAK"}


def test_an_early_end_on_15_november_2024(lo, tmp_path, entries):
    early = {"decided": D(2024, 10, 1), "kind": "end-early", "effective": D(2024, 11, 15)}
    terms = with_decisions(load_terms(), CONTINUE, early)
    path = workbook_with(terms, tmp_path, "early", entries)
    names = compare_everything(path, tmp_path)
    assert names["EffectiveEnd"] == names["LatestEnd"] == D(2024, 11, 15).isoformat()
    assert names["TermEnded"] == "Yes"
    t = workbook_totals(path, TODAY).totals
    assert not any(m.net for m in t.months if m.month > D(2024, 11, 1))


def test_a_3_month_extension_at_4_days_a_month(lo, tmp_path, entries):
    extend = {
        "decided": D(2025, 2, 10),
        "kind": "extend",
        "months": 3,
        "days_per_month": Decimal(4),
        "effective": D(2025, 4, 1),
        "notice": D(2025, 2, 10),
    }
    terms = with_decisions(load_terms(), CONTINUE, extend)
    # Delivery up to January 2025: the forecasts still run ahead, into the extension.
    path = workbook_with(terms, tmp_path, "extended", entries, last=D(2025, 1, 31))
    names = compare_everything(path, tmp_path)
    assert names["ExtensionMonths"] == 3 and names["ExtensionDaysPerMonth"] == 4
    t = workbook_totals(path, TODAY).totals
    plain = t.TotalNet * (t.MonthsElapsed + 2) / t.MonthsElapsed  # Feb, Mar at the run rate
    assert t.ForecastEnd == plain.quantize(Decimal("0.01")) + 3 * Decimal("2600.00")


def test_a_rate_change_on_1_april_2024_reprices_later_rows_only(lo, tmp_path, entries):
    extend = {"decided": D(2025, 2, 1), "kind": "extend", "months": 3, "notice": D(2025, 2, 1)}
    base = workbook_with(with_decisions(load_terms(), CONTINUE, extend), tmp_path, "base", entries)
    before = {m.month: m for m in workbook_totals(base, TODAY).totals.months}
    # The March 2024 return is signed off and issued first: its figures are locked.
    sign_off(base, "2024-03")
    build_return(base, "2024-03", today=TODAY, confirm_incomplete=True)
    changed = tmp_path / "rate.xlsx"
    shutil.copy(base, changed)
    decide(
        changed,
        {
            "kind": "day-rate",
            "rate": "700.00",
            "effective": D(2024, 4, 1),
            "decided": D(2024, 3, 20),
            "by": "DfE contract manager",
        },
    )
    names = compare_everything(changed, tmp_path)
    assert assert_cached_values_reproduced(changed, tmp_path) > 1500
    assert names["RateNow"] == 700
    after = workbook_totals(changed, TODAY).totals
    for m in after.months:
        if m.month < D(2024, 4, 1):
            assert m.net == before[m.month].net, m.month  # issued and earlier months unchanged
        elif before[m.month].days:
            assert m.net == before[m.month].days * 700, m.month
    assert validate_workbook(changed, today=TODAY, write=False).errors == []
    # A rate reaching back into the issued March is refused before anything is written.
    bytes_before = changed.read_bytes()
    with pytest.raises(
        DecisionRefused, match="is locked: returns or invoices have been issued up to"
    ):
        decide(
            changed,
            {
                "kind": "day-rate",
                "rate": "720.00",
                "effective": D(2024, 3, 1),
                "decided": D(2024, 4, 20),
                "by": "DfE contract manager",
            },
        )
    assert changed.read_bytes() == bytes_before
    # Typed in by hand, a new starting rate reprices the issued March: MONTH-LOCKED-CHANGED.
    wb = load_for_edit(changed)
    set_named_value(wb, "DayRate", 660)
    save_workbook(wb, changed)
    codes = {i.code for i in validate_workbook(changed, today=TODAY, write=False).errors}
    assert "MONTH-LOCKED-CHANGED" in codes


def test_two_day_rates_in_a_terms_file_price_each_row_at_its_dates_rate(lo, tmp_path, entries):
    extend = {"decided": D(2025, 2, 1), "kind": "extend", "months": 3, "notice": D(2025, 2, 1)}
    raw = with_decisions(load_terms(), CONTINUE, extend).model_dump(mode="python", by_alias=True)
    del raw["money"]["day_rate"]
    raw["day_rates"] = [
        {"from": D(2023, 10, 12), "rate": "612.37"},
        {"from": D(2024, 6, 1), "rate": "655.55"},
    ]
    from xlsrc.model.terms.loader import terms_from_mapping

    terms = terms_from_mapping(raw)
    path = workbook_with(terms, tmp_path, "two-rates", entries)
    compare_everything(path, tmp_path)
    _, wb = recalc(path, tmp_path)
    ws = wb[layout.TRACKER]
    header = [c.value for c in ws[layout.HEADER_ROW]]
    date_col, days_col, cost_col = (header.index(h) for h in ("Date", "Days", "Cost"))
    seen = set()
    for row in ws.iter_rows(min_row=layout.FIRST_DATA_ROW, values_only=True):
        if row[date_col] is None:
            continue
        rate = Decimal("612.37") if row[date_col].date() < D(2024, 6, 1) else Decimal("655.55")
        expected = line_cost(Decimal(str(row[days_col])), rate)
        assert_penny(row[cost_col], expected, f"row dated {row[date_col]:%d/%m/%Y}")
        seen.add(rate)
    assert seen == {Decimal("612.37"), Decimal("655.55")}


def test_an_extensions_days_per_month_feed_the_cap_alert(lo, tmp_path, entries):
    """12 months' extension at 20 days a month: spend to date is within the cap, the forecast
    to the end in force is not, and the alert says so in the formulas as in Python."""
    extend = {
        "decided": D(2025, 2, 10),
        "kind": "extend",
        "months": 12,
        "days_per_month": Decimal(20),
        "effective": D(2025, 4, 1),
        "notice": D(2025, 2, 10),
    }
    terms = with_decisions(load_terms(), CONTINUE, extend)
    path = workbook_with(terms, tmp_path, "alert", entries, last=D(2025, 1, 31))
    names = compare_everything(path, tmp_path)  # AlertBand included, word for word
    t = workbook_totals(path, TODAY).totals
    assert t.TotalNet <= terms.money.cap < t.ForecastEnd
    assert names["AlertBand"] == t.AlertBand and t.AlertBand.endswith(FORECAST_OVER)
