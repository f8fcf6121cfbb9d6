"""Cached values: every formula cell of every file calloff writes carries a value computed by
Python (xlsrc.edges.formulas), and LibreOffice's own recalculation reproduces each one: money to the
penny (numbers to 1e-9), booleans, text and dates exactly.

LibreOffice is handed the same workbook *without* any cached value, so what it returns is
its own computation, never ours read back.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from defusedxml import ElementTree

from xlsrc.actions.validate import validate_workbook
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.formulas.cache import Kept, cached_values, compute
from xlsrc.edges.formulas.functions import pinned_today
from xlsrc.edges.formulas.interpreter import Engine
from xlsrc.edges.libreoffice.recalc import recalculate
from xlsrc.edges.workbook.structure import NS, sheets
from xlsrc.model import layout

Cell = tuple[str | None, str | None]  # (t attribute, <v> text)


def formula_cells(path: Path) -> dict[str, Cell]:
    """'Sheet!A1' -> (type, value text) of every formula cell, as stored in the file."""
    out: dict[str, Cell] = {}
    with zipfile.ZipFile(path) as archive:
        strings = []
        if "xl/sharedStrings.xml" in archive.namelist():
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            strings = [
                "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
                for si in root.iterfind("m:si", NS)
            ]
        for sheet, part in sheets(archive).items():
            root = ElementTree.fromstring(archive.read(part))
            for c in root.iterfind("m:sheetData/m:row/m:c", NS):
                if c.find("m:f", NS) is None:
                    continue
                v = c.find("m:v", NS)
                kind, text = c.get("t"), None if v is None else (v.text or "")
                if kind == "s" and text is not None:
                    kind, text = "str", strings[int(text)]
                out[f"{sheet}!{c.get('r')}"] = (kind, text)
    return out


def without_cached_values(path: Path, out: Path) -> Path:
    """The same workbook saved by openpyxl alone: every formula cell with an empty value."""
    wb = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
    _pin_as_of(wb, path)
    raw = io.BytesIO()
    wb.save(raw)
    out.write_bytes(raw.getvalue())
    return out


def _pin_as_of(wb, path: Path) -> None:
    """The Guide's AsOf, when blank, typed in as the date the cached values were computed for
    (the cached AsOfDate, =TODAY() then): LibreOffice's clock is not ours, and what is compared
    is the formulas, not two clocks (a build caches the order date as today)."""
    if "AsOf" not in wb.defined_names or "AsOfDate" not in wb.defined_names:
        return
    sheet, ref = next(iter(wb.defined_names["AsOf"].destinations))
    cell = wb[sheet][ref.replace("$", "")]
    if cell.value not in (None, ""):
        return
    sheet, ref = next(iter(wb.defined_names["AsOfDate"].destinations))
    cached = openpyxl.load_workbook(path, data_only=True)[sheet][ref.replace("$", "")].value
    cell.value = cached


def _same(ours: Cell, engine: Cell) -> bool:
    (k1, v1), (k2, v2) = ours, engine
    if k1 == "str":
        return k2 in ("str", "s", "inlineStr") and (v2 or "") == v1
    if k1 == "b":
        return (k2 in ("b", None, "n")) and v2 is not None and float(v2) == float(v1 or 0)
    if k1 == "e":
        return k2 == "e" and v2 == v1
    if k2 not in (None, "n") or v2 in (None, ""):
        return False
    a, b = float(v1 or 0), float(v2)
    return abs(a - b) <= 1e-9 * max(1.0, abs(a))


# The cells of a fresh build that depend on TODAY(), left without a cached value by design
# (tests/test_today_cells.py): Excel computes them on opening.
# The Guide's state reads every warning, WarnNothingFallingDue (Checks!C26) among them.
DAY_DEPENDENT = frozenset(
    {"Guide!B4", "Guide!C4", "Guide!C10", "Guide!D12", "Guide!D13", "Checks!B26", "Checks!C26"}
)


def assert_cached_values_reproduced(
    path: Path, tmp: Path, left_uncached: frozenset[str] = frozenset()
) -> int:
    ours = formula_cells(path)
    missing = [ref for ref, (_, v) in ours.items() if v is None]
    assert not missing, f"formula cells without a cached value: {missing[:10]}"
    assert all(ours[ref] == (None, "") for ref in left_uncached), left_uncached
    ours = {ref: cell for ref, cell in ours.items() if ref not in left_uncached}
    bare = without_cached_values(path, tmp / f"{path.stem}-bare.xlsx")
    assert all(v in (None, "") for _, v in formula_cells(bare).values())
    recalculated = tmp / f"{path.stem}-lo.xlsx"
    recalculate(bare, xlsx=recalculated)
    theirs = formula_cells(recalculated)
    differ = [
        f"{ref}: cached {ours[ref]} vs LibreOffice {theirs.get(ref)}"
        for ref in ours
        if not _same(ours[ref], theirs.get(ref, (None, None)))
    ]
    assert not differ, f"{len(differ)} of {len(ours)} cells differ:\n" + "\n".join(differ[:25])
    return len(ours)


# ---- without LibreOffice: every formula cell has a value, and the engine computes all --------


def test_every_formula_cell_of_the_sample_has_a_cached_value(sample):
    cells = formula_cells(sample)
    assert len(cells) > 1500
    assert [r for r, (_, v) in cells.items() if v is None] == []
    assert cells["Guide!B4"] == ("str", "Warning")  # placeholders, Oxfordshire over allocation
    assert cells["Checks!C3"] == ("b", "1")


def test_the_engine_computes_every_formula_it_is_given(sample):
    assert compute(openpyxl.load_workbook(sample)).uncomputable == {}


def test_pandas_and_calamine_read_the_figures(sample):
    import pandas as pd

    frame = pd.read_excel(sample, sheet_name=layout.BUDGET, header=None, engine="calamine")
    labels = dict(zip(frame[0], frame[1], strict=False))
    assert labels["Spend to date (net)"] > 0


# ---- LibreOffice: the guard ----------------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_reproduces_every_cached_value_of_the_sample(lo, sample, tmp_path):
    assert assert_cached_values_reproduced(sample, tmp_path) > 1500


@pytest.mark.libreoffice
def test_libreoffice_reproduces_every_cached_value_of_an_empty_workbook(lo, built, tmp_path):
    assert_cached_values_reproduced(built, tmp_path, left_uncached=DAY_DEPENDENT)


# Not here: a boolean typed into Days. LibreOffice has no boolean cells (TRUE is the number 1,
# so ISNUMBER(TRUE) is TRUE there and FALSE in Excel); the cached value follows Excel.
MESSY_ROWS = [
    # Date, Advisor, Area, Activity, Outcomes, Days, Notes
    (dt.date(2023, 11, 2), "RK-01", "Oxfordshire", "Travel", None, "1", "days typed as text"),
    (dt.date(2023, 11, 3), "RK-01", "Portsmouth", "Travel", None, 0.25, "quarter day"),
    ("15/11/2023", "RK-02", "Medway", "Travel", None, 1, "date typed as text"),
    (None, "RK-02", "Medway", "Travel", None, 0.5, "no date"),
    (dt.date(2023, 9, 1), "RK-03", "Oxfordshire", "Travel", None, 1, "before the start"),
    (dt.date(2026, 9, 1), "RK-03", "Oxfordshire", "Travel", None, 1, "after the end"),
    (dt.date(2024, 2, 29), "Nobody", "Atlantis", "Golf", None, -1, "unknown codes, negative"),
    (dt.datetime(2024, 3, 4, 13, 30), "RK-01", "medway", "Travel", None, 2, "time, lower case"),
    (dt.date(2024, 4, 2), "RK-01", "Portsmouth", "Travel", None, "abc", "days not a number"),
    (dt.date(2024, 5, 6), "RK-02", "Oxfordshire", "Travel", None, None, "no days"),
]


@pytest.mark.libreoffice
def test_libreoffice_reproduces_every_cached_value_of_a_messy_tracker(lo, sample, tmp_path):
    wb = load_for_edit(sample)
    ws = wb[layout.TRACKER]
    row = layout.FIRST_DATA_ROW
    while ws.cell(row, 1).value is not None or ws.cell(row, 6).value is not None:
        row += 1
    for offset, values in enumerate(MESSY_ROWS):
        for col, value in enumerate(values, start=1):
            ws.cell(row + offset, col).value = value
    messy = tmp_path / "messy.xlsx"
    save_workbook(wb, messy)
    assert assert_cached_values_reproduced(messy, tmp_path) > 1500


# ---- validate keeps the file's cached values where it changed nothing they depend on ------


def test_cached_values_read_back_are_the_computed_ones(sample):
    """What `cached_values` reads from a saved file is what the engine computed for it."""
    kept = cached_values(sample.read_bytes())
    computed = compute(openpyxl.load_workbook(sample))
    assert sum(map(len, kept.values())) == sum(map(len, computed.values.values())) > 1500
    for sheet, values in computed.values.items():
        for ref, value in values.items():
            row, col = openpyxl.utils.cell.coordinate_to_tuple(ref)
            assert kept[sheet][(row, col)] == (0.0 if value is None else value), ref


def test_kept_values_stand_while_the_formulas_reading_the_changed_sheet_hold(
    sample, tmp_path, monkeypatch
):
    """Kept values are used as they are (few formulas evaluated) while the roots (formulas
    reading the Issues sheet or calling TODAY) still give the cached values; when TODAY has
    moved on, the sheets whose roots moved are computed again, and the result is the full
    computation's."""
    day = dt.date(2024, 3, 15)
    pinned = tmp_path / "pinned.xlsx"
    with pinned_today(day):
        save_workbook(load_for_edit(sample), pinned)
    kept = Kept(cached_values(pinned.read_bytes()), frozenset({layout.ISSUES}))
    evaluated = []
    formula = Engine.formula
    monkeypatch.setattr(
        Engine, "formula", lambda self, *a: evaluated.append(1) or formula(self, *a)
    )

    def run(on: dt.date, keep: Kept | None) -> tuple[dict, int]:
        evaluated.clear()
        with pinned_today(on):
            values = compute(openpyxl.load_workbook(pinned), keep).values
        return values, len(evaluated)

    full, everything = run(day, None)
    assert everything > 1500
    same_day, few = run(day, kept)
    assert same_day == full and few < everything / 10
    next_day, evaluations = run(day + dt.timedelta(days=1), kept)
    assert evaluations > few  # the sheets reading TODAY() are computed again
    assert next_day == run(day + dt.timedelta(days=1), None)[0]


