"""The report sections of a return, gathered from the sample (no LibreOffice): evidence of its
own month only, plans as they stood at the month's end, meetings from the Tracker, days
against allocation, next month's plan, asks, sign-off with invoice and PO numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xlsrc.actions.monthly_return import plan_returns
from xlsrc.edges.fileio.reader import open_book

TODAY = dt.date(2025, 7, 15)


@pytest.fixture(scope="module")
def returns(sample):
    book = open_book(sample)
    months = [dt.date(2024, 3, 1), dt.date(2025, 6, 1)]
    built, _ = plan_returns(book, months, today=TODAY)
    return {f"{r.month:%Y-%m}": r for r in built}


def test_evidence_is_the_months_own(returns):
    march = returns["2024-03"]
    shown = [p.evidence for p in march.progress if p.evidence]
    assert shown and all("March 2024" in e for e in shown)
    assert all("June 2025" in p.evidence for p in returns["2025-06"].progress if p.evidence)
    # A measure with nothing recorded for the month says so, even though other months have some.
    assert any(not p.evidence and not p.evidenced for p in march.progress)


def test_each_outcome_rolls_up_its_measures(returns):
    for area in returns["2024-03"].annex_a:
        for outcome in area.outcomes:
            ratings = {m.rating for m in outcome.measures}
            expected = next((r for r in ("Red", "Amber", "Green") if r in ratings), "")
            assert outcome.rating == expected
        assert area.rating == next(
            (r for r in ("Red", "Amber", "Green") if r in {o.rating for o in area.outcomes}), ""
        )


def test_plans_as_at_the_months_end(returns):
    plans = returns["2024-03"].plans
    assert [p.action[:3] for p in plans.due] == ["PA3"]  # due 15/03/2024
    assert [p.action[:3] for p in plans.completed] == ["PA2"]  # done 15/03/2024, a month late
    # PA3 was completed in May 2024, but at the end of March it had slipped.
    assert "PA3" in [p.action[:3] for p in plans.slipped]
    assert plans.done_by_month_end < plans.total


def test_oxfordshire_is_flagged_over_its_allocation(returns):
    ox = next(a for a in returns["2025-06"].summaries if a.area == "Oxfordshire")
    assert (ox.days_to_date, ox.allocated) == (Decimal("51"), Decimal("50"))
    assert ox.over_allocation
    march = next(a for a in returns["2024-03"].summaries if a.area == "Oxfordshire")
    assert not march.over_allocation and march.judgement


def test_meetings_come_from_the_tracker_with_the_advisers_role(returns):
    meetings = returns["2024-03"].meetings
    assert meetings and all(m.date.month == 3 for m in meetings)
    sib = next(m for m in meetings if m.activity == "SIB / board meeting")
    assert sib.advisor == "RK-01" and sib.role == "Lead SEND adviser"
    assert not any(m.activity == "Travel" for m in meetings)


def test_next_month_asks_and_signoff(returns):
    march = returns["2024-03"]
    assert march.next_month.month == dt.date(2024, 4, 1)
    assert march.next_month.dates and all(k.date.month == 4 for k in march.next_month.dates)
    assert dict(march.next_month.days_by_area)["Oxfordshire"] == Decimal("3")
    ask = next(a for a in march.asks if "break" in a.text)
    assert ask.raised == dt.date(2024, 2, 12) and ask.owner == "DfE contract manager"
    assert ask.resolved == dt.date(2024, 3, 18)
    assert march.signoff.invoice == "RKS-0006" and march.signoff.purchase_order
    assert march.signoff.prepared_by == "Supplier lead adviser"
    # Answered before June 2025: no longer listed; the latest month is signed off too.
    june = returns["2025-06"]
    assert not any("break" in a.text for a in june.asks)
    assert june.signoff.prepared_on == dt.date(2025, 7, 5)


def test_sen2_is_the_figure_published_by_the_months_end(sample):
    book = open_book(sample)
    built, _ = plan_returns(book, [dt.date(2024, 3, 1), dt.date(2024, 6, 1)], today=TODAY)
    march, june = ({t.area: t for t in r.timeliness} for r in built)
    # The 2023 figure was published on 13/06/2024: not yet in March 2024, shown in June.
    assert march["Oxfordshire"].sen2_year == 2022
    assert march["Oxfordshire"].sen2_published == dt.date(2023, 6, 15)
    assert june["Oxfordshire"].sen2_year == 2023


def test_not_sufficient_says_when_the_next_report_is_due(sample, returns):
    prepared = dt.date(2024, 4, 5)
    (march,), _ = plan_returns(open_book(sample), [dt.date(2024, 3, 1)], today=prepared)
    assert any(v.recommendation == "Not sufficient" for v in march.vcu)
    assert march.next_report_due == prepared + dt.timedelta(days=14)
    # The final return plans no report after the end, nor does any return past the end.
    june = returns["2025-06"]
    assert any(v.recommendation == "Not sufficient" for v in june.vcu)
    assert june.is_final and june.next_report_due is None


def test_no_next_report_date_when_progress_is_sufficient(sample):
    (ret,), _ = plan_returns(open_book(sample), [dt.date(2023, 11, 1)], today=TODAY)
    assert all(v.recommendation != "Not sufficient" for v in ret.vcu)
    assert ret.next_report_due is None


def test_an_interim_return_covers_the_month_so_far(sample):
    book = open_book(sample)
    (ret,), _ = plan_returns(book, None, today=TODAY, interim=dt.date(2024, 3, 15))
    (full,), _ = plan_returns(book, [dt.date(2024, 3, 1)], today=TODAY)
    assert ret.is_interim and ret.sheet_name == "Return 2024-03-15 interim"
    assert ret.period == "March 2024 to 15/03/2024"
    assert all(m.date <= dt.date(2024, 3, 15) for m in ret.meetings)
    assert ret.entry_count < full.entry_count and ret.delivery.days < full.delivery.days
    assert ret.entries_fingerprint != full.entries_fingerprint


def test_an_interim_return_is_issued_locked_and_fingerprinted(sample, tmp_path):
    import shutil

    from xlsrc.actions.monthly_return import build_return
    from xlsrc.edges.fileio import progress_reader
    from xlsrc.model import layout
    from xlsrc.model.errors import UserDataError

    path = tmp_path / "wb.xlsx"
    shutil.copy(sample, path)
    report = build_return(path, None, interim=dt.date(2024, 3, 15), today=TODAY)
    (ret,) = report.returns
    audit = [a for a in progress_reader.read_audit(open_book(path)) if a.month == "2024-03-15"]
    assert [(a.action, a.version, a.fingerprint) for a in audit] == [
        (layout.INTERIM_ISSUED, 1, ret.entries_fingerprint)
    ]
    with pytest.raises(UserDataError, match="interim return for March 2024 to 15/03/2024"):
        build_return(path, None, interim=dt.date(2024, 3, 15), today=TODAY)
    # The interim return does not stand in for the month's own return.
    (monthly,) = build_return(path, "2024-03", today=TODAY).returns
    assert monthly.version == 1 and not monthly.is_interim
    with pytest.raises(UserDataError, match="after today"):
        build_return(path, None, interim=TODAY + dt.timedelta(days=1), today=TODAY)


@pytest.mark.parametrize(
    ("issued", "within", "trajectory", "versus"),
    [
        (10, 6, 0.55, "above trajectory"),
        (10, 5, 0.55, "below trajectory"),
        (20, 11, 0.55, "on trajectory"),
        (10, 6, None, "no trajectory set"),
        (0, 0, 0.55, "no figure"),
        (None, 3, 0.55, "no figure"),
        (10, None, 0.55, "no figure"),
        (10, 6, "55%", "no trajectory set"),  # text typed in the cell is not a ratio
    ],
)
def test_an_ehcp_month_reads_one_way_for_the_return_and_the_mi(issued, within, trajectory, versus):
    from xlsrc.model.records import EHCPMonth

    month = EHCPMonth(dt.date(2024, 3, 1), "Oxon", issued, within, trajectory, None)
    pct, ratio, said = month.timeliness()
    assert said == versus
    assert pct == (Decimal(within) / Decimal(issued) if issued and within is not None else None)
    assert ratio == (Decimal(str(trajectory)) if isinstance(trajectory, float) else None)
