"""Finance's invoice check: an invoice against the Tracker, to the penny.

Expected figures are worked out here from the Tracker's own cells (days x day rate) and plain
fraction arithmetic, not from the code under test; LibreOffice then shows the Invoices sheet's
formulas give the same verdict, row by row.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tiers import examples
from xlsrc.actions.invoice_check import check_invoice, check_invoices_sheet, read_ledger
from xlsrc.actions.totals import workbook_totals
from xlsrc.adapters.cli import main
from xlsrc.core.invoices import Invoice, Ledger, check, parse_amount
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import last_used_row, load_for_edit
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.sheets import invoices as invoices_sheet
from xlsrc.model import layout
from xlsrc.model.errors import UserDataError

CAP = Decimal("58500")
DAY_RATE = Decimal("650")  # the sample's day rate: every half day is a whole £325.00
CENT = Decimal("0.01")
RESULT_REASONS = {  # the Result column's words for each of Python's codes
    "net differs from tracker": "NET-DIFFERS",
    "VAT differs": "VAT-DIFFERS",
    "gross is not net + VAT": "GROSS-NOT-NET-PLUS-VAT",
    "month invoiced twice": "MONTH-INVOICED-TWICE",
    "over the cap": "OVER-CAP",
}


def vat20(net: Decimal) -> Decimal:
    """20% VAT to the penny, halves up, by exact fractions of pence."""
    pence = Fraction(int(net * 100)) / 5
    return (Decimal(int(pence + Fraction(1, 2))) / 100).quantize(CENT)


def tracker_net_by_month(path: Path) -> dict[dt.date, tuple[Decimal, Decimal]]:
    """(days, days x £650) per month, straight from the Tracker's Date and Days cells."""
    ws = openpyxl.load_workbook(path)[layout.TRACKER]
    found: dict[dt.date, Decimal] = defaultdict(Decimal)
    for date, *_, days in ws.iter_rows(min_row=layout.FIRST_DATA_ROW, max_col=6, values_only=True):
        if isinstance(date, dt.datetime) and days is not None:
            found[date.date().replace(day=1)] += Decimal(str(days))
    return {m: (d, d * DAY_RATE) for m, d in found.items()}


@pytest.fixture(scope="module")
def tracker(sample) -> dict[dt.date, tuple[Decimal, Decimal]]:
    return tracker_net_by_month(sample)


@pytest.fixture(scope="module")
def half_day_month(sample, tracker) -> dt.date:
    """A month with delivery and a half day in it, found with compute_totals as finance would."""
    months = workbook_totals(sample).totals.months
    month = next(m for m in months if m.days % 1 == Decimal("0.5"))
    assert month.net == tracker[month.month][1]  # Python's total is days x rate
    return month.month


@pytest.fixture
def wb(sample, tmp_path) -> Path:
    copy = tmp_path / "invoices.xlsx"
    shutil.copy(sample, copy)
    return copy


def ym(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def figures(month: dt.date, tracker) -> tuple[Decimal, Decimal, Decimal]:
    net = tracker[month][1].quantize(CENT)
    return net, vat20(net), net + vat20(net)


def write_invoices(path: Path, rows: list[tuple[dt.date, Decimal, Decimal, Decimal]]) -> None:
    """Type invoices into the Invoices sheet from its first row, as finance would."""
    wb = load_for_edit(path)
    ws = wb[layout.INVOICES]
    for r, (month, net, vat, gross) in enumerate(rows, start=layout.FIRST_DATA_ROW):
        values = (month, f"INV-{r:03d}", float(net), float(vat), float(gross))
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value)
    save_workbook(wb, path)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def cli_args(path: Path, month: dt.date, net: object, vat: object, gross: object) -> list[str]:
    return [
        "invoice-check",
        str(path),
        "--month",
        ym(month),
        "--net",
        str(net),
        "--vat",
        str(vat),
        "--gross",
        str(gross),
    ]


def codes(result) -> list[str]:
    return [d.code for d in result.differences]


