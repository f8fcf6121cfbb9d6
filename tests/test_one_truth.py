"""One truth: the workbook's formulas and every command give the same figures, whatever the
Tracker holds (docs/counting.md).

Messy trackers (valid rows mixed with every kind of fault and odd typing) are written into a
built workbook cell by cell, as a person or a spreadsheet program would leave them, and
recalculated in LibreOffice: every Budget figure and every month x area cell equals
`calloff totals`, each month's figures equal the return's and the invoice check's, and every
row that counts nowhere is a located error.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import holidays
import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.test_libreoffice_recalc import compare_everything
from xlsrc.actions.invoice_check import read_ledger
from xlsrc.actions.monthly_return import _inputs
from xlsrc.actions.validate import validate_workbook
from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.core.returns.gather import gather
from xlsrc.model import layout
from xlsrc.model.entry import ALL_COLUMNS
from xlsrc.model.money import vat_on
from xlsrc.model.terms import load_terms

TERMS = load_terms()
TODAY = dt.date(2025, 6, 30)
START, END = TERMS.dates.start, TERMS.contract_end
_BANK = holidays.country_holidays("GB", subdiv="ENG", years=range(2023, 2026))
WORKING = [
    d
    for n in range((END - START).days + 1)
    if (d := START + dt.timedelta(n)).weekday() < 5 and d not in _BANK
]
COL = {name: n for n, name in enumerate(ALL_COLUMNS, start=1)}

# Each fault: (column it is planted in, what the cell becomes from the row's valid values).
# Not TRUE/FALSE in Days: LibreOffice reads a boolean in a number-formatted cell as the number
# 1 (and counts it), Excel keeps it a boolean (ISNUMBER is FALSE: not counted); Python counts
# as Excel does and validate reports DAYS-INVALID (tests/test_validate_rules.py).
FAULTS = {
    "text date": ("Date", lambda v: v["Date"].strftime("%d/%m/%Y")),
    "iso text date": ("Date", lambda v: v["Date"].isoformat()),
    "text days": ("Days", lambda v: str(v["Days"])),
    "padded advisor": ("Advisor", lambda v: f" {v['Advisor']}"),
    "non-breaking space": ("Area", lambda v: v["Area"] + "\u00a0"),
    "mis-cased area": ("Area", lambda v: v["Area"].lower()),
    "unknown activity": ("Activity", lambda v: "Lunch"),
    "blank advisor": ("Advisor", lambda v: None),
    "date 9999": ("Date", lambda v: dt.datetime(9999, 12, 31)),
    "before the start": ("Date", lambda v: dt.datetime(2023, 10, 2)),
    "after the end": ("Date", lambda v: dt.datetime(2025, 4, 7)),
    "days 1.5": ("Days", lambda v: 1.5),
    "time on the last day": ("Date", lambda v: dt.datetime(2025, 3, 31, 15, 30)),
    "time in the term": ("Date", lambda v: dt.datetime(2024, 2, 6, 10, 30)),
}


@dataclass
class Messy:
    rows: dict[int, dict[str, object]]  # worksheet row -> input cells
    planted: dict[int, tuple[str, str]] = field(default_factory=dict)  # row -> (fault, column)
    overwritten: dict[tuple[int, str], object] = field(default_factory=dict)


@st.composite
def messy_trackers(draw: st.DrawFn) -> Messy:
    """Valid rows with many faults planted, rows below the table, maybe formulas typed over."""
    rows: dict[int, dict[str, object]] = {}
    n = draw(st.integers(25, 45))
    for i in range(n):
        area = draw(st.sampled_from(TERMS.areas))
        ids = [o.id for o in TERMS.outcomes_for(area.code)]
        day = draw(st.sampled_from(WORKING))
        rows[layout.FIRST_DATA_ROW + i] = {
            "Date": dt.datetime(day.year, day.month, day.day),
            "Advisor": draw(st.sampled_from([a.id for a in TERMS.advisors])),
            "Area": area.short,
            "Activity": draw(st.sampled_from([a for a in TERMS.activities if a != "Travel"])),
            "Outcomes": draw(st.sampled_from(ids)),
            "Days": draw(st.sampled_from([1, 0.5])),
            "Notes": draw(st.sampled_from([None, "Agreed next steps"])),
        }
    messy = Messy(rows)
    faults = draw(st.lists(st.sampled_from(list(FAULTS)), min_size=6, max_size=12))
    targets = draw(st.permutations(list(rows)))
    for fault, row in zip(faults, targets, strict=False):
        column, change = FAULTS[fault]
        rows[row] = rows[row] | {column: change(rows[row])}
        messy.planted[row] = (fault, column)
    last = layout.HEADER_ROW + layout.TRACKER_CAPACITY
    for k in draw(st.lists(st.sampled_from([2, 5, 9]), max_size=2, unique=True)):
        day = draw(st.sampled_from(WORKING))
        rows[last + k] = {
            "Date": dt.datetime(day.year, day.month, day.day),
            "Advisor": "RK-01",
            "Area": "Medway",
            "Activity": "Deep dive",
            "Outcomes": "PM-1",
            "Days": 1,
            "Notes": "typed below the table",
        }
        messy.planted[last + k] = ("below the table", "")
    if draw(st.booleans()):
        for row in draw(st.lists(st.sampled_from(targets[-8:]), min_size=1, max_size=2)):
            column = draw(st.sampled_from(["Month", "Cost"]))
            messy.overwritten[(row, column)] = 999 if column == "Cost" else dt.datetime(2024, 1, 1)
    return messy


def write(messy: Messy, built: Path, path: Path) -> None:
    shutil.copy(built, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.TRACKER]
    for row, values in messy.rows.items():
        for name, value in values.items():
            ws.cell(row, COL[name]).value = value
    for (row, name), value in messy.overwritten.items():
        ws.cell(row, COL[name]).value = value
    wb.save(path)


@pytest.mark.libreoffice
@settings(
    max_examples=4,  # a LibreOffice run each: a handful of trackers, each with many faults
    deadline=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(messy=messy_trackers())
def test_messy_trackers_give_one_figure_everywhere(lo, built, tmp_path_factory, messy: Messy):
    folder = tmp_path_factory.mktemp("messy")
    path = folder / "messy.xlsx"
    write(messy, built, path)

    # Every planted fault is an error at its row, and every row that counts nowhere has one.
    data = load_workbook_data(path)
    checked = data.validate(TODAY)
    errors = checked.error_rows()
    for row, (fault, column) in messy.planted.items():
        if fault == "time in the term":
            continue  # a date with a time of day counts, in both engines
        assert ("Tracker", row) in errors, (fault, row)
        if column:
            assert any(i.row == row and i.column == column for i in checked.errors), fault
    assert checked.uncounted <= errors
    for row, column in messy.overwritten:
        assert any(
            i.code == "FORMULA-OVERWRITTEN" and (i.row, i.column) == (row, column)
            for i in checked.errors
        )

    if messy.overwritten:  # validate puts the formulas back (and takes in the rows below)
        report = validate_workbook(path, today=TODAY)
        assert report.repaired
        data = load_workbook_data(path)
        checked = data.validate(TODAY)
        assert data.shape is not None and data.shape.sound

    names = compare_everything(path, folder)  # every Budget figure = calloff totals
    assert bool(names["CheckEveryRowCounts"]) == (not checked.uncounted)
    if checked.uncounted:
        assert not names["MasterCheck"]

    # Each month: the return's and the invoice check's figures are the totals'.
    totals = data.totals(TODAY)
    ledger = read_ledger(path, TODAY)
    inputs, _ = _inputs(load_workbook_data(path), TODAY)
    for m in totals.months:
        assert m.gross == m.net + m.vat and m.vat == vat_on(m.net, TERMS.money.vat_rate)
        tracked = ledger.months[m.month]
        assert (tracked.days, tracked.net) == (m.days, m.net)
        if m.days or m.month.replace(day=1) <= END:
            ret, _ = gather(inputs, m.month, prepared=TODAY, version=1)
            d = ret.delivery
            assert (d.days, d.net, d.vat, d.gross) == (m.days, m.net, m.vat, m.gross), m.month
            assert ret.entry_count == sum(
                1 for e in checked.entries if e.date.replace(day=1) == m.month
            )
            assert d.cumulative_net == m.cumulative_net


# --- Without LibreOffice: the door, the return, rows below the table ------------------------


def _with_cap(path: Path, cap: float) -> None:
    from xlsrc.edges.fileio.atomic import save_workbook
    from xlsrc.edges.fileio.tracker_writer import load_for_edit, set_named_value

    wb = load_for_edit(path)
    set_named_value(wb, "Cap", cap)
    save_workbook(wb, path)


def _csv(path: Path, days: list[str]) -> Path:
    lines = ["Date,Advisor,Area,Activity,Outcomes,Days,Notes"]
    lines += [f"{d},RK-01,Medway,Deep dive,PM-1,1," for d in days]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_fill_over_the_cap_is_refused_whole_exit_1_and_nothing_written(built, tmp_path, capsys):
    from xlsrc.adapters.cli import main

    master = tmp_path / "master.xlsx"
    shutil.copy(built, master)
    _with_cap(master, 1300)  # two days at £650
    first = _csv(tmp_path / "a.csv", ["06/02/2024"])
    assert main(["fill", str(master), "--tracker", str(first)]) == 0
    before = master.read_bytes()
    # Dated before the row already there: it is the existing row that goes over the cap.
    early = _csv(tmp_path / "b.csv", ["10/01/2024", "11/01/2024"])
    assert main(["fill", str(master), "--tracker", str(early)]) == 1
    assert "over the" in capsys.readouterr().err and master.read_bytes() == before


def test_import_over_the_cap_is_refused_whole_even_with_take_valid(built, tmp_path, capsys):
    from xlsrc.actions.advisor_tracker import write_advisor_tracker
    from xlsrc.adapters.cli import main
    from xlsrc.edges.fileio.atomic import save_workbook
    from xlsrc.edges.fileio.tracker_writer import append_entries, load_for_edit
    from xlsrc.model.entry import Entry

    master = tmp_path / "master.xlsx"
    shutil.copy(built, master)
    _with_cap(master, 1300)
    days = [dt.date(2024, 2, 5), dt.date(2024, 2, 6), dt.date(2024, 2, 7)]
    tracker = write_advisor_tracker("RK-02", out=tmp_path / "RK-02.xlsx")
    wb = load_for_edit(tracker)
    append_entries(
        wb, [Entry(d, "RK-02", "Medway", "Deep dive", Decimal(1), ("PM-1",)) for d in days]
    )
    save_workbook(wb, tracker)
    before = master.read_bytes()
    for extra in ([], ["--take-valid"]):
        assert main(["import", str(master), str(tracker), *extra]) == 1
        assert "cap" in capsys.readouterr().err
        assert master.read_bytes() == before


def test_a_return_is_refused_while_a_row_in_or_before_its_month_has_an_error(sample, tmp_path):
    from xlsrc.actions.monthly_return import build_return
    from xlsrc.model.errors import UserDataError

    path = tmp_path / "sample.xlsx"
    shutil.copy(sample, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.TRACKER]
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value.year == 2023)
    ws.cell(row, COL["Days"]).value = "1"  # text: the workbook cannot count it
    wb.save(path)
    with pytest.raises(UserDataError, match="DAYS-TEXT"):
        build_return(path, "2024-05", today=TODAY)


def test_rows_below_the_table_are_taken_in_never_written_over(built, tmp_path):
    from xlsrc.actions.fill import fill
    from xlsrc.model.entry import RawRow

    path = tmp_path / "master.xlsx"
    shutil.copy(built, path)
    below = layout.HEADER_ROW + layout.TRACKER_CAPACITY + 3
    wb = openpyxl.load_workbook(path)
    typed = ["RK-03", "Medway", "Deep dive", "PM-1", 1, "typed below"]
    for c, value in enumerate([dt.datetime(2024, 2, 8), *typed], start=1):
        wb[layout.TRACKER].cell(below, c).value = value
    wb.save(path)
    before = load_workbook_data(path)
    assert [r.row for r in before.shape.below] == [below]
    assert below not in {e.row for e in before.validate(TODAY).entries}  # no formula counts it

    cells = ["06/02/2024", *typed[:4], "1", None]
    row = RawRow("new.csv", 2, dict(zip(ALL_COLUMNS[:7], cells, strict=True)))
    written = fill(path, [row], today=TODAY).rows_written
    assert written == [below + 1]  # after the typed row, never over it
    after = load_workbook_data(path)
    assert after.shape.sound
    assert {below, below + 1} <= {e.row for e in after.validate(TODAY).entries}


def test_validate_puts_back_a_formula_typed_over_and_says_so(built, tmp_path):
    path = tmp_path / "master.xlsx"
    shutil.copy(built, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.TRACKER]
    values = [dt.datetime(2024, 2, 6), "RK-01", "Medway", "Deep dive", "PM-1", 1, None]
    for c, value in enumerate(values, start=1):
        ws.cell(5, c).value = value
    ws.cell(5, COL["Cost"]).value = 999
    wb.save(path)
    found = validate_workbook(path, today=TODAY, write=False)
    assert [(i.code, i.row, i.column) for i in found.errors] == [("FORMULA-OVERWRITTEN", 5, "Cost")]
    fixed = validate_workbook(path, today=TODAY)
    assert fixed.repaired and not fixed.errors
    assert (
        openpyxl.load_workbook(path)[layout.TRACKER].cell(5, COL["Cost"]).value.startswith("=IF(")
    )
