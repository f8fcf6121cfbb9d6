"""calloff mi: every figure equals the workbook's own (the totals, the returns, the invoice
check), the plan follows its stated rule, and the xlsx, CSV and JSON say the same thing."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import zipfile
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.terms_helpers import extended as extended_by
from xlsrc.actions.build import build_to
from xlsrc.actions.invoice_check import check_invoices_sheet
from xlsrc.actions.mi import management_information
from xlsrc.actions.monthly_return import build_all_returns
from xlsrc.actions.totals import workbook_totals
from xlsrc.core.mi.plan import planned_days
from xlsrc.core.totals.presentation import totals_json
from xlsrc.edges.fileio import progress_reader
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.reader import open_book
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.mi.export_csv import safe_cell
from xlsrc.edges.sample import sample_dir
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.sheets import risks as risks_sheet
from xlsrc.model import layout
from xlsrc.model.dates import months_in_range
from xlsrc.model.errors import UserDataError

TODAY = dt.date(2025, 7, 15)
D = Decimal


def dec(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def write_invoices(path: Path, rows: list[tuple[dt.date, str, str, str]]) -> None:
    wb = load_for_edit(path)
    ws = wb[layout.INVOICES]
    for r, (month, net, vat, gross) in enumerate(rows, start=layout.FIRST_DATA_ROW):
        for c, value in enumerate((month, f"INV-{r}", float(net), float(vat), float(gross)), 1):
            put(ws, r, c, value)
    save_workbook(wb, path)


def add_risk(path: Path, row_offset: int, values: dict[str, object]) -> None:
    wb = load_for_edit(path)
    ws = wb[layout.RISKS]
    r = layout.FIRST_DATA_ROW + row_offset
    for header, value in values.items():
        put(ws, r, risks_sheet.HEADERS.index(header) + 1, value)
    save_workbook(wb, path)


@pytest.fixture(scope="module")
def returned(sample, tmp_path_factory):
    """The sample with every month's return issued, then two invoices typed (one right, one
    a penny out), an escalated risk (naming a person: the MI must not show it) and a closed one."""
    path = tmp_path_factory.mktemp("mi") / "sample.xlsx"
    shutil.copy(sample, path)
    report = build_all_returns(path, today=TODAY)
    # After the returns: a return would refuse the name in the risk (confidentiality).
    write_invoices(
        path,
        [
            (dt.date(2023, 11, 1), "3575.00", "715.00", "4290.00"),
            (dt.date(2023, 12, 1), "2275.01", "455.00", "2730.01"),
        ],
    )
    add_risk(
        path,
        10,
        {
            "ID": "R-11",
            "Risk": "Mrs Smith unavailable",
            "Area": "Medway",
            "Likelihood (1-5)": 4,
            "Impact (1-5)": 4,
            "Escalate to VCU": "Yes",
            "Status": "Open",
        },
    )
    add_risk(
        path,
        11,
        {
            "ID": "R-12",
            "Risk": "Old",
            "Area": "Portsmouth",
            "Likelihood (1-5)": 5,
            "Impact (1-5)": 5,
            "Status": "Closed",
        },
    )
    return path, report


@pytest.fixture(scope="module")
def mi(returned, tmp_path_factory):
    path, _ = returned
    folder = tmp_path_factory.mktemp("mi-out")
    reports = {
        fmt: management_information(path, fmt=fmt, out=folder / f"mi.{fmt}", today=TODAY)
        for fmt in ("json", "xlsx", "csv")
    }
    return reports


@pytest.fixture(scope="module")
def data(mi) -> dict:
    return json.loads(mi["json"].out.read_text(encoding="utf-8"))


def test_the_report_never_has_problems_and_names_its_file(mi):
    for fmt, report in mi.items():
        assert report.has_problems is False
        assert report.out.exists() and report.out.suffix == f".{fmt}"
        assert str(report.out) in report.to_text()
        assert report.to_json()["written"] == str(report.out)


def test_headline_equals_calloff_totals(returned, data):
    path, _ = returned
    totals = totals_json(workbook_totals(path).totals)
    for key, value in data["headline"].items():
        assert value == totals[key], key
    assert data["by_area"] == [
        {
            "area": a["area"],
            "days_allocated": a["days_allocated"],
            "planned_to_date": data["by_area"][n]["planned_to_date"],
            "days": a["days"],
            "days_remaining": a["days_remaining"],
            "net": a["net"],
        }
        for n, a in enumerate(totals["by_area"])
    ]
    assert data["scenarios"] == totals["scenarios"]


def test_every_month_equals_the_totals(returned, data):
    path, _ = returned
    by_month = {m["month"]: m for m in totals_json(workbook_totals(path).totals)["by_month"]}
    months = [m for m in data["by_month"] if m["reported"]]
    assert [m["month"] for m in months] == [
        f"{m:%Y-%m}" for m in months_in_range(dt.date(2023, 10, 1), dt.date(2025, 6, 1))
    ]
    for m in months:
        t = by_month[m["month"]]
        for key in ("net", "vat", "gross", "cumulative_net", "cumulative_gross"):
            assert m[key] == t[key], (m["month"], key)
        assert dec(m["days"]) == dec(t["days"])
        for area, figures in m["by_area"].items():
            assert dec(figures["days"]) == dec(t["days_by_area"][area])
            assert figures["net"] == t["net_by_area"][area]
    assert sum(dec(m["net"]) for m in months) == dec(data["headline"]["TotalNet"])
    assert dec(months[-1]["cumulative_days"]) == dec(data["headline"]["TotalDays"])


def test_every_month_equals_its_return(returned, data):
    _, report = returned
    by_month = {m["month"]: m for m in data["by_month"]}
    issued = report.to_json()["returns"]
    assert len(issued) == 21
    for r in issued:
        m = by_month[r["month"]]
        for ours, theirs in (
            ("net", "net"),
            ("vat", "vat"),
            ("gross", "gross"),
            ("cumulative_net", "cumulative_net"),
            ("cap_used", "cap_used"),
            ("headroom", "headroom"),
            ("forecast_end", "forecast_end"),
            ("forecast_break", "forecast_break"),
        ):
            assert dec(m[ours]) == dec(r[theirs]), (r["month"], ours)
        assert dec(m["days"]) == dec(r["days"])
        assert m["return_versions"] == 1


def test_returns_issued_come_from_the_audit_sheet(returned, data):
    path, _ = returned
    audit = [
        a for a in progress_reader.read_audit(open_book(path)) if a.action == layout.RETURN_ISSUED
    ]
    assert len(data["returns"]) == len(audit) == 21
    for line, row in zip(data["returns"], audit, strict=True):
        assert line["month"] == row.month
        issued = dt.date.fromisoformat(row.when[:10])
        assert line["issued"] == issued.isoformat()
        month = dt.date.fromisoformat(row.month + "-01")
        next_month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        assert line["days_after_month_end"] == (issued - next_month).days + 1
        assert dec(line["net"]) == dec(row.net)
    month = next(m for m in data["by_month"] if m["month"] == "2024-03")
    assert month["return_issued"] == data["returns"][5]["issued"]


def test_invoices_are_the_invoice_checks_verdicts(returned, data):
    path, _ = returned
    checks = check_invoices_sheet(path, today=TODAY)
    assert [i["result"] for i in data["invoices"]] == [
        "PASS" if c.passed else "FAIL" for c in checks
    ]
    assert [i["codes"] for i in data["invoices"]] == [
        [d.code for d in c.differences] for c in checks
    ]
    assert data["invoices"][0]["result"] == "PASS"
    assert data["invoices"][1]["codes"][0] == "NET-DIFFERS"
    by_month = {m["month"]: m for m in data["by_month"]}
    assert by_month["2023-11"]["invoice"] == "PASS"
    assert by_month["2023-12"]["invoice"].startswith("FAIL: NET-DIFFERS")
    assert by_month["2024-01"]["invoice"] == ""


def test_ratings_are_counted_from_the_annexa_sheet(data):
    with (sample_dir() / "annexa.csv").open(encoding="utf-8") as handle:
        typed = Counter((r["Month"], r["Area"], r["Rating"]) for r in csv.DictReader(handle))
    for r in data["ratings"]:
        for colour in ("Red", "Amber", "Green"):
            assert r[colour] == typed[(r["month"], r["area"], colour)], r
    rows_per_area = Counter(r["area"] for r in data["ratings"] if r["month"] == "2023-10")
    assert set(rows_per_area) == {"Oxfordshire", "Portsmouth", "Medway"}


def test_ehcp_is_local_and_monthly_and_sen2_stays_apart(data):
    with (sample_dir() / "ehcp.csv").open(encoding="utf-8") as handle:
        typed = {(r["Month"], r["Area"]): r for r in csv.DictReader(handle)}
    assert data["ehcp_monthly"]
    for line in data["ehcp_monthly"]:
        row = typed.get((line["month"], line["area"]))
        if row is None:  # a month with no figure typed
            assert line["issued"] is None and line["versus_trajectory"] == "no figure"
            continue
        assert line["issued"] == int(row["Issued"])
        expected = (D(row["Within20"]) / D(row["Issued"])).quantize(D("0.0001"), ROUND_HALF_UP)
        assert dec(line["pct"]) == expected
    with (sample_dir() / "sen2.csv").open(encoding="utf-8") as handle:
        sen2 = list(csv.DictReader(handle))
    assert [(s["year"], s["area"]) for s in data["sen2_annual"]] == sorted(
        ((int(r["Year"]), r["Area"]) for r in sen2),
        key=lambda k: (k[0], ["Oxfordshire", "Portsmouth", "Medway"].index(k[1])),
    )
    assert not any("sen2" in key for line in data["ehcp_monthly"] for key in line)


def test_risks_count_open_ones_by_score_and_escalations(data):
    risks = data["risks"]
    ids = [r["id"] for r in risks["open_risks"]]
    assert "R-12" not in ids  # closed
    assert ids[0] == "R-11" and risks["open_risks"][0]["score"] == 16
    assert risks["escalations"] == 1
    assert sum(risks["by_score"].values()) + risks["unscored"] == risks["open"] == len(ids)
    assert risks["at_or_above_threshold"] == sum(
        n for s, n in risks["by_score"].items() if int(s) >= risks["threshold"]
    )


def test_no_free_text_leaves_the_workbook(mi):
    for fmt in ("json", "csv"):
        text = mi[fmt].out.read_text(encoding="utf-8-sig")
        assert "Mrs Smith" not in text  # a risk description
        assert "challenged the PAP timeline" not in text  # a tracker note
        assert "SIB minutes" not in text  # Annex A evidence


def test_xlsx_shows_the_same_figures_and_two_native_charts(mi, data):
    path = mi["xlsx"].out
    wb = openpyxl.load_workbook(path)
    ws = wb["Monthly"]
    headers = [c.value for c in ws[4]]
    col = {h: headers.index(h) for h in headers}
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] is not None]
    assert len(rows) == len(data["by_month"])
    for values, m in zip(rows, data["by_month"], strict=True):
        assert values[0].date() == dt.date.fromisoformat(m["month"] + "-01")
        for header, key in (
            ("Net", "net"),
            ("VAT", "vat"),
            ("Gross", "gross"),
            ("Cumulative net", "cumulative_net"),
            ("% of cap", "cap_used"),
            ("Forecast at end (as at month)", "forecast_end"),
            ("Days planned", "planned"),
            ("Days delivered", "days"),
        ):
            assert dec(values[col[header]]) == dec(m[key]), (m["month"], header)
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=5, max_col=2, values_only=True)}
    assert dec(summary["Spend to date (net)"]) == dec(data["headline"]["TotalNet"])
    assert dec(summary["Forecast at the end"]) == dec(data["headline"]["ForecastEnd"])
    assert len(wb["Monthly"]._charts) == 1 and len(wb["Ratings"]._charts) == 1
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        xml = "".join(archive.read(n).decode() for n in charts)
    assert len(charts) == 2 and "<lineChart>" in xml and "<barChart>" in xml
    assert '<grouping val="stacked"' in xml
    assert set(wb.sheetnames) >= {"EHCP", "SEN2", "Risks", "Returns", "Invoices", "By area"}


def test_csv_is_long_form_with_the_same_figures(mi, data):
    with mi["csv"].out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["section", "period", "area", "key", "measure", "value"]
    found = {
        (r["section"], r["period"], r["area"], r["key"], r["measure"]): r["value"] for r in rows
    }
    assert found[("headline", "", "", "", "TotalNet")] == data["headline"]["TotalNet"]
    for m in data["by_month"]:
        assert found[("month", m["month"], "All areas", "", "net")] == (m["net"] or "")
        for area, figures in m["by_area"].items():
            assert found[("month", m["month"], area, "", "planned")] == figures["planned"]
    assert found[("invoice", "2023-12", "", "INV-6", "result")] == "FAIL"


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 7700", "'+44 7700"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5850.00", "-5850.00"),  # a negative figure stays a number
        ("Oxfordshire", "Oxfordshire"),
        (None, ""),
        (True, "TRUE"),
    ],
)
def test_csv_cells_never_start_a_formula(text, cell):
    assert safe_cell(text) == cell


@pytest.fixture(scope="module")
def hostile(terms, tmp_path_factory) -> Path:
    """An empty workbook whose supplier and reference look like formulas."""
    contract = terms.contract.model_copy(
        update={"supplier": '=HYPERLINK("http://evil","x")', "reference": "@SUM(1)"}
    )
    return build_to(
        terms.model_copy(update={"contract": contract}),
        tmp_path_factory.mktemp("hostile") / "hostile.xlsx",
    )


def test_text_that_looks_like_a_formula_stays_text(hostile, tmp_path):
    xlsx = management_information(hostile, fmt="xlsx", out=tmp_path / "m.xlsx", today=TODAY)
    ws = openpyxl.load_workbook(xlsx.out)["Summary"]
    supplier = next(r for r in ws.iter_rows(min_row=5, max_col=2) if r[0].value == "Supplier")[1]
    assert supplier.value.startswith("=HYPERLINK") and supplier.data_type == "s"
    with zipfile.ZipFile(xlsx.out) as archive:
        sheets = "".join(
            archive.read(n).decode() for n in archive.namelist() if "worksheets/sheet" in n
        )
    assert "HYPERLINK" in sheets and not re.search(r"<f>[^<]*(HYPERLINK|SUM)", sheets)
    out = management_information(hostile, fmt="csv", out=tmp_path / "m.csv", today=TODAY).out
    with out.open(encoding="utf-8-sig", newline="") as handle:
        values = [r["value"] for r in csv.DictReader(handle)]
    assert '\'=HYPERLINK("http://evil","x")' in values and "'@SUM(1)" in values
    assert not any(v.startswith(("=", "+", "@")) for v in values)


def test_an_empty_workbook_gives_zeros_not_errors(built, tmp_path):
    report = management_information(built, fmt="json", out=tmp_path / "m.json", today=TODAY)
    data = json.loads(report.out.read_text(encoding="utf-8"))
    assert dec(data["headline"]["TotalNet"]) == 0
    assert all(dec(m["net"]) == 0 for m in data["by_month"])
    assert data["returns"] == [] and data["invoices"] == []


def test_months_after_today_carry_only_their_plan(built, tmp_path):
    report = management_information(
        built, fmt="json", out=tmp_path / "m.json", today=dt.date(2024, 1, 20)
    )
    months = {m["month"]: m for m in report.to_json()["by_month"]}  # type: ignore[union-attr]
    assert months["2024-01"]["reported"] and months["2024-01"]["net"] == "0.00"
    assert not months["2024-02"]["reported"] and months["2024-02"]["net"] is None
    assert months["2024-02"]["planned"] != "0"


def test_the_default_output_sits_beside_the_workbook(built, tmp_path):
    path = tmp_path / "book.xlsx"
    shutil.copy(built, path)
    report = management_information(path, fmt="csv", out=None, today=TODAY)
    assert report.out == tmp_path / "book-MI.csv" and report.out.exists()
    folder = tmp_path / "out"
    folder.mkdir()
    report = management_information(path, fmt="json", out=folder, today=TODAY)
    assert report.out == folder / "book-MI.json"


def test_the_format_follows_the_out_suffix_unless_given(built, tmp_path):
    assert management_information(built, out=tmp_path / "m.csv", today=TODAY).fmt == "csv"
    assert management_information(built, out=tmp_path / "m.out", today=TODAY).fmt == "xlsx"
    with pytest.raises(UserDataError, match="make them agree"):
        management_information(built, fmt="json", out=tmp_path / "m.csv", today=TODAY)


def test_it_refuses_to_overwrite_the_workbook_or_an_unknown_format(built, tmp_path):
    with pytest.raises(UserDataError, match="the workbook itself"):
        management_information(built, fmt="xlsx", out=built, today=TODAY)
    with pytest.raises(UserDataError, match="--format"):
        management_information(built, fmt="pdf", out=tmp_path / "x.pdf", today=TODAY)


# The plan rule (xlsrc/core/mi/plan.py), on terms alone.


def test_the_plan_spreads_each_allocation_evenly_and_adds_up_exactly(terms):
    plan = planned_days(terms)
    term = months_in_range(terms.dates.start, terms.dates.end)
    assert sorted(plan) == term  # no extension agreed in the bundled terms
    for area in terms.areas:
        monthly = [plan[m][area.short] for m in term]
        assert sum(monthly) == area.days_allocated
        assert max(monthly) - min(monthly) <= D("0.01")
        exact = area.days_allocated / len(term)
        assert all(abs(x - exact) < D("0.01") for x in monthly)


def test_extension_months_plan_days_per_month_shared_by_allocation(terms):
    extended = extended_by(terms, 2, D(9))
    plan = planned_days(extended)
    extra = [m for m in plan if m > extended.dates.end]
    assert extra == [dt.date(2025, 4, 1), dt.date(2025, 5, 1)]
    total = sum(a.days_allocated for a in extended.areas)
    for area in extended.areas:
        expected = (D(9) * area.days_allocated / total).quantize(D("0.01"))
        assert plan[extra[0]][area.short] == expected
    without = extended_by(terms, 2)
    assert max(planned_days(without)) == months_in_range(terms.dates.end, terms.dates.end)[0]


def test_the_summary_speaks_plainly_and_counts_escalations(sample, tmp_path):
    """Issue 22: the MI summary in a contract manager's words (no key names, no formula), and
    escalations counted: the sample's latest recommendations to VCU call Oxfordshire and
    Medway Not sufficient (June 2025), and two of its three escalations and asks of the
    Department are open; none of its risks is escalated."""
    xlsx = management_information(sample, fmt="xlsx", out=tmp_path / "m.xlsx", today=TODAY)
    ws = openpyxl.load_workbook(xlsx.out)["Summary"]
    text = " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
    for code in ("days_allocated", "dates.end", "ROUND(", "`", "PLACEHOLDER"):
        assert code not in text, code
    summary = {r[0]: r[1] for r in ws.iter_rows(min_row=5, max_col=2, values_only=True)}
    assert summary["Areas recommended Not sufficient to VCU (Jun 2025)"] == "2: Oxfordshire, Medway"
    assert summary["Escalations and asks of the Department open"] == 2
    assert summary["Open risks escalated to VCU"] == 0
    assert summary["Escalations now (all kinds below)"] == 4
    data = json.loads(
        management_information(
            sample, fmt="json", out=tmp_path / "m.json", today=TODAY
        ).out.read_text(encoding="utf-8")
    )
    assert data["escalations"] == {
        "total": 4,
        "vcu_month": "2025-06",
        "not_sufficient": ["Oxfordshire", "Medway"],
        "risks": 0,
        "asks_open": 2,
    }