def test_a_correct_invoice_passes(capsys, sample, half_day_month, tracker):
    month = half_day_month
    days, _ = tracker[month]
    net, vat, gross = figures(month, tracker)
    code, out, err = run(capsys, *cli_args(sample, month, f"£{net:,}", vat, f"{gross:,}"))
    assert (code, err) == (0, "")
    assert out.startswith("PASS: ") and f"£{net:,}" in out

    result = check_invoice(sample, month=ym(month), net=str(net), vat=str(vat), gross=str(gross))
    assert result.passed and not result.has_problems
    data = result.to_json()
    assert data["month"] == ym(month) and data["passed"] is True
    assert data["invoice"] == {
        "row": None,
        "number": "",
        "net": str(net),
        "vat": str(vat),
        "gross": str(gross),
    }
    assert data["expected"]["net"] == str(net) and data["expected"]["vat"] == str(vat)
    assert Decimal(data["expected"]["days"]) == days
    assert data["differences"] == []
    code, out, _ = run(capsys, *cli_args(sample, month, net, vat, gross), "--json")
    assert code == 0 and json.loads(out) == data  # money as strings, nothing through a float


def test_net_one_penny_high_fails_naming_the_penny(capsys, sample, half_day_month, tracker):
    month = half_day_month
    days, _ = tracker[month]
    net = figures(month, tracker)[0] + CENT
    result = check_invoice(
        sample, month=ym(month), net=str(net), vat=str(vat20(net)), gross=str(net + vat20(net))
    )
    assert codes(result) == ["NET-DIFFERS"]  # VAT and gross are right for the net invoiced
    message = result.differences[0].message
    assert f"Net £{net:,}" in message and f"£{net - CENT:,}" in message
    assert f"{days.normalize():f} days × £650.00" in message and "by £0.01" in message
    assert result.to_text().startswith("FAIL") and message in result.to_text()
    assert result.to_json()["differences"] == [{"code": "NET-DIFFERS", "message": message}]
    code, out, err = run(capsys, *cli_args(sample, month, net, vat20(net), net + vat20(net)))
    assert (code, err) == (1, "") and out == result.to_text() + "\n"


def test_wrong_vat_fails_naming_the_rule(sample, half_day_month, tracker):
    net, vat, _ = figures(half_day_month, tracker)
    wrong = vat - Decimal("0.02")
    result = check_invoice(
        sample, month=ym(half_day_month), net=str(net), vat=str(wrong), gross=str(net + wrong)
    )
    assert codes(result) == ["VAT-DIFFERS"]
    message = result.differences[0].message
    assert f"VAT £{wrong:,}" in message and f"£{vat:,}" in message and "by £0.02" in message
    assert "20%" in message and "halves up" in message and "per invoice" in message


def test_gross_not_net_plus_vat_fails(sample, half_day_month, tracker):
    net, vat, gross = figures(half_day_month, tracker)
    result = check_invoice(
        sample, month=ym(half_day_month), net=str(net), vat=str(vat), gross=str(gross + 1)
    )
    assert codes(result) == ["GROSS-NOT-NET-PLUS-VAT"]
    assert f"= £{gross:,}" in result.differences[0].message
    assert "by £1.00" in result.differences[0].message


def test_cumulative_invoices_over_the_cap_fail(wb, tracker):
    oct23, nov23, dec23 = dt.date(2023, 10, 1), dt.date(2023, 11, 1), dt.date(2023, 12, 1)
    big = Decimal("30000.00")
    write_invoices(
        wb,
        [(oct23, big, vat20(big), big + vat20(big)), (nov23, big, vat20(big), big + vat20(big))],
    )
    # December's invoice is right in itself; the months before it already used the cap.
    net, vat, gross = figures(dec23, tracker)
    result = check_invoice(wb, month="2023-12", net=str(net), vat=str(vat), gross=str(gross))
    assert codes(result) == ["OVER-CAP"]
    cumulative = 2 * big + net
    assert result.cumulative_net == cumulative
    over = cumulative - CAP
    assert f"£{cumulative:,}" in result.differences[0].message
    assert f"£{over:,} over the £58,500.00 cap" in result.differences[0].message

    by_row = {c.invoice.row: c for c in check_invoices_sheet(wb)}
    first, second = layout.FIRST_DATA_ROW, layout.FIRST_DATA_ROW + 1
    assert codes(by_row[first]) == ["NET-DIFFERS"]  # October alone is within the cap
    assert codes(by_row[second]) == ["NET-DIFFERS", "OVER-CAP"]
    assert f"£{2 * big - CAP:,} over" in by_row[second].differences[1].message
    # A later month's invoice does not count against an earlier one.
    assert check_invoice(wb, month="2023-10", net=None, vat=None, gross=None).cumulative_net == big


