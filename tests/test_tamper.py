"""Tamper evidence: a change to a contract term since the build is reported, naming it."""

from __future__ import annotations

import json
import shutil

from xlsrc.cli import main
from xlsrc.fileio.atomic import save_workbook
from xlsrc.fileio.tracker_writer import load_for_edit, set_named_value


def _issues(capsys, path) -> list[dict]:
    main(["validate", str(path), "--no-write", "--json", "--today", "2025-07-15"])
    return json.loads(capsys.readouterr().out)["issues"]


def test_a_fresh_workbook_reports_no_term_change(built, tmp_path, capsys):
    path = tmp_path / "wb.xlsx"
    shutil.copy(built, path)
    assert [i for i in _issues(capsys, path) if i["code"].startswith("TERM")] == []


def test_a_changed_day_rate_is_named_with_its_cell(built, tmp_path, capsys):
    path = tmp_path / "wb.xlsx"
    wb = load_for_edit(built)
    set_named_value(wb, "DayRate", 700)
    save_workbook(wb, path)
    changed = [i for i in _issues(capsys, path) if i["code"] == "TERM-CHANGED"]
    assert len(changed) == 1
    (issue,) = changed
    assert issue["sheet"] == "Contract" and issue["column"] == "DayRate"
    assert issue["severity"] == "warning"
    assert "is 700 now; it was 650 when the workbook was built" in issue["message"]
    ((_sheet, ref),) = wb.defined_names["DayRate"].destinations
    assert issue["row"] == int(ref.replace("$", "")[1:])


def test_the_samples_recorded_extension_is_no_term_change(sample, capsys):
    """The sample's extension is a recorded decision: it acknowledges the change it makes."""
    assert [i for i in _issues(capsys, sample) if i["code"] == "TERM-CHANGED"] == []


def test_a_day_rate_change_recorded_as_a_decision_is_acknowledged(built, tmp_path, capsys):
    path = tmp_path / "wb.xlsx"
    shutil.copy(built, path)
    assert (
        main(
            [
                "decide",
                str(path),
                "day-rate",
                "--rate",
                "700.00",
                "--effective",
                "2024-04-01",
                "--decided",
                "2024-03-01",
                "--by",
                "DfE contract manager",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert [i for i in _issues(capsys, path) if i["code"].startswith("TERM")] == []
    wb = load_for_edit(path)  # the same line typed in without a decision is not acknowledged
    ws = wb["Contract"]
    first = int(ws.tables["Rates"].ref.split(":")[0][1:]) + 2
    ws.cell(first + 1, 1).value = ws.cell(first, 1).value.replace(month=6)
    ws.cell(first + 1, 2).value = 720
    save_workbook(wb, path)
    changed = [i for i in _issues(capsys, path) if i["code"] == "TERM-CHANGED"]
    assert [i["column"] for i in changed] == ["Rates"]
