"""The monthly return: figures agree with the totals and the Budget sheet to the penny, nil
months say so, confidential content stops the build naming the cell, issuing locks a month,
and a corrected return is a new version beside the old."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal

import openpyxl
import pytest

from tests.signoff_helpers import sign_off
from xlsrc.actions.monthly_return import build_all_returns, build_return
from xlsrc.actions.totals import workbook_totals
from xlsrc.adapters.cli import main
from xlsrc.core.returns.confidentiality import ConfidentialityBreach
from xlsrc.core.totals.presentation import totals_json
from xlsrc.edges.fileio import progress_reader
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.reader import open_book
from xlsrc.edges.fileio.tracker_writer import load_for_edit, set_named_value
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.sheets import budget
from xlsrc.model import layout
from xlsrc.model.errors import UserDataError

TODAY = dt.date(2025, 7, 15)


@pytest.fixture
def wb_copy(sample, tmp_path):
    path = tmp_path / "sample.xlsx"
    shutil.copy(sample, path)
    return path


@pytest.fixture(scope="module")
def all_returns(sample, tmp_path_factory):
    """Every month of the sample returned once (the expensive bit, shared)."""
    path = tmp_path_factory.mktemp("returns") / "sample.xlsx"
    shutil.copy(sample, path)
    report = build_all_returns(path, today=TODAY)
    return path, report


def test_every_return_agrees_with_the_totals_to_the_penny(all_returns):
    path, report = all_returns
    by_month = {m["month"]: m for m in totals_json(workbook_totals(path).totals)["by_month"]}
    assert len(report.returns) == 21  # Oct 2023 .. Jun 2025
    for r in report.to_json()["returns"]:
        month = by_month[r["month"]]
        for key in ("net", "vat", "gross", "cumulative_net"):
            assert Decimal(r[key]) == Decimal(month[key]), (r["month"], key)
        assert Decimal(r["days"]) == Decimal(month["days"])


def test_return_sheet_shows_the_same_figures(all_returns):
    path, report = all_returns
    wb = openpyxl.load_workbook(path)
    ret = report.returns[5]  # March 2024
    ws = wb[ret.sheet_name]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert values["Spend to date (net)"] == pytest.approx(float(ret.delivery.cumulative_net))
    assert values["Headroom to the cap"] == pytest.approx(float(ret.delivery.headroom))
    assert values["Total this month"] == pytest.approx(float(ret.delivery.days))
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert f"Invoice for {ret.period}" in text and "£650.00" in text
    assert ret.marking in text


@pytest.mark.libreoffice
def test_cumulative_figures_agree_with_the_recalculated_budget(lo, all_returns, tmp_path):
    from xlsrc.edges.libreoffice.recalc import recalculate

    path, report = all_returns
    out = tmp_path / "recalc.xlsx"
    recalculate(path, xlsx=out)
    ws = openpyxl.load_workbook(out, data_only=True)[layout.BUDGET]
    from xlsrc.edges.fileio.terms_reader import read_terms

    pos = budget.positions(read_terms(open_book(path)))
    budget_cum = {
        ws.cell(r, 1).value.date(): ws.cell(r, pos.cols["Cumulative net"]).value
        for r in range(pos.first_month, pos.last_month + 1)
    }
    for ret in report.returns:
        got = Decimal(str(budget_cum[ret.month]))
        assert abs(got - ret.delivery.cumulative_net) < Decimal("0.005"), ret.period


def test_a_month_without_delivery_is_a_nil_return(built, tmp_path):
    path = tmp_path / "empty.xlsx"
    shutil.copy(built, path)
    sign_off(path, "2023-11")
    before = path.read_bytes()
    with pytest.raises(UserDataError, match="no Annex A rating; no EHCP figure") as err:
        build_return(path, "2023-11", today=TODAY)
    assert "--confirm-incomplete" in str(err.value) and path.read_bytes() == before
    report = build_return(path, "2023-11", today=TODAY, confirm_incomplete=True)
    (ret,) = report.returns
    assert ret.is_nil and ret.delivery.net == 0 and ret.entry_count == 0
    ws = openpyxl.load_workbook(path)["Return 2023-11"]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "NIL RETURN" in text and "no invoice is due" in text
    assert "Not recorded for November 2023: no Annex A rating" in text
    assert "no VCU recommendation for Oxfordshire, Portsmouth, Medway" in text


def _month_row(path, month: str) -> int:
    """A Tracker row dated in `month` (the sheet row)."""
    ws = openpyxl.load_workbook(path)[layout.TRACKER]
    for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1):
        d = ws.cell(r, 1).value
        if isinstance(d, dt.datetime) and f"{d:%Y-%m}" == month:
            return r
    raise AssertionError(f"no row in {month}")


def test_an_email_in_a_tracker_note_stops_the_return_naming_the_cell(wb_copy, capsys):
    row = _month_row(wb_copy, "2024-03")
    wb = load_for_edit(wb_copy)
    put(wb[layout.TRACKER], row, 7, "Spoke to jo.bloggs@oxfordshire.gov.uk about the PAP")
    save_workbook(wb, wb_copy)
    before = wb_copy.read_bytes()
    code = main(["return", str(wb_copy), "--month", "2024-03", "--today", "2025-07-15"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"row {row}, column Notes" in err and "e-mail" in err
    assert wb_copy.read_bytes() == before  # nothing written


def test_confidential_text_elsewhere_stops_the_return_naming_the_cell(wb_copy):
    wb = load_for_edit(wb_copy)
    evidence = wb[layout.EVIDENCE]
    row = next(
        r
        for r in range(layout.FIRST_DATA_ROW, evidence.max_row + 1)
        if isinstance(evidence.cell(r, 1).value, dt.datetime)
        and f"{evidence.cell(r, 1).value:%Y-%m}" == "2024-03"
    )
    put(evidence, row, 5, "Call the SEND lead on 07700 900123 for the data")
    vcu = wb[layout.VCU]
    put(vcu, 8, 4, "Unpublished DSG deficit of £12.4m makes this at risk")
    save_workbook(wb, wb_copy)
    with pytest.raises(ConfidentialityBreach) as err:
        build_return(wb_copy, "2024-03", today=TODAY)
    message = str(err.value)
    assert f"Evidence!E{row}: a phone number (07700 900123)" in message
    # The VCU row 8 is a different month: only the month's own recommendation is shown.
    assert "VCU!D8" not in message


def test_names_only_when_the_terms_allow(wb_copy):
    wb = load_for_edit(wb_copy)
    put(wb[layout.RISKS], 5, 9, "Mrs Smith to chase the health partners")
    save_workbook(wb, wb_copy)
    with pytest.raises(ConfidentialityBreach, match=r"Risks!I5: a person's name \(Mrs Smith\)"):
        build_return(wb_copy, "2024-03", today=TODAY)
    wb = load_for_edit(wb_copy)
    set_named_value(wb, "NamesMayBeShown", "Yes")
    save_workbook(wb, wb_copy)
    assert build_return(wb_copy, "2024-03", today=TODAY).returns


def test_dsg_figures_stop_the_return(wb_copy):
    wb = load_for_edit(wb_copy)
    ws = wb[layout.VCU]
    # The VCU grid runs month by month, three areas each: find March 2024, Oxfordshire.
    for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1):
        if f"{ws.cell(r, 1).value:%Y-%m}" == "2024-03" and ws.cell(r, 2).value == "Oxfordshire":
            put(ws, r, 4, "Unpublished DSG deficit of £12.4m makes this at risk")
            break
    save_workbook(wb, wb_copy)
    with pytest.raises(ConfidentialityBreach, match=rf"VCU!D{r}: a DSG figure"):
        build_return(wb_copy, "2024-03", today=TODAY)


def test_issuing_locks_the_month_and_reissue_keeps_both_versions(wb_copy):
    first = build_return(wb_copy, "2024-03", today=TODAY).returns[0]
    assert first.version == 1
    with pytest.raises(UserDataError, match="issued as version 1 and nothing has changed"):
        build_return(wb_copy, "2024-03", today=TODAY)
    # Edit a locked month's row: the change is caught, and only --reissue goes on.
    row = _month_row(wb_copy, "2024-03")
    wb = load_for_edit(wb_copy)
    put(wb[layout.TRACKER], row, 6, 0.5 if wb[layout.TRACKER].cell(row, 6).value == 1 else 1)
    save_workbook(wb, wb_copy)
    with pytest.raises(UserDataError, match="changed since"):
        build_return(wb_copy, "2024-03", today=TODAY)
    second = build_return(wb_copy, "2024-03", reissue=True, today=TODAY).returns[0]
    assert second.version == 2 and second.entries_fingerprint != first.entries_fingerprint
    names = openpyxl.load_workbook(wb_copy).sheetnames
    assert "Return 2024-03" in names and "Return 2024-03 v2" in names
    audit = [
        a
        for a in progress_reader.read_audit(open_book(wb_copy))
        if a.action == layout.RETURN_ISSUED and a.month == "2024-03"
    ]
    assert [a.version for a in audit] == [1, 2]
    assert audit[0].fingerprint == first.entries_fingerprint
    assert audit[1].fingerprint == second.entries_fingerprint


def test_returns_all_skips_months_already_issued(all_returns, tmp_path):
    path, _ = all_returns
    again = tmp_path / "again.xlsx"
    shutil.copy(path, again)
    report = build_all_returns(again, today=TODAY)
    assert report.returns == [] and len(report.skipped) == 21


def test_month_outside_the_term_and_bad_format(wb_copy, capsys):
    assert main(["return", str(wb_copy), "--month", "2026-01"]) == 2
    assert "outside the contract term" in capsys.readouterr().err
    assert main(["return", str(wb_copy), "--month", "March"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err


def test_return_json(wb_copy, capsys):
    code = main(["return", str(wb_copy), "--month", "2024-01", "--json", "--today", "2025-07-15"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["returns"][0]["sheet"] == "Return 2024-01"


@pytest.mark.libreoffice
def test_the_return_prints_on_a4_portrait_legibly(lo, wb_copy, tmp_path):
    from xlsrc.edges.libreoffice.pdf_check import MIN_TEXT_PT, pages

    pdf = tmp_path / "return.pdf"
    report = build_return(wb_copy, "2024-03", pdf=pdf, today=TODAY)
    assert report.pdfs == [pdf]
    printed = pages(pdf)
    assert 1 <= len(printed) <= 12  # Annex A in full: every outcome in its own words
    assert all(p.is_a4 and p.height > p.width for p in printed)  # portrait
    assert all(p.median_text_pt >= MIN_TEXT_PT for p in printed)
    text = " ".join(p.text for p in printed)
    assert "Monthly return — March 2024" in text and "Day tracker" not in text


def test_validate_catches_an_edit_to_a_returned_month(wb_copy, capsys):
    build_return(wb_copy, "2024-03", today=TODAY)
    args = ["validate", str(wb_copy), "--today", "2025-07-15", "--json"]
    assert main(args) == 0  # untouched: the lock holds quietly
    capsys.readouterr()
    row = _month_row(wb_copy, "2024-03")
    wb = load_for_edit(wb_copy)
    ws = wb[layout.TRACKER]
    put(ws, row, 7, "Edited after the return was issued")
    save_workbook(wb, wb_copy)
    assert main(args) == 1
    issues = json.loads(capsys.readouterr().out)["issues"]
    locked = [i for i in issues if i["code"] == "MONTH-LOCKED-CHANGED"]
    assert len(locked) == 1 and locked[0]["value"] == "2024-03"
    assert "--reissue" in locked[0]["message"]
    # A corrected return (version 2) records the new fingerprint: validate is clean again.
    build_return(wb_copy, "2024-03", reissue=True, today=TODAY)
    assert main(args) == 0


def test_import_refuses_new_rows_into_a_returned_month(wb_copy, tmp_path):
    from xlsrc.actions.advisor_tracker import write_advisor_tracker
    from xlsrc.actions.import_trackers import import_trackers
    from xlsrc.edges.fileio.tracker_writer import append_entries
    from xlsrc.model.entry import Entry

    build_return(wb_copy, "2024-03", today=TODAY)
    mine = write_advisor_tracker("RK-03", master=wb_copy, out=tmp_path / "rk03.xlsx")
    wb = load_for_edit(mine)
    append_entries(wb, [Entry(dt.date(2024, 3, 26), "RK-03", "Medway", "Travel", Decimal("0.5"))])
    save_workbook(wb, mine)
    report = import_trackers(wb_copy, [mine], today=TODAY)
    assert report.has_problems
    assert "MONTH-LOCKED" in json.dumps(report.to_json())


def test_fill_refuses_rows_for_a_returned_month(wb_copy):
    from xlsrc.actions.fill import RowsRejected, fill
    from xlsrc.model.entry import RawRow

    build_return(wb_copy, "2024-03", today=TODAY)
    row = RawRow(
        "late.csv",
        2,
        {
            "Date": "2024-03-27",
            "Advisor": "RK-03",
            "Area": "Medway",
            "Activity": "Travel",
            "Outcomes": None,
            "Days": "0.5",
            "Notes": None,
        },
    )
    with pytest.raises(RowsRejected, match="MONTH-LOCKED"):
        fill(wb_copy, [row], today=TODAY)
    later = RawRow("late.csv", 2, {**row.values, "Date": "2024-04-03"})
    assert fill(wb_copy, [later], today=TODAY).rows_written
