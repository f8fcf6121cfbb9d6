"""A day rate changing mid-month: the return's invoice line shows one part per rate in force
in the month (days × rate = net each), and its totals are the Budget's, unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.signoff_helpers import sign_off
from tests.terms_helpers import with_decisions
from xlsrc.actions.build import build_to
from xlsrc.actions.monthly_return import build_return
from xlsrc.actions.totals import workbook_totals
from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.core.returns.gather import invoice_line
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import append_entries, load_for_edit
from xlsrc.model.money import line_cost
from xlsrc.model.terms import load_terms

D = dt.date
TODAY = D(2026, 1, 5)
MONTH = D(2024, 4, 1)
CHANGE = D(2024, 4, 15)


def test_a_mid_month_rate_change_gives_one_part_per_rate(sample, tmp_path):
    entries = [
        e for e in load_workbook_data(sample).validate(TODAY).entries if e.date < D(2024, 5, 1)
    ]
    april = [e for e in entries if e.date >= MONTH]
    assert any(e.date < CHANGE for e in april) and any(e.date >= CHANGE for e in april)
    terms = with_decisions(
        load_terms(),
        {"decided": D(2024, 2, 20), "kind": "continue"},
        day_rates=[{"from": CHANGE, "rate": Decimal("700.00")}],
    )
    path = build_to(terms, tmp_path / "rates.xlsx")
    wb = load_for_edit(path)
    append_entries(wb, entries)
    save_workbook(wb, path)
    sign_off(path, "2024-04")
    ret = build_return(path, "2024-04", today=TODAY, confirm_incomplete=True).returns[0]
    old = [e for e in april if e.date < CHANGE]
    new = [e for e in april if e.date >= CHANGE]

    def part(rows, rate):
        days = sum((e.days for e in rows), Decimal(0))
        return (
            Decimal(rate),
            days,
            sum((line_cost(e.days, Decimal(rate)) for e in rows), Decimal(0)),
        )

    assert ret.delivery.by_rate == [part(old, "650.00"), part(new, "700.00")]
    month = next(m for m in workbook_totals(path, TODAY).totals.months if m.month == MONTH)
    assert ret.delivery.net == month.net == sum(p[2] for p in ret.delivery.by_rate)
    line = invoice_line(ret)
    assert " × £650.00 = " in line and " × £700.00 = " in line
    assert f"{line.split(': ')[1].split(' net')[0]}" == f"£{month.net:,.2f}"