def test_a_month_invoiced_twice_fails(capsys, wb, tracker):
    dec23 = dt.date(2023, 12, 1)
    net, vat, gross = figures(dec23, tracker)
    write_invoices(wb, [(dec23, net, vat, gross), (dec23, net, vat, gross)])
    first, second = layout.FIRST_DATA_ROW, layout.FIRST_DATA_ROW + 1

    on_sheet = check_invoice(wb, month="2023-12", net=None, vat=None, gross=None)
    assert on_sheet.invoice.row == first and codes(on_sheet) == ["MONTH-INVOICED-TWICE"]
    assert f"also on Invoices row {second}" in on_sheet.differences[0].message
    assert [codes(c) for c in check_invoices_sheet(wb)] == [["MONTH-INVOICED-TWICE"]] * 2

    # From the command line: other figures for a month already on the sheet fail...
    other = check_invoice(
        wb, month="2023-12", net="325.00", vat="65.00", gross="390.00"
    ).differences
    assert f"already invoiced on Invoices row {first}" in other[1].message
    assert [d.code for d in other] == [
        "NET-DIFFERS",
        "MONTH-INVOICED-TWICE",
        "MONTH-INVOICED-TWICE",
    ]


def test_figures_matching_the_sheet_row_are_that_invoice(wb, tracker):
    dec23 = dt.date(2023, 12, 1)
    net, vat, gross = figures(dec23, tracker)
    write_invoices(wb, [(dec23, net, vat, gross)])
    result = check_invoice(wb, month="2023-12", net=str(net), vat=str(vat), gross=str(gross))
    assert result.passed and result.cumulative_net == net  # not counted twice
    on_sheet = check_invoice(wb, month="2023-12", net=None, vat=None, gross=None)
    assert on_sheet.passed and on_sheet.invoice.number == f"INV-{layout.FIRST_DATA_ROW:03d}"


@pytest.mark.parametrize("month", ["2024-3", "March 2024", "2024-13", "2024-03-01", "24-03"])
def test_bad_month_exits_2_with_one_line(capsys, sample, month):
    code, out, err = run(capsys, "invoice-check", str(sample), "--month", month)
    assert (code, out) == (2, "")
    assert err.strip().splitlines() == [
        f"calloff: --month must be YYYY-MM, e.g. 2024-03; found {month!r}"
    ]


def test_no_invoice_on_the_sheet_asks_for_the_figures(capsys, sample):
    code, _, err = run(capsys, "invoice-check", str(sample), "--month", "2024-03")
    assert code == 2
    assert err == (
        "calloff: no invoice for 2024-03 on the Invoices sheet; give --net, --vat and --gross\n"
    )


