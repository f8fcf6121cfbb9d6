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


def test_the_sample_shows_its_agreed_extension(sample, capsys):
    changed = [i for i in _issues(capsys, sample) if i["code"] == "TERM-CHANGED"]
    assert [i["column"] for i in changed] == ["ExtensionMonths"]
