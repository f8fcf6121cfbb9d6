"""Python's totals: every breakdown adds up to the headline figures, rounding as the README says,
and the workbook's own formulas (recalculated by LibreOffice) agree to the penny.

Expected values are worked out here from first principles (Decimal, half-up, by hand), never
by calling the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import holidays
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.terms_helpers import extended
from tests.tiers import examples
from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.core.totals import Totals, compute_totals
from xlsrc.core.totals.bands import FORECAST_OVER, OVER_CAP
from xlsrc.core.totals.presentation import totals_json, totals_text
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import append_entries, load_for_edit, set_named_value
from xlsrc.edges.libreoffice.recalc import recalculate
from xlsrc.model.entry import Entry
from xlsrc.model.terms import load_terms
from xlsrc.model.terms.models import Terms

TERMS = load_terms()
CENT = Decimal("0.01")
BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG")
WORKING_DAYS = [
    day
    for n in range((TERMS.contract_end - TERMS.dates.start).days + 1)
    if (day := TERMS.dates.start + dt.timedelta(n)).weekday() < 5 and day not in BANK_HOLIDAYS
]


def with_money(terms: Terms, **changes: object) -> Terms:
    return terms.model_copy(update={"money": terms.money.model_copy(update=changes)})


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def entry(day: str, days: str, *outcomes: str, advisor: str = "RK-01") -> Entry:
    return Entry(
        dt.date.fromisoformat(day), advisor, "Oxfordshire", "Deep dive", Decimal(days), outcomes
    )


def totals_at(rate: str, entries: list[Entry], **money: object) -> Totals:
    return compute_totals(with_money(TERMS, day_rate=Decimal(rate), **money), entries)


# --- Random valid entry lists -------------------------------------------------------------


@st.composite
def entry_lists(
    draw: st.DrawFn, terms: Terms = TERMS, min_slots: int = 0, max_slots: int = 25
) -> list[Entry]:
    """At most 1 day per advisor and working day in the term; outcomes of the row's area (none,
    one or several); whole days, half days, or a day split into two halves."""
    advisors = [a.id for a in terms.advisors]
    slots = draw(
        st.lists(
            st.tuples(st.sampled_from(advisors), st.sampled_from(WORKING_DAYS)),
            min_size=min_slots,
            max_size=max_slots,
            unique=True,
        )
    )
    entries: list[Entry] = []
    for advisor, day in slots:
        for days in draw(st.sampled_from([("1",), ("0.5",), ("0.5", "0.5")])):
            area = draw(st.sampled_from(terms.areas))
            ids = [o.id for o in terms.outcomes_for(area.code)]
            outcomes = draw(st.lists(st.sampled_from(ids), max_size=4, unique=True))
            entries.append(
                Entry(
                    day,
                    advisor,
                    area.short,
                    draw(st.sampled_from(terms.activities)),
                    Decimal(days),
                    tuple(outcomes),
                    row=len(entries) + 2,
                )
            )
    return entries


RATES = st.integers(min_value=1, max_value=200_000).map(lambda p: Decimal(p) / 100)
VAT_RATES = st.sampled_from([Decimal("0"), Decimal("0.05"), Decimal("0.175"), Decimal("0.2")])


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=entry_lists(), rate=RATES, vat=VAT_RATES)
def test_every_breakdown_sums_to_the_total(entries: list[Entry], rate: Decimal, vat: Decimal):
    t = compute_totals(with_money(TERMS, day_rate=rate, vat_rate=vat), entries)

    cost = {id(e): half_up(e.days * rate) for e in entries}
    expected_net = sum(cost.values(), Decimal(0))
    expected_days = sum((e.days for e in entries), Decimal(0))
    by_month: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for e in entries:
        by_month[(e.date.year, e.date.month)] += cost[id(e)]
    expected_vat = sum((half_up(net * vat) for net in by_month.values()), Decimal(0))

    assert t.TotalNet == expected_net
    assert t.TotalDays == expected_days
    assert t.TotalVAT == expected_vat
    breakdowns = {
        "area": [(a.days, a.net) for a in t.areas],
        "month": [(m.days, m.net) for m in t.months],
        "advisor": [(b.days, b.net) for b in t.advisors],
        "activity": [(b.days, b.net) for b in t.activities],
        "outcome": [(b.days, b.net) for b in t.outcomes],
    }
    for name, lines in breakdowns.items():
        assert sum((d for d, _ in lines), Decimal(0)) == expected_days, f"days by {name}"
        assert sum((n for _, n in lines), Decimal(0)) == expected_net, f"net by {name}"

    # Advisors: plain sums. Outcomes: each within one unit of its exact share.
    for line in t.advisors:
        mine = [e for e in entries if e.advisor == line.name]
        assert line.net == sum((cost[id(e)] for e in mine), Decimal(0))
    exact_days: dict[str, Fraction] = defaultdict(Fraction)
    exact_net: dict[str, Fraction] = defaultdict(Fraction)
    for e in entries:
        for oid in e.outcomes or ("(none)",):
            exact_days[oid] += Fraction(e.days) / max(len(e.outcomes), 1)
            exact_net[oid] += Fraction(cost[id(e)]) / max(len(e.outcomes), 1)
    for line in t.outcomes:
        assert abs(Fraction(line.days) - exact_days[line.name]) < Fraction(1, 2), line
        assert abs(Fraction(line.net) - exact_net[line.name]) < Fraction(1, 100), line


# --- Rounding and forecasts, by hand -------------------------------------------------------


def test_a_half_day_at_an_odd_rate_rounds_half_up():
    # 0.5 x 612.37 = 306.185 -> 306.19 (half-up), not 306.18 (half-even or a float slip)
    t = totals_at("612.37", [entry("2023-10-16", "0.5")])
    assert t.TotalNet == Decimal("306.19")
    assert t.TotalDays == Decimal("0.5")


def test_vat_is_rounded_half_up_on_each_months_net():
    # 2 days x 617.28 = 1,234.56; 20% = 246.912 -> 246.91
    t = totals_at("617.28", [entry("2023-10-16", "1"), entry("2023-10-17", "1")])
    assert (t.months[0].net, t.months[0].vat) == (Decimal("1234.56"), Decimal("246.91"))
    assert t.TotalVAT == Decimal("246.91")
    assert t.TotalGross == Decimal("1481.47")
    # 612.60 x 17.5% = 107.205 exactly: half-up gives 107.21 (half-even would give 107.20)
    t = totals_at("612.60", [entry("2023-10-16", "1")], vat_rate=Decimal("0.175"))
    assert t.TotalVAT == Decimal("107.21")


def test_vat_is_per_month_not_on_the_total():
    # Each month: 612.37 x 20% = 122.474 -> 122.47; twice = 244.94.
    # Rounding the total instead would give 1,224.74 x 20% = 244.948 -> 244.95.
    t = totals_at("612.37", [entry("2023-10-16", "1"), entry("2023-11-15", "1")])
    assert [m.vat for m in t.months[:2]] == [Decimal("122.47"), Decimal("122.47")]
    assert t.TotalVAT == Decimal("244.94")


def test_forecast_on_a_small_example():
    # 612.37 + 306.19 + 612.37 = 1,530.93 over Oct 2023 .. Jan 2024: 4 months elapsed.
    entries = [entry("2023-10-16", "1"), entry("2023-11-15", "0.5"), entry("2024-01-10", "1")]
    t = totals_at("612.37", entries)
    assert t.TotalNet == Decimal("1530.93")
    assert (t.AsOfMonth, t.MonthsElapsed) == (dt.date(2024, 1, 1), 4)
    assert t.RunRate == Decimal("382.73")  # 1,530.93 / 4 = 382.7325
    assert t.ForecastBreak == Decimal("2296.40")  # Mar 2024 is 2 ahead: x 6/4 = 2,296.395
    assert t.ForecastEnd == Decimal("6889.19")  # Mar 2025 is 14 ahead: x 18/4 = 6,889.185
    assert t.scenarios[-1].forecast == Decimal("11481.98")  # Mar 2026: x 30/4 = 11,481.975
    assert t.scenarios[-1].headroom == Decimal("58500.00") - Decimal("11481.98")
    assert t.NetToBreak == Decimal("1530.93")

    # A day in May 2024: the break has passed, so its forecast is what was spent up to it.
    t = totals_at("612.37", [*entries, entry("2024-05-15", "1")])
    assert t.MonthsElapsed == 8
    assert t.ForecastBreak == Decimal("1530.93")
    assert t.ForecastEnd == Decimal("4822.43")  # 2,143.30 x 18/8 = 4,822.425


@pytest.mark.parametrize(
    ("cap", "rate", "spent_days", "left"),
    [
        ("1000.00", "300.00", [], "3.0"),  # 3.33 days -> 3
        ("1000.00", "400.00", [], "2.5"),  # 2.5 exactly
        ("1000.00", "612.37", ["0.5"], "1.0"),  # 693.81 / 612.37 = 1.13 -> 1
        ("1000.00", "449.99", ["0.5"], "1.5"),  # 775.00 / 449.99 = 1.72 -> 1.5
        ("500.00", "612.37", ["1"], "0"),  # over the cap: nothing left, never negative
    ],
)
def test_days_left_floors_to_half_days(cap, rate, spent_days, left):
    spent = [entry(f"2023-10-{16 + n}", d) for n, d in enumerate(spent_days)]
    t = totals_at(rate, spent, cap=Decimal(cap))
    assert t.DaysLeft == Decimal(left)


@pytest.mark.parametrize(
    ("rate", "used", "band"),
    [
        ("4999.00", "0.4999", "Below 50% of cap"),
        ("5000.00", "0.5000", "50% of cap or more"),
        ("7499.99", "0.7500", "75% of cap or more"),  # CapUsedPct is rounded to 4 places first
        ("10000.00", "1.0000", "100% of cap or more"),
        ("10001.00", "1.0001", "OVER CAP"),
        ("10000.01", "1.0000", "OVER CAP"),  # a penny over: the money decides, not the ratio
    ],
)
def test_alert_band_at_the_edges(rate, used, band):
    t = totals_at(rate, [entry("2023-10-16", "1")], cap=Decimal("10000.00"))
    assert t.CapUsedPct == Decimal(used)
    # One day in the first month forecasts 29 such months: over the cap unless already over.
    assert t.ForecastEnd > Decimal("10000.00")
    assert t.AlertBand == band + ("" if band == OVER_CAP else FORECAST_OVER)


@pytest.mark.parametrize(
    ("days_per_month", "over"),
    [(None, False), (Decimal(0), False), (Decimal(10), True)],
)
def test_an_extensions_days_per_month_feed_the_cap_alert(days_per_month, over):
    """A day a month so far (£650 a month, £11,050 by Feb 2025), extended 12 months: at the
    run rate the forecast stays under the £58,500 cap; at 10 days a month decided it is over,
    and the alert says so although spend to date is low."""
    months = [dt.date(2023 + (9 + i) // 12, (9 + i) % 12 + 1, 16) for i in range(17)]
    entries = [entry(m.isoformat(), "1") for m in months]
    t = compute_totals(extended(TERMS, 12, days_per_month), entries)
    assert t.AlertBand.startswith("Below 50% of cap")
    assert (t.ForecastEnd > TERMS.money.cap) is over
    assert t.AlertBand.endswith(FORECAST_OVER) is over


def test_outcome_split_by_largest_remainder():
    # Row 1: 1 day at 612.37 for three outcomes -> 2/3 half day and 20,412 1/3 pence each.
    # Row 2: half a day (306.19) for two of them -> 1/2 half day and 15,309 1/2 pence each.
    entries = [
        entry("2023-10-16", "1", "OX-PA2", "OX-0", "OX-PA1"),
        entry("2023-10-17", "0.5", "OX-PA1", "OX-PA2"),
    ]
    lines = {b.name: b for b in totals_at("612.37", entries).outcomes}
    # Half days: exact 2/3, 7/6, 7/6 -> floors 0, 1, 1; the 1 left goes to OX-0 (remainder 2/3).
    # Pence: exact 20,412.33, 35,721.83, 35,721.83 -> the 2 pence left go to OX-PA1 and OX-PA2.
    assert [(lines[o].days, lines[o].net) for o in ("OX-0", "OX-PA1", "OX-PA2")] == [
        (Decimal("0.5"), Decimal("204.12")),
        (Decimal("0.5"), Decimal("357.22")),
        (Decimal("0.5"), Decimal("357.22")),
    ]
    assert (lines["(none)"].days, lines["(none)"].net) == (0, 0)


def test_outcome_ties_go_in_annex_a_order_and_blank_outcomes_to_none():
    # 1 day for three outcomes, typed out of order: every remainder ties, Annex A order wins.
    entries = [entry("2023-10-16", "1", "OX-PA2", "OX-PA1", "OX-0"), entry("2023-10-17", "0.5")]
    t = totals_at("600.00", entries)
    got = {b.name: (b.days, b.net) for b in t.outcomes}
    assert got["OX-0"] == (Decimal("0.5"), Decimal("200.00"))
    assert got["OX-PA1"] == (Decimal("0.5"), Decimal("200.00"))
    assert got["OX-PA2"] == (Decimal("0"), Decimal("200.00"))
    assert got["(none)"] == (Decimal("0.5"), Decimal("300.00"))
    assert [b.name for b in t.outcomes] == [o.id for o in TERMS.outcomes] + ["(none)"]


def test_breakdowns_in_json_and_text():
    entries = [
        entry("2023-10-16", "1", "OX-0", advisor="RK-02"),
        entry("2023-10-17", "0.5", "OX-0", advisor="RK-01"),
    ]
    t = totals_at("650.00", entries)
    data = json.loads(json.dumps(totals_json(t)))
    assert data["by_advisor"] == [
        {"name": "RK-01", "days": "0.5", "net": "325.00"},
        {"name": "RK-02", "days": "1.0", "net": "650.00"},
        {"name": "RK-03", "days": "0.0", "net": "0.00"},
    ]
    assert data["by_activity"][1] == {"name": "Deep dive", "days": "1.5", "net": "975.00"}
    assert data["by_outcome"][0] == {"name": "OX-0", "days": "1.5", "net": "975.00"}
    text = totals_text(t, "CON_22889")
    assert "  RK-02" in text and "£650.00" in text
    assert "RK-03" not in text  # lines with no delivery are left out of the text


# --- The workbook's own formulas agree (LibreOffice) ---------------------------------------


@pytest.mark.libreoffice
@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,  # three fixed trackers: a LibreOffice run is slow, CI must be repeatable
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    entries=entry_lists(min_slots=10, max_slots=40),
    rate=st.sampled_from(["650.00", "612.37", "587.55"]),
    vat=st.sampled_from(["0.2", "0.175"]),
)
def test_workbook_formulas_agree_on_generated_trackers(
    lo, built, tmp_path_factory, entries: list[Entry], rate: str, vat: str
):
    folder = tmp_path_factory.mktemp("generated")
    path = folder / "tracker.xlsx"
    shutil.copy(built, path)
    wb = load_for_edit(path)
    set_named_value(wb, "DayRate", float(rate))
    set_named_value(wb, "VATRate", float(vat))
    append_entries(wb, entries)
    save_workbook(wb, path)

    names = recalculate(path, names=folder / "names.json")
    assert names is not None
    python = compute_totals(load_workbook_data(path).terms, entries)
    assert python.TotalNet == sum((half_up(e.days * Decimal(rate)) for e in entries), Decimal(0))
    for name in ("TotalNet", "TotalDays", "TotalVAT"):
        engine = Decimal(repr(float(names[name])))
        assert abs(engine - getattr(python, name)) < CENT / 2, (name, engine, python)