def test_some_figures_but_not_all_is_an_error(capsys, sample):
    code, _, err = run(capsys, "invoice-check", str(sample), "--month", "2024-03", "--net", "1")
    assert code == 2 and "--vat, --gross" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "pounds"),
    [
        ("2275", "2275.00"),
        ("2275.00", "2275.00"),
        ("2,275.00", "2275.00"),
        ("£2,275.00", "2275.00"),
        ("2275.5", "2275.50"),
        ("£1,234,567.89", "1234567.89"),
        (" 0 ", "0.00"),
        ("2275.", "2275.00"),
    ],
)
def test_amounts_parse_exactly(text, pounds):
    amount = parse_amount(text, "--net")
    assert amount == Decimal(pounds) and str(amount) == pounds


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2275.001", "whole pence"),
        ("22,75.00", "must be a number"),
        ("-5", "must be 0 or more"),
        ("1e3", "must be a number"),
        ("3575e0", "must be a number"),
        ("3_575", "must be a number"),
        ("$5", "must be a number"),
        ("", "must be a number"),
        ("NaN", "must be a number"),
        ("inf", "must be a number"),
        ("1,000,000,000,000", "below 1,000,000,000,000"),
        ("99999999999999999999", "too large"),
    ],
)
def test_bad_amounts_are_refused(text, says):
    with pytest.raises(UserDataError, match=says):
        parse_amount(text, "--net")


def test_a_month_outside_the_term_fails(sample):
    result = check_invoice(sample, month="2023-09", net="0", vat="0", gross="0")
    assert codes(result) == ["MONTH-OUTSIDE-TERM"]
    assert "October 2023 to June 2025" in result.differences[0].message


def test_tracker_rows_with_errors_fail_the_month(wb, tracker):
    """An unknown advisor's day is left out of the tracker's net and the invoice fails."""
    book = load_for_edit(wb)
    ws = book[layout.TRACKER]
    row = last_used_row(ws) + 1
    bad = (dt.date(2023, 12, 6), "XX-99", "Oxfordshire", "Travel", None, 1)
    for col, value in enumerate(bad, start=1):
        put(ws, row, col, value)
    save_workbook(book, wb)
    dec23 = dt.date(2023, 12, 1)
    net, vat, gross = figures(dec23, tracker)  # the month without the bad row
    result = check_invoice(wb, month="2023-12", net=str(net), vat=str(vat), gross=str(gross))
    assert codes(result) == ["TRACKER-ERRORS"]
    assert f"row(s) {row}" in result.differences[0].message
    assert result.to_json()["tracker_rows_with_errors"] == [row]


def test_junk_on_the_invoices_sheet_names_its_cell(capsys, wb):
    write_invoices(wb, [(dt.date(2023, 12, 1), Decimal(0), Decimal(0), Decimal(0))])
    book = load_for_edit(wb)
    put(book[layout.INVOICES], layout.FIRST_DATA_ROW, 3, "lots")
    save_workbook(book, wb)
    code, _, err = run(capsys, "invoice-check", str(wb), "--month", "2023-12")
    assert code == 2
    where = f"Invoices row {layout.FIRST_DATA_ROW}"
    assert err == f'calloff: {where}: Net must be a number in pounds; found "lots"\n'


@pytest.fixture(scope="module")
def ledger(sample) -> Ledger:
    # Hypothesis calls the property hundreds of times: read the workbook once.
    return read_ledger(sample)


PENNIES = st.integers(min_value=-300, max_value=300)


@settings(max_examples=examples(300), deadline=None)
@given(
    net_off=PENNIES,
    vat_off=PENNIES,
    gross_off=PENNIES,
    before=st.integers(min_value=0, max_value=int(CAP * 100)),
)
def test_verdict_is_exact_decimal_arithmetic(
    ledger, half_day_month, tracker, net_off, vat_off, gross_off, before
):
    """Random penny offsets (and earlier invoices near the cap): pass exactly when exact."""
    month = half_day_month
    right = tracker[month][1]
    net = right + Decimal(net_off) / 100
    if net < 0:
        net = Decimal("0.00")
    vat = vat20(net) + Decimal(vat_off) / 100
    gross = net + vat + Decimal(gross_off) / 100
    earlier = Decimal(before) / 100
    sheet = [Invoice(dt.date(2023, 10, 1), earlier, vat20(earlier), earlier, row=5)]
    assert month > sheet[0].month  # an earlier month's invoice, not a duplicate
    result = check(Invoice(month, net, vat, gross), ledger.months[month], ledger.rules, sheet)
    expected = net == right and vat == vat20(net) and gross == net + vat and earlier + net <= CAP
    assert result.passed is expected
    assert ("NET-DIFFERS" in codes(result)) is (net != right)
    assert ("OVER-CAP" in codes(result)) is (earlier + net > CAP)


