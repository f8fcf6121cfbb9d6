"""Who did what (issue 20, items 6 and 7): every writing command leaves an Audit row naming
who ran it, and each row's digest chains it to the row before, so an edited, moved or deleted
row (all but the last) is an AUDIT-CHAIN-BROKEN error naming its row."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from xlsrc.adapters.cli import main
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.model import audit, layout
from xlsrc.model.rules import AUDIT_CHAIN_BROKEN

TODAY = "2025-07-15"
ME = getpass.getuser()
CSV = (
    "Date,Advisor,Area,Activity,Outcomes,Days,Notes\n"
    "10/06/2024,RK-01,Medway,Deep dive,PM-1,1,one more\n"
)


def _audit(path: Path) -> list[dict[str, object]]:
    ws = load_workbook(path)[layout.AUDIT]
    min_col, min_row, max_col, max_row = range_boundaries(ws.tables[layout.AUDIT_TABLE].ref)
    headers = [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)]
    return [
        {"row": r, **{h: ws.cell(r, c).value for c, h in enumerate(headers, start=min_col)}}
        for r in range(min_row + 1, max_row + 1)
    ]


def _chain_errors(capsys, path: Path) -> list[dict]:
    capsys.readouterr()
    main(["validate", str(path), "--no-write", "--json", "--today", TODAY])
    issues = json.loads(capsys.readouterr().out)["issues"]
    return [i for i in issues if i["code"] == AUDIT_CHAIN_BROKEN.code]


@pytest.fixture
def worked(built, tmp_path) -> Path:
    """A built workbook after a fill, a decision (given --as) and another fill."""
    path = Path(shutil.copy(built, tmp_path / "wb.xlsx"))
    (tmp_path / "june.csv").write_text(CSV)
    (tmp_path / "june2.csv").write_text(CSV.replace("10/06/2024", "11/06/2024"))
    fill = ["fill", str(path), "--tracker", str(tmp_path / "june.csv"), "--today", TODAY]
    assert main(fill) == 0
    decided = [
        *("decide", str(path), "day-rate", "--rate", "700.00", "--effective", "2024-07-01"),
        *("--decided", "2024-06-20", "--by", "DfE contract manager", "--today", TODAY),
        *("--as", "DfE contract manager"),
    ]
    assert main(decided) == 0
    assert main([*fill[:3], str(tmp_path / "june2.csv"), "--today", TODAY]) == 0
    return path


def test_a_fill_and_a_decide_each_leave_a_row_saying_who(worked):
    rows = _audit(worked)
    assert [r["Action"] for r in rows] == [
        layout.AUDIT_BUILT,
        layout.ROWS_FILLED,
        f"{layout.DECISION_RECORDED}: day-rate",
        layout.ROWS_FILLED,
    ]
    built, filled, decided, _ = rows
    assert built["Who"] is None  # the build is reproducible: no time, no one
    assert filled["Who"] == ME and filled["Month"] == "2024-06" and filled["Rows"] == 1
    assert decided["Who"] == f"{ME} as DfE contract manager"
    assert "DfE contract manager" in str(decided["Details"])
    for row in rows[1:]:
        when = str(row["When"])
        assert dt.datetime.fromisoformat(when).utcoffset() == dt.timedelta(0)  # ISO, UTC
        assert len(str(row["Digest"])) == audit.DIGEST_LENGTH
    width = load_workbook(worked)[layout.AUDIT].column_dimensions["A"].width
    assert width >= len("2025-07-15 09:30:00Z")


def test_the_untouched_record_is_whole(worked, capsys):
    assert _chain_errors(capsys, worked) == []
    capsys.readouterr()
    assert main(["log", str(worked)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 5 and "4 Audit row(s)" in out[0]
    assert ME in out[2] and layout.ROWS_FILLED in out[2] and "2024-06" in out[2]
    assert f"{ME} as DfE contract manager" in out[3]
    assert not any(line.startswith("!") for line in out)


def _edit(path: Path, change) -> None:
    wb = load_for_edit(path)
    change(wb[layout.AUDIT])
    save_workbook(wb, path)


def _row_of(path: Path, action: str) -> int:
    return next(r["row"] for r in _audit(path) if str(r["Action"]).startswith(action))


def test_clearing_a_cell_of_a_row_is_an_error_at_that_row(worked, capsys):
    row = _row_of(worked, layout.DECISION_RECORDED)
    who = layout.AUDIT_HEADERS.index("Who") + 1
    _edit(worked, lambda ws: setattr(ws.cell(row, who), "value", None))
    (error,) = _chain_errors(capsys, worked)
    assert error["sheet"] == layout.AUDIT and error["row"] == row
    assert error["severity"] == "error"
    assert "calloff-backups" in error["message"] and "cannot be re-made" in error["message"]


def test_the_last_row_cleared_is_caught_too(worked, capsys):
    last = _audit(worked)[-1]["row"]
    when = layout.AUDIT_HEADERS.index("When") + 1
    _edit(worked, lambda ws: setattr(ws.cell(last, when), "value", "2020-01-01 00:00:00Z"))
    assert [e["row"] for e in _chain_errors(capsys, worked)] == [last]


def _values(ws, row: int) -> list[object]:
    return [ws.cell(row, c).value for c in range(1, len(layout.AUDIT_HEADERS) + 1)]


def _put(ws, row: int, values: list[object]) -> None:
    for c, v in enumerate(values, start=1):
        ws.cell(row, c).value = v


def test_a_deleted_middle_row_is_an_error_at_the_row_after(worked, capsys):
    rows = [r["row"] for r in _audit(worked)]
    middle = _row_of(worked, layout.DECISION_RECORDED)

    def delete(ws):  # the rows below move up; the table keeps its size
        for r in range(middle, rows[-1]):
            _put(ws, r, _values(ws, r + 1))
        _put(ws, rows[-1], [None] * len(layout.AUDIT_HEADERS))

    _edit(worked, delete)
    assert [e["row"] for e in _chain_errors(capsys, worked)] == [middle]


def test_a_moved_row_is_an_error(worked, capsys):
    first_fill = _row_of(worked, layout.ROWS_FILLED)
    decided = _row_of(worked, layout.DECISION_RECORDED)

    def swap(ws):
        a, b = _values(ws, first_fill), _values(ws, decided)
        _put(ws, first_fill, b)
        _put(ws, decided, a)

    _edit(worked, swap)
    errors = _chain_errors(capsys, worked)
    assert first_fill in [e["row"] for e in errors] and decided in [e["row"] for e in errors]
    capsys.readouterr()
    assert main(["log", str(worked)]) == 1
    out = capsys.readouterr().out
    assert f"! {first_fill:>4}" in out and "restore it from a backup" in out.lower()


def test_a_digest_cleared_after_the_chain_began_is_an_error(worked, capsys):
    row = _row_of(worked, layout.ROWS_FILLED)
    digest = layout.AUDIT_HEADERS.index("Digest") + 1
    _edit(worked, lambda ws: setattr(ws.cell(row, digest), "value", None))
    assert row in [e["row"] for e in _chain_errors(capsys, worked)]


def test_the_sample_and_the_shipped_workbooks_validate_clean(sample, capsys):
    assert _chain_errors(capsys, sample) == []
    capsys.readouterr()
    assert main(["validate", str(sample), "--no-write", "--today", TODAY]) == 0
    shipped = Path(__file__).parents[1] / "workbook" / "CON_22889.xlsx"
    assert _chain_errors(capsys, shipped) == []
    capsys.readouterr()
    assert main(["log", str(sample)]) == 0
    out = capsys.readouterr().out
    assert f"{layout.ROWS_FILLED}  2023-10 to 2025-06" in out
    assert f"{layout.PROGRESS_RECORDED}  -  the example's annexa" in out  # the demo's writes too


def test_an_older_audit_table_without_who_is_still_written(built, tmp_path, capsys):
    """A workbook built before Who and Digest: its Audit table keeps its columns; rows are
    added without them (and without a chain)."""
    path = Path(shutil.copy(built, tmp_path / "old.xlsx"))

    def older(ws):
        table = ws.tables[layout.AUDIT_TABLE]
        _, min_row, _, max_row = range_boundaries(table.ref)
        keep = layout.AUDIT_HEADERS.index("Details") + 1
        for r in range(min_row, max_row + 1):
            for c in range(keep + 1, len(layout.AUDIT_HEADERS) + 1):
                ws.cell(r, c).value = None
        table.ref = f"A{min_row}:I{max_row}"
        table.autoFilter.ref = table.ref
        del table.tableColumns[keep:]

    _edit(path, older)
    (tmp_path / "june.csv").write_text(CSV)
    assert main(["fill", str(path), "--tracker", str(tmp_path / "june.csv"), "--today", TODAY]) == 0
    rows = _audit(path)
    assert rows[-1]["Action"] == layout.ROWS_FILLED and "Who" not in rows[-1]
    assert _chain_errors(capsys, path) == []
