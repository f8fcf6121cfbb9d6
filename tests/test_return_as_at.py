"""A return shows what was true and known at its date: decisions decided by then, plans and
risk reviews as they stood; the last month's return is the final return and nothing is
planned past the end; forecasts count every month (a nil month too); a contract without
EHCP measures has no EHCP section and is not asked for EHCP figures. No LibreOffice."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from xlsrc.actions.monthly_return import _inputs, plan_returns
from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.core.returns.as_at import risks_as_at
from xlsrc.core.returns.gather import Inputs, gather
from xlsrc.core.returns.sheet import describe
from xlsrc.core.totals import compute_totals
from xlsrc.edges.fileio.reader import open_book
from xlsrc.model import fmt, layout
from xlsrc.model.entry import Entry
from xlsrc.model.records import Risk, Text
from xlsrc.model.terms.loader import terms_from_mapping

TODAY = dt.date(2025, 7, 15)


def text_of(ret) -> str:
    return " ".join(str(v) for row in describe(ret).rows for v in row if v not in (None, ""))


@pytest.fixture(scope="module")
def returns(sample):
    built, _ = plan_returns(
        open_book(sample), [dt.date(2024, 3, 1), dt.date(2025, 6, 1)], today=TODAY
    )
    return {f"{r.month:%Y-%m}": r for r in built}


def test_march_2024_shows_the_term_as_it_stood(returns):
    march = returns["2024-03"]
    text = text_of(march)
    # The 3-month extension was decided in February 2025: not in force in March 2024.
    assert "30/06/2025" not in text
    assert march.delivery.contract_end == dt.date(2025, 3, 31)
    # The break decision is stated; the break is not ahead, so no forecast "to the break".
    assert "Break 31/03/2024: Continue past the break (decided 20/02/2024" in text
    assert march.delivery.forecast_break is None and "Forecast to 31/03/2024" not in text
    # PA3 was completed on 15/05/2024: at the end of March it had slipped, not completed.
    pa3 = next(p for p in march.plans.slipped if p.action.startswith("PA3"))
    assert pa3.completed is None and "completed 15/05/2024" not in text


def test_june_2025_is_the_final_return_and_plans_nothing_after_the_end(returns):
    june = returns["2025-06"]
    text = text_of(june)
    assert june.is_final and describe(june).rows[1][0].startswith("Final return — June 2025")
    assert june.next_month is None and "Next month's plan" not in text
    assert june.next_report_due is None and "July 2025" not in text
    close = june.closeout
    assert close is not None and close.end == dt.date(2025, 6, 30)
    assert close.days == june.delivery.cumulative_days
    assert {a for a, _, _ in close.by_area} == {"Oxfordshire", "Portsmouth", "Medway"}
    assert "Confidential information" in text and "duration of the contract" in text
    for day in (dt.date(2025, 7, 1), dt.date(2026, 12, 19)):
        assert fmt.day(day) not in text


def test_a_return_rebuilt_at_the_end_is_the_one_built_at_the_time(sample):
    """Every month: built with only what was known at its month's end (decisions decided,
    plans completed, risks reviewed by then; later rows not yet typed) and rebuilt from the
    whole workbook at the end of the contract, the pages are the same."""
    data = load_workbook_data(sample)
    full, _ = _inputs(data, TODAY)
    terms = full.terms
    months = sorted({dt.date(e.date.year, e.date.month, 1) for e in full.entries})
    assert len(months) > 12
    for month in months:
        end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
        then = dataclasses.replace(
            full,
            terms=terms.model_copy(
                update={"decisions": [d for d in terms.decisions if d.decided <= end]}
            ),
            entries=[e for e in full.entries if e.date <= end],
            plans=[
                dataclasses.replace(p, completed=None, status="Open")
                if p.completed and p.completed > end
                else p
                for p in full.plans
            ],
            risks=[r for r in full.risks if (r.reviewed or r.raised or dt.date.min) <= end],
        )
        at_the_time, _ = gather(then, month, prepared=end, version=1)
        later, _ = gather(full, month, prepared=end, version=1)
        assert describe(at_the_time).rows == describe(later).rows, month


def test_a_nil_months_forecast_counts_the_nil_month(terms):
    entries = [
        Entry(dt.date(2023, 10, 16), "RK-01", "Oxfordshire", "Deep dive", Decimal("10")),
        Entry(dt.date(2023, 11, 16), "RK-01", "Oxfordshire", "Deep dive", Decimal("10")),
    ]
    nil = dt.date(2023, 12, 1)  # nothing delivered in December
    totals = compute_totals(terms, entries, as_of=nil)
    assert totals.MonthsElapsed == 3  # October, November and the nil December
    net = totals.TotalNet
    ahead = 15  # January 2024 to March 2025
    assert totals.ForecastEnd == (net * (3 + ahead) / 3).quantize(Decimal("0.01"))
    inputs = Inputs(terms, entries, [], [], [], [], [])
    ret, _ = gather(inputs, nil, prepared=dt.date(2024, 1, 5), version=1)
    assert ret.is_nil and ret.delivery.forecast_end == totals.ForecastEnd
    # The Budget's own figure (no as_of) runs from the last month with delivery.
    assert compute_totals(terms, entries).MonthsElapsed == 2


def test_risks_as_reviewed_by_the_date():
    def risk(status: str, reviewed: dt.date | None) -> Risk:
        return Risk("R-01", Text("The break", "Risks!B5"), "All areas", "", 3, 4, "DfE", None,
                    False, status, reviewed=reviewed)  # fmt: skip

    register = [risk("Open", None), risk("Closed", dt.date(2024, 4, 10))]
    assert [r.status for r in risks_as_at(register, dt.date(2024, 3, 31))] == ["Open"]
    assert [r.status for r in risks_as_at(register, dt.date(2024, 4, 30))] == ["Closed"]


def test_a_return_prompts_a_review_of_a_risk_the_break_decision_made_moot(returns):
    march = returns["2024-03"]
    assert any(p.startswith("R-01") and "continued past the break" in p for p in march.risk_prompts)


def test_a_contract_without_ehcp_measures_issues_a_return_without_that_section(terms):
    raw = terms.model_dump(mode="python", by_alias=True)
    raw["contract"]["id"] = "CON_AP_01"
    raw["areas"] = raw["areas"][:2]
    codes = [a["code"] for a in raw["areas"]]
    raw["measures"] = [{"id": "AP-1", "text": "Pupils in alternative provision attend."}]
    raw["measure_variants"] = {}
    raw["outcomes"] = [
        {
            "id": f"{code}-AP",
            "areas": [code],
            "kind": "alternative provision",
            "text": "Alternative provision is commissioned well.",
            "measures": ["AP-1"],
        }
        for code in codes
    ]
    ap = terms_from_mapping(raw)
    areas = [a.short for a in ap.areas]
    from xlsrc.model.records import AnnexARow, Recommendation

    header = layout.month_header(dt.date(2024, 3, 1))
    annexa = [AnnexARow(a, f"{c}-AP", "AP-1", "attend", {header: "Green"}) for a, c in
              zip(areas, codes, strict=True)]  # fmt: skip
    vcu = [Recommendation(dt.date(2024, 3, 1), a, "Sufficient", None) for a in areas]
    entries = [Entry(dt.date(2024, 3, 4), "RK-01", areas[0], "Deep dive", Decimal("1"))]
    inputs = Inputs(ap, entries, annexa, [], [], vcu, [])
    ret, _ = gather(inputs, dt.date(2024, 3, 1), prepared=dt.date(2024, 4, 5), version=1)
    assert ret.not_recorded == []  # nothing asked for: a complete return
    assert not ret.shows_timeliness and ret.timeliness == []
    text = text_of(ret)
    assert "EHCP" not in text and "SEN2" not in text
    titles = [row[0] for row in describe(ret).rows if row and isinstance(row[0], str)]
    numbered = [t.split(".")[0] for t in titles if t[:1].isdigit() and ". " in t[:4]]
    assert numbered == [str(i) for i in range(1, len(numbered) + 1)]  # no gap where it was


def _judge(path, month: str, area: str, **columns: str) -> None:
    from xlsrc.edges.fileio import progress_writer
    from xlsrc.edges.fileio.atomic import save_workbook
    from xlsrc.edges.fileio.tracker_writer import load_for_edit

    wb = load_for_edit(path)
    progress_writer.write_area_reports(wb, [{"Month": month, "Area": area, **columns}])
    save_workbook(wb, path)


def test_a_contradiction_warns_at_its_row_and_blocks_issue_until_acknowledged(sample, tmp_path):
    import shutil

    from xlsrc.actions.validate import check_workbook
    from xlsrc.model.errors import UserDataError

    path = tmp_path / "sample.xlsx"
    shutil.copy(sample, path)
    june = [dt.date(2025, 6, 1)]
    # The bundled example agrees with itself: no warning, every month issues.
    assert not [
        i
        for i in check_workbook(load_workbook_data(path), TODAY, write=False).issues
        if i.code == "RETURN-CONTRADICTS"
    ]
    _judge(
        path, "2025-06", "Oxfordshire", **{"Summary judgement": "Good progress, fully on track."}
    )
    warned = [
        i
        for i in check_workbook(load_workbook_data(path), TODAY, write=False).issues
        if i.code == "RETURN-CONTRADICTS"
    ]
    assert warned and all(i.severity == "warning" for i in warned)
    assert {(i.sheet, i.column) for i in warned} == {("Report", "Summary judgement")}
    assert all(i.row > 0 and "June 2025, Oxfordshire" in i.message for i in warned)
    assert any('"Not sufficient"' in i.message for i in warned)
    with pytest.raises(UserDataError, match=r"contradicts itself.*Oxfordshire"):
        plan_returns(open_book(path), june, today=TODAY)
    why = "Ratings lag the SIB's evidence by a month; agreed with the case lead."
    _judge(path, "2025-06", "Oxfordshire", **{"Contradiction acknowledged": why})
    assert not [
        i
        for i in check_workbook(load_workbook_data(path), TODAY, write=False).issues
        if i.code == "RETURN-CONTRADICTS"
    ]
    (ret,), _ = plan_returns(open_book(path), june, today=TODAY)
    assert why in text_of(ret) and "Acknowledged:" in text_of(ret)