def test_a_workbook_calculated_manually_keeps_no_value(sample, tmp_path):
    """Excel set to manual calculation saves values it may not have recalculated."""
    out = io.BytesIO()
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/workbook.xml":
                body = body.replace(b"<calcPr ", b'<calcPr calcMode="manual" ', 1)
            dst.writestr(info, body)
    assert sum(map(len, cached_values(sample.read_bytes()).values())) > 1500
    assert cached_values(out.getvalue()) == {}


def test_formulas_without_a_cached_value_are_computed(sample, tmp_path):
    """A file saved by a program that caches nothing (openpyxl): validate computes them all."""
    bare = without_cached_values(sample, tmp_path / "bare.xlsx")
    assert validate_workbook(bare, today=dt.date(2026, 11, 25)).written
    assert [r for r, (_, v) in formula_cells(bare).items() if v in (None, "")] == [
        r for r, (k, v) in formula_cells(sample).items() if k == "str" and v == ""
    ]


@pytest.mark.libreoffice
def test_libreoffice_reproduces_every_cached_value_after_validate_writes(lo, sample, tmp_path):
    """A Tracker edited and saved with its values (as Excel saves), then validated: the Issues
    sheet changes, the other formulas keep the file's values, and all are LibreOffice's."""
    wb = load_for_edit(sample)
    ws = wb[layout.TRACKER]
    ws.cell(layout.FIRST_DATA_ROW + 3, 3).value = "Atlantis"  # an unknown area: an error
    ws.cell(layout.FIRST_DATA_ROW + 4, 6).value = 0.5  # a valid change: the figures move
    edited = tmp_path / "edited.xlsx"
    save_workbook(wb, edited)
    report = validate_workbook(edited, today=dt.date(2026, 11, 25))
    assert report.written and report.errors
    assert assert_cached_values_reproduced(edited, tmp_path) > 1500


