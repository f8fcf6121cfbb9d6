"""calloff validate on whole files: the Issues sheet, the highlights, and that nothing a
person typed changes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xlsrc.actions.validate import validate_workbook
from xlsrc.adapters.cli import cli, main
from xlsrc.edges.fileio.issues_writer import highlight_tracker
from xlsrc.edges.fileio.reader import open_book, read_tracker
from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.structure import structural_problems
from xlsrc.model import layout
from xlsrc.model.entry import INPUT_COLUMNS
from xlsrc.model.issues import Issue

TODAY = "2026-11-25"
COL = {name: i for i, name in enumerate(INPUT_COLUMNS, start=1)}
RED, AMBER = styles.RED_FILL.fgColor.rgb, styles.AMBER_FILL.fgColor.rgb

# (row, column, value written, expected code): one planted fault per row.
FAULTS = [
    (5, "Area", "ZZ", "AREA-UNKNOWN"),
    (6, "Date", dt.datetime(2026, 6, 3), "DATE-OUTSIDE-TERM"),  # a Wednesday after the end
    (7, "Days", 1.5, "DAYS-INVALID"),
    (8, "Notes", "Call jo@example.org", "NOTES-PERSONAL-DATA"),
    (9, "Notes", "=1+1", "FORMULA-LIKE-TEXT"),
]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def copy(src: Path, tmp_path: Path, name: str = "wb.xlsx") -> Path:
    return Path(shutil.copy(src, tmp_path / name))


def plant(path: Path, faults: list[tuple[int, str, object, str]]) -> None:
    wb = openpyxl.load_workbook(path)
    for row, column, value, _ in faults:
        put(wb[layout.TRACKER], row, COL[column], value)
    wb.save(path)


@pytest.fixture
def broken(sample, tmp_path) -> Path:
    path = copy(sample, tmp_path, "broken.xlsx")
    plant(path, FAULTS)
    return path


def entries(path: Path) -> dict[tuple[int, int], tuple[object, str, str, bool, bool]]:
    """Every Tracker input cell: value, data type, number format, locked, quote prefix."""
    ws = openpyxl.load_workbook(path)[layout.TRACKER]
    return {
        (c.row, c.column): (
            c.value,
            c.data_type,
            c.number_format,
            c.protection.locked,
            c.quotePrefix,
        )
        for cells in ws.iter_rows(min_row=layout.FIRST_DATA_ROW, max_col=len(INPUT_COLUMNS))
        for c in cells
    }


def highlights(path: Path) -> dict[tuple[int, str], str]:
    """(row, column header) -> fill colour, for every filled Tracker input cell."""
    ws = openpyxl.load_workbook(path)[layout.TRACKER]
    return {
        (c.row, INPUT_COLUMNS[c.column - 1]): c.fill.fgColor.rgb
        for cells in ws.iter_rows(min_row=layout.FIRST_DATA_ROW, max_col=len(INPUT_COLUMNS))
        for c in cells
        if c.fill.patternType is not None
    }


def issue_rows(path: Path) -> list[tuple[object, ...]]:
    ws = openpyxl.load_workbook(path)[layout.ISSUES]
    rows = ws.iter_rows(min_row=layout.FIRST_DATA_ROW, values_only=True)
    return [r for r in rows if any(v is not None for v in r)]


def expected_highlights(issues: list[dict]) -> dict[tuple[int, str], str]:
    out: dict[tuple[int, str], str] = {}
    for i in issues:
        if i["sheet"] != layout.TRACKER:  # only Tracker cells are highlighted
            continue
        key = (i["row"], i["column"])
        out[key] = RED if i["severity"] == "error" or out.get(key) == RED else AMBER
    return out


def invoke(*args: str) -> tuple[int, str]:
    """Run the command as the console would (click standalone mode): exit code, stdout."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout


def validate_json(path: Path, *extra: str) -> tuple[int, dict]:
    code, out = invoke("validate", str(path), "--json", "--today", TODAY, *extra)
    return code, json.loads(out)


def test_sample_validates_without_errors(capsys, sample, tmp_path):
    path = copy(sample, tmp_path)
    code, out, _ = run(capsys, "validate", str(path), "--today", TODAY)
    assert code == 0
    assert out.splitlines()[0].endswith(
        "107 rows, 0 errors, 4 warnings (Issues sheet and highlights updated)"
    )
    assert out.splitlines()[1].startswith("  Warning. First to act on: AREA-OVER-ALLOCATION")
    rows = issue_rows(path)
    # Oxfordshire a day over its allocation, three cap bands crossed; the sample's 3-month
    # extension is a recorded decision, which acknowledges the term change it makes (no
    # TERM-CHANGED).
    assert [(r[0], r[1]) for r in rows] == [("warning", "AREA-OVER-ALLOCATION")] + [
        ("warning", "CAP-BAND")
    ] * 3
    ws = openpyxl.load_workbook(path)[layout.ISSUES]
    assert ws["A3"].value == "Validated 25/11/2026: 107 rows, 0 errors, 4 warnings"
    assert ws.tables[layout.ISSUES_TABLE].ref == "A4:H8"
    assert set(highlights(path).values()) == {AMBER}