# The workbook's own formulas must reach the same verdicts.


def recalculated_results(path: Path, tmp: Path) -> tuple[dict[str, object], dict[int, dict]]:
    from xlsrc.edges.libreoffice.recalc import recalculate

    out = tmp / f"{path.stem}-lo.xlsx"
    names = recalculate(path, xlsx=out, names=tmp / f"{path.stem}-names.json")
    assert names is not None
    ws = openpyxl.load_workbook(out, data_only=True)[layout.INVOICES]
    col = {h: i for i, h in enumerate(invoices_sheet.HEADERS)}
    rows = {}
    for r, values in enumerate(
        ws.iter_rows(
            min_row=layout.FIRST_DATA_ROW, max_col=len(invoices_sheet.HEADERS), values_only=True
        ),
        start=layout.FIRST_DATA_ROW,
    ):
        if values[col["Month"]] is not None:
            rows[r] = {h: values[i] for h, i in col.items()}
    return names, rows


def mixed_invoices(tracker) -> list[tuple[dt.date, Decimal, Decimal, Decimal]]:
    """Right and wrong invoices in month order, within the cap."""
    months = [dt.date(2023, m, 1) for m in (10, 11, 12)] + [dt.date(2024, m, 1) for m in (1, 2, 3)]
    (o, n, d, j, f, m) = (figures(x, tracker) for x in months)
    return [
        (months[0], *o),  # right
        (months[1], n[0] + CENT, vat20(n[0] + CENT), n[0] + CENT + vat20(n[0] + CENT)),  # net 1p
        (months[2], d[0], d[1] - CENT, d[2] - CENT),  # VAT 1p low
        (months[3], j[0], j[1], j[2] + CENT),  # gross 1p high
        (months[4], *f),  # right, but typed twice
        (months[4], *f),
        (months[5], *m),  # right
    ]


def over_cap_invoices(tracker) -> list[tuple[dt.date, Decimal, Decimal, Decimal]]:
    months = [dt.date(2023, m, 1) for m in (10, 11, 12)] + [dt.date(2024, 1, 1)]
    big = Decimal("55000.00")
    return [
        (months[0], *figures(months[0], tracker)),
        (months[1], *figures(months[1], tracker)),
        (months[2], big, vat20(big), big + vat20(big)),  # wrong net, and it breaks the cap
        (months[3], *figures(months[3], tracker)),  # right, but the cap is already gone
    ]


def out_of_order_invoices(tracker) -> list[tuple[dt.date, Decimal, Decimal, Decimal]]:
    """A late invoice typed below a later month's, and a month typed as a mid-month date."""
    feb24, oct23, nov23 = dt.date(2024, 2, 1), dt.date(2023, 10, 1), dt.date(2023, 11, 1)
    big = Decimal("53000.00")
    return [
        (feb24, *figures(feb24, tracker)),  # right, but the months before it reach the cap
        (dt.date(2023, 10, 15), *figures(oct23, tracker)),  # October, typed mid-month...
        (oct23, *figures(oct23, tracker)),  # ...and typed again on the 1st
        (nov23, big, vat20(big), big + vat20(big)),  # wrong net; within the cap up to November
    ]


