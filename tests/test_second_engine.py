"""Two engines over every cached value (issue 19, item 8; issue 23's last "Done when").

Each file here is written by calloff (validate through the package writer, fill, import,
decide, the openpyxl save a build or a script uses), then handed, without any cached value, to
LibreOffice and to Gnumeric (tests/tools/gnumeric.py: `ssconvert --recalc` on a copy whose
table references are rewritten to A1). Wherever the two engines agree, the value calloff cached
must be theirs (money to the penny: numbers to 1e-9 of their size; text, booleans and errors
exactly). Where the engines disagree, the cell is recorded, not failed: the cache then follows
Excel's documented behaviour, which the zoo below states formula by formula with its source.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest

from tests.test_cached_values import formula_cells, without_cached_values
from tests.test_fresh_values import EDITS, TODAY, retype
from tests.tools import gnumeric as gnumeric_engine
from xlsrc.actions.decide import decide
from xlsrc.actions.fill import fill
from xlsrc.actions.import_trackers import import_trackers
from xlsrc.actions.validate import validate_workbook
from xlsrc.edges.fileio import package_writer
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.formulas.cache import compute
from xlsrc.edges.formulas.functions import pinned_today
from xlsrc.edges.libreoffice.recalc import recalculate
from xlsrc.model import layout
from xlsrc.model.entry import ALL_COLUMNS, RawRow

Cell = tuple[str | None, str | None]  # (t attribute, <v> text), as formula_cells reads them


def _value(cell: Cell | None) -> tuple[str, object]:
    """A cached cell as a comparable value: ("num", float), ("text", str), ("err", code) or
    ("none", None). Booleans are numbers: LibreOffice has no boolean cells (TRUE is 1)."""
    if cell is None or cell[1] is None:
        return ("none", None)
    kind, text = cell
    if kind in ("str", "s", "inlineStr"):
        return ("text", text or "")
    if kind == "e":
        return ("err", text)
    if text == "":
        return ("none", None)
    return ("num", float(text))


def _equal(a: tuple[str, object], b: tuple[str, object]) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "num":
        x, y = float(a[1]), float(b[1])  # type: ignore[arg-type]
        return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))
    return a[1] == b[1]


@dataclass
class Verdict:
    """One file's three-way comparison: calloff's cache against LibreOffice and Gnumeric."""

    checked: int = 0  # cells where the engines agree (each one compared with the cache)
    wrong: list[str] = field(default_factory=list)  # the engines agree, the cache does not
    disputed: dict[str, tuple[Cell, Cell | None, Cell | None]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"{ref}: calloff {o} LibreOffice {lo} Gnumeric {gn}"
                for ref, (o, lo, gn) in self.disputed.items()]  # fmt: skip


def engines(path: Path, tmp: Path, left_uncached: frozenset[str] = frozenset()) -> Verdict:
    ours = formula_cells(path)
    missing = [ref for ref, (_, v) in ours.items() if v is None and ref not in left_uncached]
    assert not missing, f"formula cells without a cached value: {missing[:10]}"
    bare = without_cached_values(path, tmp / f"{path.stem}-bare.xlsx")
    lo_out = tmp / f"{path.stem}-lo.xlsx"
    recalculate(bare, xlsx=lo_out)
    lo = formula_cells(lo_out)
    gn = formula_cells(gnumeric_engine.recalculate(bare, tmp / f"{path.stem}-gnumeric.xlsx"))
    verdict = Verdict()
    for ref, cell in ours.items():
        if ref in left_uncached:
            continue
        a, b = _value(lo.get(ref)), _value(gn.get(ref))
        if not _equal(a, b):
            verdict.disputed[ref] = (cell, lo.get(ref), gn.get(ref))
            continue
        verdict.checked += 1
        if not _equal(_value(cell), a):
            verdict.wrong.append(f"{ref}: cached {cell}, LibreOffice and Gnumeric {lo.get(ref)}")
    return verdict


def assert_engines_reproduce(
    path: Path, tmp: Path, record: object, left_uncached: frozenset[str] = frozenset()
) -> Verdict:
    verdict = engines(path, tmp, left_uncached)
    record("disputed", verdict.lines())  # type: ignore[operator]
    for line in verdict.lines():
        print("disputed:", line)
    assert not verdict.wrong, f"{len(verdict.wrong)} of {verdict.checked} cells differ:\n" + (
        "\n".join(verdict.wrong[:25])
    )
    return verdict


# ---- the contract workbook, written by each command ------------------------------------------

# Edge-case inputs typed into the sample without recalculation (as a program that does not
# recalculate leaves them), then validated: the package writer recomputes what they change.
# Rows 20 to 36 of the sample's Tracker typed over (inside its print area, so the package
# writer saves them): dates at the edges of the 1900 system and of the term, days as text,
# zero, negative and tiny, a row emptied between rows, a date typed as text.
ROW = 20
TRACKER_ZOO: list[tuple[str, str, object]] = [
    (layout.TRACKER, f"{col}{ROW + i}", value)
    for i, (date, days) in enumerate(
        [
            (15.0, 1.0),  # 15 Jan 1900
            (60.0, 1.0),  # 29 Feb 1900, the day Excel keeps from Lotus
            (61.0, 0.5),  # 1 Mar 1900
            (0.0, 1.0),  # day 0
            (-1.0, 1.0),  # a negative day
            (2958465.0, 1.0),  # 31 Dec 9999
            (45200.0, "1"),  # days as text
            (45200.0, 0.0),
            (45201.0, -0.5),
            (45201.0, 1e-10),
            (None, None),  # a blank row between rows
            (45202.999988, 1.0),  # a date with a time just before midnight
            ("2024-03-01", 1.0),  # a date typed as text
            (45383.0, 1.0),  # 1 April 2024: priced at the new rate below
            (45382.0, 0.5),  # 31 March 2024: the old rate
            (45199.0, 1.0),  # the day before the start (1 Oct 2023)
            (46022.0, 1.0),  # beyond the end
        ]
    )
    for col, value in (
        ("A", date),
        ("B", None if date is None else "RK-01"),
        ("C", None if date is None else "Medway"),
        ("D", None if date is None else "Travel"),
        ("E", None),
        ("F", days),
        ("G", None),
    )
]
TYPED_ZOO: list[tuple[str, str, object]] = [
    (layout.CONTRACT, "A61", 45383.0),  # a rate change from 1 April 2024 ...
    (layout.CONTRACT, "B61", 700.0),  # ... to 700
    (layout.INVOICES, "A5", 45231.0),  # November 2023 invoiced, its Net typed as text
    (layout.INVOICES, "B5", "INV-1"),
    (layout.INVOICES, "C5", "3,120.00"),
    (layout.INVOICES, "D5", 624.0),
    (layout.INVOICES, "E5", 3744.0),
    (layout.INVOICES, "A6", "2024-03-01"),  # a month typed as text
    (layout.INVOICES, "B6", "INV-2"),
    (layout.INVOICES, "C6", 100.0),
    (layout.EHCP, "C5", "12"),  # a figure typed as text
    (layout.EHCP, "D5", 7.0),
]


def _validated(sample: Path, tmp: Path, name: str, edits: list, *, package: bool = True) -> Path:
    """`edits` typed in, then validated (through the package writer, unless `package` is
    False: edits outside the Tracker may be saved by the openpyxl fallback)."""
    path = tmp / f"{name}.xlsx"
    shutil.copy(sample, path)
    retype(path, edits)
    written: list[Path] = []
    real = package_writer.write_validation

    def counted(target: Path, *args: object) -> None:
        real(target, *args)  # type: ignore[arg-type]
        written.append(target)

    with pytest.MonkeyPatch.context() as mp, pinned_today(TODAY):
        mp.setattr(package_writer, "write_validation", counted)
        assert validate_workbook(path, today=TODAY).written
    if package:
        assert written == [path], "validate did not write through the package writer"
    return path


@pytest.mark.libreoffice
def test_engines_reproduce_the_sample(lo, gnumeric, sample, tmp_path, record_property):
    verdict = assert_engines_reproduce(sample, tmp_path, record_property)
    assert verdict.checked > 2000


@pytest.mark.libreoffice
def test_engines_reproduce_validate_after_edge_case_inputs(
    lo, gnumeric, sample, tmp_path, record_property
):
    path = _validated(sample, tmp_path, "zoo", TRACKER_ZOO)
    verdict = assert_engines_reproduce(path, tmp_path, record_property)
    assert verdict.checked > 2000


@pytest.mark.libreoffice
def test_engines_reproduce_validate_after_typed_tables_retyped(
    lo, gnumeric, sample, tmp_path, record_property
):
    """A rate change, a text Net and a text month on Invoices, a text figure on EHCP."""
    path = _validated(sample, tmp_path, "typed", TYPED_ZOO, package=False)
    verdict = assert_engines_reproduce(path, tmp_path, record_property)
    assert verdict.checked > 2000


@pytest.mark.libreoffice
def test_engines_reproduce_validate_after_inputs_retyped(
    lo, gnumeric, sample, tmp_path, record_property
):
    """DayRate, a Rates line, VATRate, the extension and an Invoices row typed over."""
    path = _validated(sample, tmp_path, "retyped", EDITS, package=False)
    assert assert_engines_reproduce(path, tmp_path, record_property).checked > 2000


def _fill_rows() -> list[RawRow]:
    rows = [
        ["10/06/2025", "RK-01", "Medway", "Deep dive", "PM-1", "1", "one more"],
        ["11/06/2025", "RK-02", "Portsmouth", "Travel", "", "0.5", "=not a formula"],
    ]
    return [RawRow("new.csv", i + 2, dict(zip(ALL_COLUMNS[:7], r, strict=True)))
            for i, r in enumerate(rows)]  # fmt: skip


@pytest.mark.libreoffice
def test_engines_reproduce_fill_and_decide(lo, gnumeric, sample, tmp_path, record_property):
    """Fill after inputs retyped, then a rate change decided: nil months and two rates."""
    path = tmp_path / "filled.xlsx"
    shutil.copy(sample, path)
    retype(path, EDITS)
    with pinned_today(TODAY):
        assert fill(path, _fill_rows(), today=TODAY).rows_written
        decide(
            path,
            {
                "kind": "day-rate",
                "rate": "730.00",
                "effective": dt.date(2024, 6, 1),
                "decided": dt.date(2024, 5, 20),
                "by": "DfE contract manager",
            },
            today=TODAY,
        )
    assert assert_engines_reproduce(path, tmp_path, record_property).checked > 2000


@pytest.mark.libreoffice
def test_engines_reproduce_import(lo, gnumeric, built, tmp_path, record_property):
    """An advisor's rows imported into an empty master (the build's TODAY cells stay blank)."""
    from tests.test_cached_values import DAY_DEPENDENT
    from tests.test_import import WORK, tracker_file

    master = tmp_path / "master.xlsx"
    shutil.copy(built, master)
    files = [tracker_file(tmp_path, a, entries) for a, entries in WORK.items()]
    assert import_trackers(master, files, today=dt.date(2025, 3, 31)).rows_written
    verdict = assert_engines_reproduce(master, tmp_path, record_property, DAY_DEPENDENT)
    assert verdict.checked > 2000


# ---- a zoo of formulas, saved through calloff's own save path ----------------------------------

# Data the zoo reads: text, numbers, numeric text, blanks, "" from a formula, an error, booleans.
DATA = [
    ("a", 1, 10, "1", 15),
    ("B", 2, 20, 1, 60),
    ("c", 3, 30, None, 61),
    ("bb", 5, 40, "x", 0),
    ("A", 8, 50, 2, -1),
    (None, 13, 60, None, 2958465),
    ('=""', 0, 70, "=MATCH(99,B1:B2,0)", 45383.5),
    ("#N/A", -2, 80, True, "2024-03-01"),
]

# The cases of the issue: dates in 1900, COUNTIF's "=", "<>" and blank rules, numbers against
# numeric text, "#N/A" against error cells, 15-digit comparison, VALUE of a blank, 0^0, text
# order, implicit intersection; with the functions the workbook's formulas use.
ZOO = [
    "=DATE(1900,1,1)",
    "=DATE(1900,2,28)+1",
    "=DATE(1900,3,1)",
    "=DAY(1)",
    "=DAY(15)",
    "=MONTH(59)",
    "=MONTH(61)",
    "=DAY(E2)",
    "=YEAR(E6)",
    "=DAY(E3)",
    "=DATE(YEAR(E7),MONTH(E7),1)",
    "=EDATE(E3,1)",
    "=EOMONTH(E2,0)",
    "=DATE(2024,14,1)",
    "=DATE(2024,3,0)",
    "=DATE(99,1,1)",
    "=INT(E7)",
    '=COUNTIF(A1:A8,"=")',
    '=COUNTIF(A1:A8,"<>")',
    '=COUNTIF(A1:A8,"")',
    '=COUNTIF(D1:D8,"")',
    '=COUNTIF(D1:D8,"<>")',
    "=COUNTIF(D1:D8,1)",
    '=COUNTIF(D1:D8,"1")',
    '=COUNTIF(D1:D8,">0")',
    '=COUNTIF(D1:D8,"#N/A")',
    '=COUNTIF(A1:A8,"#N/A")',
    '=COUNTIF(A1:A8,"a")',
    '=COUNTIF(A1:A8,"<b")',
    '=COUNTIF(E1:E8,"<="&DATE(2024,4,1))',
    '=COUNTIF(E1:E8,"<=45383")',
    '=SUMIF(A1:A8,"<>",B1:B8)',
    '=SUMIFS(C1:C8,A1:A8,"",B1:B8,">=0")',
    '=COUNTIFS(A1:A8,"<>",D1:D8,"<>")',
    "=COUNT(D1:D8)",
    "=COUNTA(D1:D8)",
    "=COUNTBLANK(A1:A8)",
    "=SUM(D1:D8)",
    "=SUMPRODUCT(--ISNUMBER(D1:D8))",
    "=SUMPRODUCT(--(D1:D8=1))",
    '=SUMPRODUCT(--(A1:A8=""))',
    "=SUMPRODUCT((B1:B8>2)*C1:C8)",
    "=SUMPRODUCT(MAX((B1:B8<9)*C1:C8))",
    "=ISNA(D7)",
    "=ISERROR(D7)",
    "=IFERROR(D7,-1)",
    '=D7="#N/A"',
    "=0.1+0.2=0.3",
    "=0.3=0.1+0.2",
    "=1+1E-15=1",
    "=ROUND(0.1+0.2-0.3,15)",
    "=1E+15+0.3-1E+15",
    '=VALUE("")',
    "=VALUE(A6)",
    '=VALUE(" 12 ")',
    '=VALUE("1,234.5")',
    '=VALUE("3,120.00")',
    '=VALUE("50%")',
    "=A6+0",
    '=A6&""',
    "=0^0",
    "=0^-1",
    "=(-8)^(1/3)",
    '="a"<"B"',
    '="Z"<"a"',
    '="a"="A"',
    '="10"<"9"',
    '=1<"0"',
    "=TRUE>1",
    '=""<"a"',
    "=A6=0",
    '=A6=""',
    "=A6<1",
    '=MAX("3",2)',
    "=MAX(D1:D8)",
    "=MIN(A1:A8)",
    "=AVERAGE(D1:D8)",
    "=N(D2)+N(D1)",
    '=TEXT(E7,"dd/mm/yyyy hh:mm")',
    '=TEXT(15,"d mmm yyyy")',
    '=TEXT(60,"d mmm yyyy")',
    '=TEXT(-0.5,"0.0")',
    '=TEXT(1234.565,"#,##0.00")',
    "=ROUND(2.675,2)",
    "=ROUND(-1.005,2)",
    "=ROUND(1.0049999999999999,2)",
    "=ROUND(5.5*650,2)",
    "=ROUND(3575*0.2,2)",
    "=ROUNDDOWN(0.3*3,1)",
    "=MOD(-7,3)",
    "=MOD(7,-3)",
    "=INT(-0.5)",
    "=ABS(-0)",
    '=LEFT("abc",0)&RIGHT("abc",5)&MID("abc",5,1)',
    '=TRIM(" a  b ")',
    '=EXACT(A1,"a")+EXACT(A5,"a")',
    "=INDEX(B1:B8,0+3)",
    "=MATCH(4,B1:B8,1)",
    '=MATCH("B",A1:A8,0)',
    "=MATCH(9,B1:B8,0)",
    "=VLOOKUP(3,B1:C8,2,FALSE)",
    "=CHOOSE(3,1,2,3)",
    '=AND(A6="",TRUE)',
    "=OR(D8,FALSE)",
    "=NOT(0)",
    '=IF("",1,2)',
    "=ISLOGICAL(D8)",
    "=ISNUMBER(D8)",
    "=ISTEXT(D1)",
    "=ISBLANK(A6)",
    "=ISBLANK(A7)",
    "=LEN(A7)",
    "=-2^2",
    "=2^-1",
    "=10/4",
    "=5%*2",
    '="1"+"2"',
    '="a"&1.5&TRUE',
    '=1E+20&""',
    '=0.1+0.2&""',
    '=1/3&""',
    '=123456789012345678&""',
    # Functions added for user-typed formulas (issue 19: none is left blank in silence).
    "=WEEKDAY(1)",
    "=WEEKDAY(E3)",
    "=WEEKDAY(E7)",
    "=WEEKDAY(E7,2)",
    "=WEEKDAY(E7,3)",
    "=WEEKDAY(E7,16)",
    "=WEEKDAY(45382.9,11)",
    "=WEEKDAY(E7,4)",
    "=WEEKDAY(-1)",
    "=TRUNC(-2.7)",
    "=TRUNC(3.14159,2)",
    "=TRUNC(1234.5,-2)",
    "=TRUNC(E7)",
    "=NA()",
    "=ISNA(NA())",
    '=REPT("ab",3)',
    '=REPT("x",-1)',
    '=REPT("x",2.9)&"|"',
    '=FIND("b","abcb")',
    '=FIND("B","abcb")',
    '=FIND("b","abcb",3)',
    '=FIND("","abc")',
    '=FIND("b","abc",0)',
    "=FIND(1,12.5)",
    '=SEARCH("B","abcb")',
    '=SEARCH("?c","abcb")',
    '=SEARCH("b*","xxabc")',
    '=SEARCH("~*","a*b")',
    '=SEARCH("z","abc")',
    '=SEARCH("b","abcb",3)',
    '=SUBSTITUTE("a-b-c","-","+")',
    '=SUBSTITUTE("a-b-c","-","+",2)',
    '=SUBSTITUTE("a-b-c","-","+",3)',
    '=SUBSTITUTE("abc","","x")',
    '=SUBSTITUTE("aAa","a","x")',
    '=SUBSTITUTE("aaa","aa","x",2)',
    '=SUBSTITUTE("aaaa","aa","x",2)',
    '=FIND("","abc",4)',
    '=FIND("","abc",5)',
    '=SEARCH("","abc",4)',
    '=FIND("","")',
    '=REPT("",5)',
    "=TRUNC(-0.0000001,3)",
    '=SUBSTITUTE(A1,"a","z")&SUBSTITUTE(B2,2,7)',
    "=HLOOKUP(2,{1,2,3;10,20,30},2,FALSE)",
    "=HLOOKUP(2.5,{1,2,3;10,20,30},2)",
    "=HLOOKUP(9,{1,2,3;10,20,30},2,FALSE)",
    "=HLOOKUP(2,B1:C3,3)",
    '=HLOOKUP("A",A1:E2,2,FALSE)',
    "=HLOOKUP(1,B1:C3,4,FALSE)",
]


def _zoo(tmp: Path) -> Path:
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Data"
    for r, values in enumerate(DATA, start=1):
        for c, value in enumerate(values, start=1):
            data.cell(r, c).value = value
    for r, text in enumerate(ZOO, start=1):
        data.cell(r, 7).value = text
    data.protection.sheet = True
    path = tmp / "zoo.xlsx"
    save_workbook(wb, path)
    return path


# Where LibreOffice and Gnumeric disagree, the cache follows Excel: each such formula with
# Excel's value (as formula_cells reads it) and the source that says so. A disputed cell not
# listed here is recorded (printed, and a `disputed` property of the test), not failed.
_LEAP = "Microsoft: Excel assumes 1900 is a leap year (serial 60 is 29 Feb 1900, 1 is 1 Jan)"
_IS = "Microsoft, IS functions: ISNUMBER of a logical value is FALSE"
EXCEL: dict[str, tuple[Cell, str]] = {
    "=DATE(1900,1,1)": ((None, "1"), _LEAP),
    "=DATE(1900,2,28)+1": ((None, "60"), _LEAP),
    "=DAY(1)": ((None, "1"), _LEAP),
    "=DAY(15)": ((None, "15"), _LEAP),
    "=DAY(E2)": ((None, "29"), _LEAP),
    '=TEXT(15,"d mmm yyyy")': (("str", "15 Jan 1900"), _LEAP),
    "=COUNT(D1:D8)": (
        (None, "2"),
        "Microsoft, COUNT: logical values in a reference are not counted",
    ),
    "=SUMPRODUCT(--ISNUMBER(D1:D8))": ((None, "2"), _IS),
    "=ISNUMBER(D8)": (("b", "0"), _IS),
    '="a"&1.5&TRUE': (("str", "a1.5TRUE"), "Excel joins a logical value as TRUE/FALSE"),
    '=1E+20&""': (("str", "1E+20"), "Excel writes a number past 15 digits as 1E+20"),
    '=123456789012345678&""': (("str", "1.23456789012346E+17"), "as above, 15 digits"),
    '=MAX("3",2)': ((None, "3"), "Microsoft, MAX: text numbers typed as arguments are counted"),
    "=0^0": (("e", "#NUM!"), "Microsoft, POWER: 0^0 is #NUM!"),
    '=COUNTIF(A1:A8,"<>")': ((None, "7"), 'COUNTIF "<>": every cell not blank, "" included'),
    '=COUNTIFS(A1:A8,"<>",D1:D8,"<>")': ((None, "6"), "as above"),
    "=VALUE(A6)": ((None, "0"), "a blank cell is 0 to every function taking a number"),
    "=WEEKDAY(1)": ((None, "1"), _LEAP + ": serial 1 is a Sunday"),
    "=WEEKDAY(E7,4)": (("e", "#NUM!"), "Microsoft, WEEKDAY: a return_type out of range is #NUM!"),
    "=WEEKDAY(-1)": (("e", "#NUM!"), "Microsoft, WEEKDAY: a serial out of range is #NUM!"),
    '=FIND("","abc")': ((None, "1"), 'Microsoft, FIND: "" matches the first character'),
    '=SEARCH("","abc",4)': (
        ("e", "#VALUE!"),
        "Microsoft, SEARCH: a start_num past the length of within_text is #VALUE!",
    ),
    "=HLOOKUP(1,B1:C3,4,FALSE)": (
        ("e", "#REF!"),
        "Microsoft, HLOOKUP: row_index_num past the table's rows is #REF!",
    ),
}


@pytest.mark.libreoffice
def test_engines_reproduce_a_zoo_of_formulas(lo, gnumeric, tmp_path, record_property):
    path = _zoo(tmp_path)
    assert compute(openpyxl.load_workbook(path)).uncomputable == {}
    verdict = assert_engines_reproduce(path, tmp_path, record_property)
    formulas = {f"Data!G{r}": text for r, text in enumerate(ZOO, start=1)}
    unexplained = []
    for ref, (ours, _, _) in verdict.disputed.items():
        formula = formulas.get(ref, ref)
        if formula in EXCEL:
            excel, source = EXCEL[formula]
            assert _equal(_value(ours), _value(excel)), (
                f"{formula}: {ours}, Excel {excel} ({source})"
            )
        else:
            unexplained.append(formula)
    record_property("disputed_unexplained", unexplained)
    assert verdict.checked + len(verdict.disputed) >= len(ZOO) + 1
    assert verdict.checked > len(ZOO) * 2 // 3  # the engines agree on most of the zoo