def test_each_planted_fault_is_listed_highlighted_and_exits_1(broken):
    before = entries(broken)
    code, report = validate_json(broken)
    assert code == 1
    found = {(i["row"], i["column"], i["code"]) for i in report["issues"]}
    for row, column, _, rule in FAULTS:
        assert (row, column, rule) in found
    assert report["errors"] == 4 and report["rows_checked"] == 107
    # Exactly the offending cells are filled: red for errors, amber for warnings.
    assert highlights(broken) == expected_highlights(report["issues"])
    assert highlights(broken)[(5, "Area")] == RED
    assert highlights(broken)[(9, "Notes")] == AMBER
    assert entries(broken) == before
    notes = openpyxl.load_workbook(broken)[layout.TRACKER]["G9"]
    assert (notes.value, notes.data_type) == ("=1+1", "s")


def test_main_exits_1_on_errors(capsys, broken):
    assert run(capsys, "validate", str(broken), "--today", TODAY, "--no-write")[0] == 1


def test_issues_sheet_rows_link_to_their_cells(broken):
    _, report = validate_json(broken)
    ws = openpyxl.load_workbook(broken)[layout.ISSUES]
    first = ws.cell(layout.FIRST_DATA_ROW, 1).row
    values = [c.value for c in ws[first]]
    assert values[:6] == ["error", "AREA-UNKNOWN", "Tracker", 5, "Area", "ZZ"]
    go_to = ws.cell(first, 8)
    assert go_to.value == "Tracker!C5"
    assert go_to.hyperlink.location == "'Tracker'!C5"
    severities = [r[0] for r in issue_rows(broken)]
    assert severities == sorted(severities)  # "error" sorts before "warning": errors first
    assert len(severities) == len(report["issues"])
    table = ws.tables[layout.ISSUES_TABLE]
    assert table.ref == f"A4:H{4 + len(severities)}" == table.autoFilter.ref
    # The Value of a date is shown as people type it.
    date_row = next(r for r in issue_rows(broken) if r[1] == "DATE-OUTSIDE-TERM")
    assert date_row[5] == "03/06/2026" and date_row[7] == "Tracker!A6"


def test_text_output_lists_errors_first(broken):
    code, out = invoke("validate", str(broken), "--today", TODAY, "--no-write")
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == f"{broken}: 107 rows, 4 errors, 3 warnings (workbook not changed)"
    assert lines[1].startswith("  Not OK. First to act on: ")  # the Guide's state
    kinds = [line.split()[0] for line in lines[2:]]
    assert kinds == ["ERROR"] * 4 + ["WARNING"] * 3
    assert "DAYS-INVALID at Tracker, row 7, column Days" in out


def test_running_twice_changes_nothing_more(broken):
    validate_json(broken)
    rows, marks = issue_rows(broken), highlights(broken)
    validate_json(broken)
    assert issue_rows(broken) == rows
    assert highlights(broken) == marks


def test_fixing_a_problem_clears_its_row_and_highlight(broken):
    _, first = validate_json(broken)
    wb = openpyxl.load_workbook(broken)
    put(wb[layout.TRACKER], 7, COL["Days"], 1)
    wb.save(broken)
    _, second = validate_json(broken)
    assert second["errors"] == first["errors"] - 1
    assert "DAYS-INVALID" not in {i["code"] for i in second["issues"]}
    assert len(issue_rows(broken)) == len(second["issues"])
    marks = highlights(broken)
    assert (7, "Days") not in marks
    assert marks == expected_highlights(second["issues"])
    # The cleared cell is back to the builder's state: no fill, unlocked, days format.
    cell = openpyxl.load_workbook(broken)[layout.TRACKER]["F7"]
    assert cell.fill.patternType is None and cell.protection.locked is False
    assert cell.number_format == styles.DAYS


def test_a_clean_run_leaves_one_blank_table_row(sample, tmp_path):
    path = copy(sample, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.TRACKER]
    for row in range(layout.FIRST_DATA_ROW, ws.max_row + 1):  # an empty tracker
        for column in COL.values():
            ws.cell(row, column).value = None
    decisions = wb[layout.CONTRACT].tables[layout.DECISIONS_TABLE].ref  # none recorded
    for cells in wb[layout.CONTRACT][decisions][1:]:
        for cell in cells:
            cell.value = None
    wb.save(path)
    code, report = validate_json(path)
    assert (code, report["rows_checked"], report["issues"]) == (0, 0, [])
    issues = openpyxl.load_workbook(path)[layout.ISSUES]
    assert issues.tables[layout.ISSUES_TABLE].ref == "A4:H5"
    assert issue_rows(path) == []
    assert highlights(path) == {}