# Functions and edge cases the workbook may come to use (rates by date, decisions): each
# computed by xlsrc.edges.formulas and by LibreOffice. Not here: 1E+20&"" (Excel writes 1E+20,
# LibreOffice 1E+020; the cache follows Excel).
ZOO = [
    "=ROUND(2.675,2)",
    "=ROUND(-306.185,2)",
    "=ROUND(1234.5,-2)",
    "=ROUNDUP(1.231,2)",
    "=ROUNDDOWN(-1.239,2)",
    "=FLOOR(7.4,0.5)",
    "=CEILING(7.1,0.5)",
    "=INT(-2.5)",
    "=MOD(-7,3)",
    "=EDATE(DATE(2024,1,31),1)",
    "=EOMONTH(DATE(2024,2,10),0)",
    "=DATE(2024,14,1)",
    "=DATE(2024,3,0)",
    "=YEAR(45382)+MONTH(45382)+DAY(45382)",
    '=TEXT(0.905,"0.0%")',
    '=TEXT(1234.5,"#,##0.00")',
    '=TEXT(DATE(2024,3,5),"dd/mm/yyyy")',
    '=TEXT(DATE(2024,3,5),"mmm yyyy")',
    "=1/0",
    "=IFERROR(1/0,-1)",
    '=IFERROR(MATCH("zz",A1:A6,0),"none")',
    "=MATCH(3,B1:B6,1)",
    "=MATCH(25,B1:B6)",
    '=MATCH("b*",A1:A6,0)',
    "=INDEX(B1:B6,4)",
    "=VLOOKUP(4.5,B1:C6,2)",
    "=VLOOKUP(4,B1:C6,2,FALSE)",
    "=SUMPRODUCT((B1:B6>2)*C1:C6)",
    "=SUMPRODUCT(B1:B6,C1:C6)",
    '=COUNTIF(A1:A6,"a*")',
    '=COUNTIF(A1:A6,"<>")',
    '=COUNTIF(A1:A6,"")',
    '=COUNTIF(B1:B6,">=3")',
    "=COUNTIF(B1:B6,3)",
    '=COUNTIF(D1:D6,"1")',
    '=SUMIF(A1:A6,"A",B1:B6)',
    '=SUMIFS(C1:C6,B1:B6,">2",A1:A6,"<>c")',
    '=COUNTIFS(B1:B6,">1",B1:B6,"<6")',
    "=COUNTA(A1:A6)+COUNT(A1:D6)+COUNTBLANK(A1:A6)",
    "=MAX(B1:B6)-MIN(B1:B6)+AVERAGE(B1:B6)",
    '=AND(B1>0,C1>0)=OR(FALSE,B1="")',
    '="a"="A"',
    '="b">"a"',
    '=1<"a"',
    '=A6=""',
    "=A6=0",
    '=LEN("abc")&LEFT("abc",2)&RIGHT("abc")&MID("abcdef",2,3)&UPPER("x")',
    '=TRIM("  a   b ")',
    '=VALUE("12.5")*2',
    "=0.1+0.2",
    '=0.1+0.2&""',
    '=CHOOSE(2,"x","y","z")',
    '=EXACT("a","A")',
    "=SUMPRODUCT(--EXACT(A2,A1:A6))",
    '=SUMPRODUCT(--(A1:A6="a"))',
    "=SUMPRODUCT(--(LEN(TRIM(A1:A6&D1:D6))>0))",
    "=SUMPRODUCT(--ISNUMBER(D1:D6))",
    "=ISBLANK(A6)",
    "=ISTEXT(A1)",
    '=N("x")+N(5)',
    "=-2^2",
    "=2^0.5",
    "=5%",
    "=SUM(B1:B6)/COUNT(B1:B6)",
    # The Tracker's counting rule (docs/counting.md): exact names, item by item.
    '=EXACT("a","A")+EXACT(A1,"a")*2',
    '=SUMPRODUCT(--EXACT("bb",A1:A6))',
    '=SUMPRODUCT(--EXACT("A",A1:A6))',
    '=SUMPRODUCT(--((A1:A6<>"")+(D1:D6<>"")>0))',
]


@pytest.mark.libreoffice
def test_libreoffice_reproduces_a_zoo_of_functions(lo, tmp_path):
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Data"
    rows = [("a", 1, 10, "1"), ("B", 2, 20, 1), ("c", 3, 30, None), ("bb", 5, 40, "x")]
    rows += [("A", 8, 50, 2), (None, 13, 60, None)]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            data.cell(r, c).value = value
    for r, text in enumerate(ZOO, start=1):
        data.cell(r, 6).value = text
    data.protection.sheet = True
    path = tmp_path / "zoo.xlsx"
    save_workbook(wb, path)
    assert compute(openpyxl.load_workbook(path)).uncomputable == {}
    assert assert_cached_values_reproduced(path, tmp_path) == len(ZOO)
