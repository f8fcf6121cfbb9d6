"""Nothing let in: text that starts like a formula (=, +, -, @, tab, CR) goes through every
writer — fill (Tracker), validate (Issues sheet), return (Return sheet), import (master
Tracker), the MI CSV — and is read back as text, never as a formula (openpyxl and raw XML)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.signoff_helpers import sign_off
from tests.tiers import examples
from xlsrc.actions.advisor_tracker import write_advisor_tracker
from xlsrc.actions.fill import fill
from xlsrc.actions.import_trackers import import_trackers
from xlsrc.actions.monthly_return import build_return
from xlsrc.actions.validate import validate_workbook
from xlsrc.edges.mi.export_csv import safe_cell
from xlsrc.edges.workbook.cells import FORMULA_TRIGGERS
from xlsrc.model.entry import RawRow

TODAY = dt.date(2024, 6, 1)
MARK = "zq"  # in every generated string, so its cells can be found again
# Lower-case letters and symbols only: no digits, e-mails or titled names, which the
# return's confidentiality check would (rightly) refuse before writing anything.
payload = st.builds(
    lambda trigger, body: trigger + MARK + body,
    st.sampled_from(FORMULA_TRIGGERS),
    st.text(alphabet="abcdefghij =+-@()!*/:;\"'&<>", max_size=24),
)


def _row(n: int, date: str, advisor: str, notes: str) -> RawRow:
    values = {
        "Date": date,
        "Advisor": advisor,
        "Area": "Oxfordshire",
        "Activity": "Work with practitioners",
        "Outcomes": "OX-AI3",
        "Days": "0.5",
        "Notes": notes,
    }
    return RawRow("input.csv", n, values)


def _assert_text_only(path, expect_in: set[str]) -> None:
    """No <f> of any sheet holds a payload; openpyxl reads each payload cell as text."""
    with zipfile.ZipFile(path) as z:
        seen = set()
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                for f in re.findall(r"<f(?:\s[^>]*)?>(.*?)</f>", xml, re.S):
                    assert MARK not in f, f"{name}: payload became a formula: {f!r}"
                if MARK in xml:
                    seen.add(name)
    wb = load_workbook(path)
    sheets = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and MARK in cell.value:
                    assert cell.data_type == "s", f"{ws.title}!{cell.coordinate}: {cell.value!r}"
                    sheets.add(ws.title)
    assert expect_in <= sheets, f"payloads expected in {expect_in}, found in {sheets}"


@settings(
    max_examples=examples(8),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(notes=st.lists(payload, min_size=2, max_size=2), imported=payload)
def test_formula_like_text_stays_text_through_every_writer(built, tmp_path, notes, imported):
    master = tmp_path / "master.xlsx"
    shutil.copy(built, master)
    for leftover in tmp_path.glob("*RK-03*"):
        leftover.unlink()
    # fill -> Tracker
    rows = [_row(2, "2023-10-16", "RK-03", notes[0]), _row(3, "2023-10-19", "RK-01", notes[1])]
    fill(master, rows, today=TODAY)
    # validate -> Issues sheet (FORMULA-LIKE-TEXT lists each value)
    validate_workbook(master, today=TODAY)
    # Leading tabs and CRs are trimmed on entry; what still starts like a formula is listed.
    warned = {"Issues"} if any(n.strip().startswith(("=", "+", "-", "@")) for n in notes) else set()
    _assert_text_only(master, {"Tracker"} | warned)
    # import -> the master's Tracker, from an advisor's file
    tracker = write_advisor_tracker("RK-03", master=master, out=tmp_path / "adv-RK-03.xlsx")
    fill(tracker, [_row(2, "2023-10-23", "RK-03", imported)], today=TODAY)
    report = import_trackers(master, [tracker], today=TODAY)
    assert report.rows_written, report.to_text()
    # return -> the Return sheet's narrative quotes the notes
    sign_off(master, "2023-10")
    build_return(master, "2023-10", today=TODAY, confirm_incomplete=True)
    _assert_text_only(master, {"Tracker", "Return 2023-10"} | warned)


@given(text=st.text(max_size=30))
def test_csv_cells_never_start_a_formula(text):
    cell = safe_cell(text)
    if cell.startswith(FORMULA_TRIGGERS):
        float(cell)  # only a plain number (e.g. -5850.00) may start with - or +


def _formula_like_terms(terms):
    """Every free-text term starting with "=" and carrying MARK (identifiers keep their form)."""
    bad = "=" + MARK

    contract = terms.contract.model_copy(
        update={
            f: bad + str(getattr(terms.contract, f))[:20]
            for f in ("title", "reference", "supplier", "authority", "service_address")
        }
    )
    return terms.model_copy(
        update={
            "contract": contract,
            "areas": [
                a.model_copy(update={"name": bad + a.name, "short": bad + a.short[:20]})
                for a in terms.areas
            ],
            "advisors": [a.model_copy(update={"role": bad + a.role}) for a in terms.advisors],
            "measures": [m.model_copy(update={"text": bad + m.text}) for m in terms.measures],
            "outcomes": [o.model_copy(update={"text": bad + o.text}) for o in terms.outcomes],
        }
    )


def _no_payload_formula(path) -> None:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                for f in re.findall(r"<f(?:\s[^>]*)?>(.*?)</f>", xml, re.S):
                    # A builder's formula may quote a term as a string literal ("...").
                    outside = re.sub(r"&quot;.*?&quot;|\"(?:[^\"]|\"\")*\"", "", f)
                    assert MARK not in outside, f"{path.name} {name}: became a formula: {f!r}"


def test_formula_like_terms_stay_text_through_every_builder(terms, tmp_path):
    """Titles, header rows and labels quote the terms: the builders write them through the
    one text-safe path too (a title starting with = once became a live formula)."""
    from xlsrc.actions.build import build_to
    from xlsrc.actions.mi import management_information
    from xlsrc.actions.portfolio import portfolio

    hostile = _formula_like_terms(terms)
    workbook = build_to(hostile, tmp_path / "wb.xlsx")
    wb = load_workbook(workbook)
    title = wb["Guide"]["A1"]
    assert title.value.startswith("=" + MARK) and title.data_type == "s"
    _no_payload_formula(workbook)

    from xlsrc.actions.advisor_tracker import advisor_workbook
    from xlsrc.edges.fileio.atomic import save_workbook

    tracker = tmp_path / "adv.xlsx"
    save_workbook(advisor_workbook(hostile, "RK-01", "hostile.toml"), tracker)
    _no_payload_formula(tracker)

    validate_workbook(workbook, today=TODAY)
    _no_payload_formula(workbook)
    management_information(workbook, fmt="xlsx", out=tmp_path / "mi.xlsx", today=TODAY)
    _no_payload_formula(tmp_path / "mi.xlsx")
    portfolio([workbook], out=tmp_path / "portfolio.xlsx", today=TODAY)
    _no_payload_formula(tmp_path / "portfolio.xlsx")