def test_json_counts_match_the_issues(broken):
    code, report = validate_json(broken)
    assert code == 1
    assert set(report) == {
        "workbook",
        "rows_checked",
        "errors",
        "warnings",
        "state",
        "first_to_act_on",
        "issues",
        "repaired",
    }
    assert report["state"] == "Not OK" and report["first_to_act_on"]
    severities = [i["severity"] for i in report["issues"]]
    assert report["errors"] == severities.count("error") == 4
    assert report["warnings"] == severities.count("warning") == 3  # 3 cap bands
    days = next(i for i in report["issues"] if i["code"] == "DAYS-INVALID")
    assert days["value"] == "1.5" and days["row"] == 7


def test_no_write_leaves_the_file_untouched(broken):
    before = broken.read_bytes()
    code, report = validate_json(broken, "--no-write")
    assert code == 1 and report["errors"] == 4
    assert broken.read_bytes() == before


def test_entries_read_the_same_before_and_after(broken):
    before = read_tracker(open_book(broken))
    validate_workbook(broken, today=dt.date(2026, 11, 25))
    assert read_tracker(open_book(broken)) == before


def test_an_older_workbook_gets_an_issues_sheet(sample, tmp_path):
    path = copy(sample, tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb[layout.ISSUES]
    wb.save(path)
    code, report = validate_json(path)
    assert code == 0 and report["warnings"] == 4  # Oxfordshire, 3 cap bands
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames.index(layout.ISSUES) == wb.sheetnames.index(layout.LISTS) - 1
    assert len(issue_rows(path)) == 4
    assert structural_problems(path) == []


def test_written_workbook_is_structurally_sound(broken):
    validate_json(broken)
    assert structural_problems(broken) == []


@pytest.mark.libreoffice
def test_libreoffice_still_recalculates_it(capsys, lo, sample, tmp_path):
    from xlsrc.edges.libreoffice.recalc import recalculate

    path = copy(sample, tmp_path)
    assert run(capsys, "validate", str(path), "--today", TODAY)[0] == 0
    names = recalculate(path, names=tmp_path / "names.json")
    assert names is not None and names["MasterCheck"] in (True, 1)


def _corrupt_zip(path: Path, sample: Path) -> None:
    """A real workbook with a stretch of its compressed data zeroed: the zip still opens."""
    data = bytearray(sample.read_bytes())
    data[3000:3400] = bytes(400)
    path.write_bytes(bytes(data))


HOSTILE = {
    "text": (lambda p, _: p.write_bytes(b"just some text"), "not an Excel .xlsx workbook"),
    "truncated-zip": (
        lambda p, s: p.write_bytes(s.read_bytes()[:5000]),
        "not an Excel .xlsx workbook",
    ),
    "corrupt-zip": (_corrupt_zip, "bad.xlsx: "),  # which reader notices depends on the part
    "ole": (
        lambda p, _: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
        "password-protected or an old .xls",
    ),
    "plain-workbook": (
        lambda p, _: openpyxl.Workbook().save(p),
        "has no Excel table named 'Tracker'",
    ),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_files_get_one_line(capsys, sample, tmp_path, kind):
    make, expected = HOSTILE[kind]
    path = tmp_path / "bad.xlsx"
    make(path, sample)
    before = path.read_bytes()
    code, out, err = run(capsys, "validate", str(path))
    assert code == 2
    assert expected in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1
    assert path.read_bytes() == before


def test_damaged_workbook_parts_get_one_line(capsys, sample, tmp_path):
    """A real zip whose sheet XML is garbage: still one line, no traceback."""
    import zipfile

    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = b"<not xml"
            dst.writestr(item, data)
    code, out, err = run(capsys, "validate", str(path))
    assert code == 2
    assert "Traceback" not in err + out and len(err.strip().splitlines()) == 1


def _issue(row: int, column: str, severity: str) -> Issue:
    return Issue(layout.TRACKER, row, column, None, "TEST", severity, "test")  # type: ignore[arg-type]


def test_whole_row_issue_fills_input_columns_only(built):
    wb = openpyxl.load_workbook(built)
    ws = wb[layout.TRACKER]
    assert highlight_tracker(wb, [_issue(5, "", "warning")]) == len(INPUT_COLUMNS)
    assert [c.fill.fgColor.rgb for c in ws[5][: len(INPUT_COLUMNS)]] == [AMBER] * 7
    # Month and Cost keep the grey of a formula cell.
    assert {c.fill.fgColor.rgb for c in ws[5][len(INPUT_COLUMNS) :]} == {
        styles.CALC_FILL.fgColor.rgb
    }


def test_error_outranks_warning_and_own_colours_are_kept(built):
    wb = openpyxl.load_workbook(built)
    ws = wb[layout.TRACKER]
    ws["G6"].fill = styles.GREEN_FILL  # a colour the user chose
    issues = [_issue(5, "Days", "warning"), _issue(5, "Days", "error"), _issue(6, "Notes", "error")]
    assert highlight_tracker(wb, issues) == 1
    assert ws["F5"].fill.fgColor.rgb == RED
    assert ws["G6"].fill.fgColor.rgb == styles.GREEN_FILL.fgColor.rgb
    assert highlight_tracker(wb, []) == 0
    assert ws["F5"].fill.patternType is None
    assert ws["G6"].fill.fgColor.rgb == styles.GREEN_FILL.fgColor.rgb
