"""calloff portfolio: many contract workbooks (any terms) -> one summary, sorted by risk; a bad
or foreign file is listed with its reason and never stops the others."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlsrc.actions.advisor_tracker import advisor_workbook
from xlsrc.actions.portfolio import portfolio
from xlsrc.actions.portfolio_read import find_workbooks, read_contract
from xlsrc.actions.totals import workbook_totals
from xlsrc.core.portfolio import ContractLine, Skipped, marking, risk_level
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.audit_writer import append_audit
from xlsrc.edges.fileio.tracker_writer import append_entries
from xlsrc.edges.workbook.builder import build_workbook
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.sheets import risks as risks_sheet
from xlsrc.model import layout
from xlsrc.model.entry import Entry
from xlsrc.model.errors import UserDataError
from xlsrc.model.terms.models import Terms

TODAY = dt.date(2025, 7, 15)


def other_terms(base: Terms, cid: str, supplier: str, *, areas: list[str], cap: str) -> Terms:
    """Another contract: its own ID, supplier, cap, day rate, term and areas."""
    data = base.model_dump(by_alias=True)
    data["contract"].update(id=cid, supplier=supplier, reference=f"{cid} advisory support")
    data["dates"].update(
        order=dt.date(2024, 4, 1), start=dt.date(2024, 4, 1), end=dt.date(2025, 12, 31)
    )
    data["dates"]["break"] = None
    data["money"].update(cap=Decimal(cap), day_rate=Decimal("600.00"))
    data["money"]["day_rate_is_placeholder"] = False  # its own, agreed pricing
    data["allocation"]["days_are_placeholder"] = False
    data["areas"] = [a for a in data["areas"] if a["code"] in areas]
    for o in data["outcomes"]:
        o["areas"] = [a for a in o["areas"] if a in areas]
    data["outcomes"] = [o for o in data["outcomes"] if o["areas"]]
    for a in data["areas"]:
        a["days_allocated"] = Decimal(10)
    return Terms.model_validate(data)


def entries(terms: Terms, n: int, first: dt.date, every: int = 35) -> list[Entry]:
    """n valid whole days, `every` days apart (weekends skipped), advisors and areas in turn."""
    out, day = [], first
    while len(out) < n:
        if day.weekday() >= 5:
            day += dt.timedelta(days=1)
            continue
        area = terms.areas[len(out) % len(terms.areas)]
        outcome = terms.outcomes_for(area.code)[0].id
        advisor = terms.advisors[len(out) % len(terms.advisors)].id
        out.append(Entry(day, advisor, area.short, terms.activities[0], Decimal(1), (outcome,)))
        day += dt.timedelta(days=every)
    return out


def make_contract(
    terms: Terms,
    path: Path,
    rows: list[Entry],
    *,
    returned: dict[str, str] | None = None,  # month -> date issued
    invoices: Sequence[tuple[dt.date, str, str, str]] = (),
    escalate: bool = False,
) -> Path:
    wb = build_workbook(terms, "test terms")
    append_entries(wb, rows)
    for month, when in (returned or {}).items():
        append_audit(
            wb,
            {
                "When": f"{when} 09:00:00 UTC",
                "Action": layout.RETURN_ISSUED,
                "Month": month,
                "Version": 1,
                "Rows": 1,
                "Net": 0.0,
            },
        )
    ws = wb[layout.INVOICES]
    for r, (month, net, vat, gross) in enumerate(invoices, start=layout.FIRST_DATA_ROW):
        for c, value in enumerate((month, f"INV-{r}", float(net), float(vat), float(gross)), 1):
            put(ws, r, c, value)
    if escalate:
        ws = wb[layout.RISKS]
        r = layout.FIRST_DATA_ROW + 5
        for header, value in {
            "ID": "R-9",
            "Risk": "Board not quorate",
            "Likelihood (1-5)": 4,
            "Impact (1-5)": 4,
            "Escalate to VCU": "Yes",
            "Status": "Open",
        }.items():
            put(ws, r, risks_sheet.HEADERS.index(header) + 1, value)
    save_workbook(wb, path)
    return path


@pytest.fixture(scope="module")
def folder(sample, terms, tmp_path_factory) -> Path:
    """Four contract workbooks (three with other terms), plus a corrupt file, an unrelated
    spreadsheet, an advisor's tracker file and a text file."""
    root = tmp_path_factory.mktemp("portfolio")
    shutil.copy(sample, root / "CON_22889.xlsx")  # 90% of its cap: medium
    heron = other_terms(
        terms, "CON_10001", "Blue Heron Advisory Ltd", areas=["OX", "PO"], cap="30000.00"
    )
    rows = entries(heron, 12, dt.date(2024, 4, 2))
    make_contract(
        heron,
        root / "heron.xlsx",
        rows,
        escalate=True,
        returned={"2025-05": "2025-06-09", "2025-06": "2025-07-08"},
    )
    quiet = other_terms(terms, "CON_10003", "Quiet Kestrel Ltd", areas=["ME"], cap="20000.00")
    make_contract(
        quiet,
        root / "sub" / "kestrel.xlsx",
        entries(quiet, 5, dt.date(2024, 5, 1)),
        returned={"2025-06": "2025-07-04"},
        invoices=[(dt.date(2024, 5, 1), "600.00", "120.00", "720.00")],
    )
    hostile = other_terms(terms, "CON_10002", "=2+2 Ltd", areas=["OX"], cap="10000.00")
    bad = [
        *entries(hostile, 3, dt.date(2024, 6, 3)),
        Entry(dt.date(2024, 6, 10), "ZZ-99", "Oxfordshire", hostile.activities[0], Decimal(1)),
    ]
    make_contract(
        hostile,
        root / "hostile.xlsx",
        bad,
        invoices=[(dt.date(2024, 6, 1), "1800.00", "360.00", "2160.01")],
    )
    head = (root / "CON_22889.xlsx").read_bytes()
    (root / "corrupt.xlsx").write_bytes(head[: len(head) // 2])  # cut short while copying
    other = openpyxl.Workbook()
    other.active.append(["Name", "Budget"])
    other.active.append(["Team away day", 1200])
    other.save(root / "unrelated.xlsx")
    advisor_workbook(terms, "RK-01", "test").save(root / "CON_22889-RK-01.xlsx")
    (root / "notes.txt").write_text("not a workbook", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def report(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("portfolio-out") / "portfolio.xlsx"
    return portfolio([folder], out=out, today=TODAY)


def test_valid_workbooks_are_summarised_and_the_others_listed_with_reasons(report, folder):
    assert report.has_problems is False
    assert sorted(line.contract_id for line in report.lines) == [
        "CON_10001",
        "CON_10002",
        "CON_10003",
        "CON_22889",
    ]
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"corrupt.xlsx", "unrelated.xlsx", "CON_22889-RK-01.xlsx"}
    assert "not an Excel .xlsx workbook" in reasons["corrupt.xlsx"]
    assert "not a contract workbook" in reasons["unrelated.xlsx"]
    assert "advisor's tracker file (RK-01)" in reasons["CON_22889-RK-01.xlsx"]
    assert str(folder) not in reasons["corrupt.xlsx"]  # the file is named once, beside it
    text = report.to_text()
    assert "corrupt.xlsx" in text and "unrelated.xlsx" in text


def test_a_zip_with_damaged_parts_is_skipped_with_its_reason(folder, tmp_path):
    damaged = tmp_path / "damaged.xlsx"
    with (
        zipfile.ZipFile(folder / "heron.xlsx") as source,
        zipfile.ZipFile(damaged, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, b"<not xml" if item.filename.endswith("sheet3.xml") else data)
    result = read_contract(damaged, TODAY)
    assert isinstance(result, Skipped), result
    assert "damaged" in result.reason or "could not be read" in result.reason


def test_figures_are_each_workbooks_own_totals(report):
    for line in report.lines:
        totals = workbook_totals(Path(line.path)).totals
        assert line.spent == totals.TotalNet
        assert line.cap_used == totals.CapUsedPct
        assert line.forecast_end == totals.ForecastEnd
    heron = next(line for line in report.lines if line.contract_id == "CON_10001")
    assert heron.spent == Decimal("7200.00") and heron.cap == Decimal("30000.00")
    assert heron.areas == ("Oxfordshire", "Portsmouth")


def test_sorted_by_risk(report):
    order = [(risk_level(line, TODAY), line.contract_id) for line in report.lines]
    assert order == [
        ("High", "CON_10002"),  # a tracker error and a wrong invoice: the master check fails
        ("Medium", "CON_10001"),  # an open escalation
        ("Medium", "CON_22889"),  # 90% of the cap
        ("Low", "CON_10003"),
    ]
    hostile = report.lines[0]
    assert hostile.failing == ["CheckTrackerRows", "CheckInvoicesPass"]
    assert hostile.rows_with_errors == 1 and hostile.invoices_failed == 1


def test_days_since_last_return_and_escalations(report):
    data = {c["contract"]: c for c in report.to_json()["contracts"]}  # type: ignore[union-attr]
    assert data["CON_10001"]["days_since_last_return"] == (TODAY - dt.date(2025, 7, 8)).days
    assert data["CON_10001"]["last_month_returned"] == "2025-06-01"
    assert data["CON_10001"]["open_escalations"] == 1
    assert data["CON_22889"]["days_since_last_return"] is None
    assert data["CON_10003"]["master_check_python"] is True
    # calloff caches every formula's value: the file's own MasterCheck is shown.
    assert data["CON_10003"]["master_check_saved_in_file"] is True
    assert all(isinstance(c["master_check_saved_in_file"], bool) for c in data.values())
    assert json.dumps(report.to_json())  # money as strings, dates ISO


def test_placeholders_are_shown_with_the_figures(report):
    """CON_22889's day rate and days allocated are still the £650 and per-area placeholders:
    the portfolio says so beside its figures, as Budget, Checks, the return and the MI do."""
    data = {c["contract"]: c for c in report.to_json()["contracts"]}  # type: ignore[union-attr]
    assert data["CON_22889"]["placeholders"] == ["day rate", "days allocated"]
    assert data["CON_10001"]["placeholders"] == []
    ws = openpyxl.load_workbook(report.out)["Portfolio"]
    headers = [c.value for c in ws[4]]
    shown = {
        r[headers.index("Contract")]: r[headers.index("PLACEHOLDER pricing")]
        for r in ws.iter_rows(min_row=5, values_only=True)
    }
    assert shown["CON_22889"] == "day rate, days allocated" and shown["CON_10003"] == "None"
    assert "(PLACEHOLDER day rate, days allocated)" in report.to_text()


def test_the_summary_workbook(report):
    wb = openpyxl.load_workbook(report.out)
    assert wb.sheetnames == ["Portfolio", "Chart", "Skipped", "Notes"]
    ws = wb["Portfolio"]
    headers = [c.value for c in ws[4]]
    for wanted in (
        "Contract",
        "Reference",
        "Supplier",
        "Areas",
        "Start",
        "Ends",
        "Cap",
        "Spent (net)",
        "% used",
        "Forecast at end",
        "Days since last return",
        "Open escalations",
        "Master check (Python)",
    ):
        assert wanted in headers
    rows = [dict(zip(headers, r, strict=True)) for r in ws.iter_rows(min_row=5, values_only=True)]
    assert [r["Contract"] for r in rows] == [line.contract_id for line in report.lines]
    for r, line in zip(rows, report.lines, strict=True):
        assert Decimal(str(r["Spent (net)"])) == line.spent
        assert r["Master check (Python)"] is line.master_check
    ranges = {str(cf.sqref) for cf in ws.conditional_formatting}
    assert "A5:A8" in ranges and any(r.startswith("K5") for r in ranges)
    assert len(wb["Chart"]._charts) == 1
    skipped = [r for r in wb["Skipped"].iter_rows(min_row=5, values_only=True)]
    assert len(skipped) == 3
    assert "High" in wb["Notes"]["A4"].value + " ".join(
        str(c.value) for c in wb["Notes"]["A"] if c.value
    )
    assert ws.oddHeader.center.text == "OFFICIAL-SENSITIVE"


def test_text_that_looks_like_a_formula_stays_text(report):
    ws = openpyxl.load_workbook(report.out)["Portfolio"]
    cell = next(c for c in ws["D"] if c.value == "=2+2 Ltd")
    assert cell.data_type == "s"
    with zipfile.ZipFile(report.out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert not re.search(r"<f>[^<]*2\+2", xml)


def test_both_cores_give_the_same_answer_as_one(report, folder, tmp_path):
    one = portfolio([folder], out=tmp_path / "one.xlsx", today=TODAY, workers=1)
    assert one.lines == report.lines and one.skipped == report.skipped


def test_the_progress_bar_goes_to_stderr_only_when_asked_or_on_a_terminal(folder, tmp_path, capsys):
    portfolio([folder / "heron.xlsx"], out=tmp_path / "a.xlsx", today=TODAY)
    assert capsys.readouterr().err == ""  # not a terminal under pytest
    portfolio([folder / "heron.xlsx"], out=tmp_path / "b.xlsx", today=TODAY, progress=True)
    captured = capsys.readouterr()
    assert "Reading workbooks" in captured.err and captured.out == ""


def test_no_readable_workbook_is_the_only_failure(folder, tmp_path):
    report = portfolio(
        [folder / "corrupt.xlsx", folder / "unrelated.xlsx", tmp_path / "missing.xlsx"],
        out=tmp_path / "p.xlsx",
        today=TODAY,
    )
    assert report.has_problems is True and report.lines == []
    assert len(report.skipped) == 3 and report.out.exists()
    assert any(s.reason == "no such file or folder" for s in report.skipped)


def test_the_summary_is_never_read_as_an_input(folder, tmp_path):
    copy = tmp_path / "in"
    shutil.copytree(folder, copy)
    out = copy / "summary.xlsx"
    portfolio([copy], out=out, today=TODAY)
    again = portfolio([copy], out=out, today=TODAY)
    assert all(Path(s.path).name != "summary.xlsx" for s in again.skipped)
    paths, _ = find_workbooks([copy, copy / "heron.xlsx"], exclude=out)
    assert len(paths) == len({p.resolve() for p in paths})  # each file once


def test_out_must_be_an_xlsx_file(folder, tmp_path):
    with pytest.raises(UserDataError, match=r"\.xlsx"):
        portfolio([folder], out=tmp_path / "p.csv", today=TODAY)


def test_a_bug_on_one_file_is_that_files_reason(folder, monkeypatch):
    import xlsrc.actions.portfolio_read as read

    def boom(*_args, **_kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(read, "read_workbook_data", boom)
    result = read_contract(folder / "heron.xlsx", TODAY)
    assert isinstance(result, Skipped) and "RuntimeError: unexpected" in result.reason


def test_marking_is_the_highest_of_the_contracts(report):
    def line(m: str) -> ContractLine:
        return dataclasses.replace(report.lines[0], marking=m)

    assert marking([line("OFFICIAL"), line("OFFICIAL-SENSITIVE")]) == "OFFICIAL-SENSITIVE"
    assert marking([line("OFFICIAL")]) == "OFFICIAL"
    assert marking([line("OFFICIAL"), line("Commercial in confidence")]) == (
        "OFFICIAL / Commercial in confidence"
    )
    assert marking([]) == "OFFICIAL"


@pytest.mark.libreoffice
def test_a_recalculated_workbooks_own_master_check_is_shown(lo, folder, tmp_path):
    from xlsrc.edges.libreoffice.recalc import recalculate

    saved = tmp_path / "recalculated.xlsx"
    recalculate(folder / "CON_22889.xlsx", xlsx=saved)
    line = read_contract(saved, TODAY)
    assert isinstance(line, ContractLine)
    assert line.master_cached is True and line.master_check is True