def right_invoices(tracker) -> list[tuple[dt.date, Decimal, Decimal, Decimal]]:
    return [(m, *figures(m, tracker)) for m in sorted(tracker)[:3]]


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("invoices", "passing"),
    [(mixed_invoices, 2), (over_cap_invoices, 2), (out_of_order_invoices, 0), (right_invoices, 3)],
)
def test_invoices_sheet_agrees_with_python(lo, wb, tracker, tmp_path, invoices, passing):
    rows = invoices(tracker)
    write_invoices(wb, rows)
    names, results = recalculated_results(wb, tmp_path)
    checks = {c.invoice.row: c for c in check_invoices_sheet(wb)}
    assert sorted(results) == sorted(checks) and len(checks) == len(rows)
    for r, check_ in checks.items():
        got = results[r]
        assert (got["Result"] == "PASS") is check_.passed, (r, got["Result"], check_.differences)
        reasons = {RESULT_REASONS[w.strip()] for w in got["Result"][6:].split(";") if w.strip()}
        assert reasons == set(codes(check_)), (r, got["Result"])
        assert abs(Decimal(str(got["Tracker net"])) - check_.tracker.net) < CENT / 2
        assert abs(Decimal(str(got["VAT due"])) - check_.expected_vat) < CENT / 2
        cumulative = Decimal(str(got["Cumulative invoiced"]))
        assert abs(cumulative - check_.cumulative_net) < CENT / 2, r
    total = sum((net for _, net, _, _ in rows), Decimal(0))
    assert bool(names["CheckInvoicesWithinCap"]) is (total <= CAP)
    assert bool(names["CheckInvoicesPass"]) is all(c.passed for c in checks.values())
    assert sum(c.passed for c in checks.values()) == passing


# Words agree with figures: a month is explained at the rates it was priced at (issue 19).


def _rate_change_workbook(sample: Path, tmp_path: Path) -> Path:
    """The sample's delivery under a card of £650, then £700 from 15 April 2024."""
    from tests.terms_helpers import with_decisions
    from xlsrc.actions.build import build_to
    from xlsrc.actions.workbook_data import load_workbook_data
    from xlsrc.edges.fileio.tracker_writer import append_entries
    from xlsrc.model.terms import load_terms

    entries = load_workbook_data(sample).validate(dt.date(2026, 1, 5)).entries
    terms = with_decisions(
        load_terms(),
        {"decided": dt.date(2024, 2, 20), "kind": "continue"},
        day_rates=[{"from": dt.date(2024, 4, 15), "rate": Decimal("700.00")}],
    )
    path = build_to(terms, tmp_path / "rates.xlsx")
    book = load_for_edit(path)
    append_entries(book, entries)
    save_workbook(book, path)
    return path


def test_a_month_is_explained_at_the_rates_it_was_priced_at(sample, tmp_path, tracker):
    path = _rate_change_workbook(sample, tmp_path)
    november = dt.date(2023, 11, 1)
    days, net = tracker[november]  # every day at £650, from the Tracker's own cells
    vat = vat20(net)
    result = check_invoice(
        path, month="2023-11", net=str(net), vat=str(vat), gross=str(net + vat),
        today=dt.date(2026, 1, 5),
    )  # fmt: skip
    assert result.passed, result.to_text()
    assert f"{days.normalize():f} days × £650.00" in result.to_text().replace(".0 days", " days")
    assert "700" not in result.to_text()
    expected = result.to_json()["expected"]
    assert expected["day_rate"] == "650.00"
    assert expected["by_rate"] == [{"day_rate": "650.00", "days": str(days), "net": f"{net:.2f}"}]

    # April: days before the 15th at £650, from it at £700; each part days x rate = its net.
    april = dt.date(2024, 4, 1)
    ws = openpyxl.load_workbook(path)[layout.TRACKER]
    before = after = Decimal(0)
    for date, *_, d in ws.iter_rows(min_row=layout.FIRST_DATA_ROW, max_col=6, values_only=True):
        if isinstance(date, dt.datetime) and d is not None and date.date().replace(day=1) == april:
            if date.date() < dt.date(2024, 4, 15):
                before += Decimal(str(d))
            else:
                after += Decimal(str(d))
    assert before and after
    wrong = check_invoice(
        path, month="2024-04", net="1.00", vat="0.20", gross="1.20", today=dt.date(2026, 1, 5)
    )
    text = wrong.to_text()
    assert f"× £650.00 = £{before * 650:,.2f}" in text
    assert f"× £700.00 = £{after * 700:,.2f}" in text
    parts = wrong.to_json()["expected"]
    assert parts["day_rate"] is None
    assert [p["day_rate"] for p in parts["by_rate"]] == ["650.00", "700.00"]
    assert Decimal(parts["net"]) == before * 650 + after * 700
