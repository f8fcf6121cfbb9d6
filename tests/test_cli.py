"""The command line: every command documented with an example, JSON that parses, and a
one-line message (never a traceback) for a bad file."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO
from xlsrc.adapters.cli import cli, main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_help_lists_every_command(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for name in cli.commands:
        assert name in out


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_an_example_and_is_described_in_the_docs(capsys, name):
    code, out, _ = run(capsys, name, "--help")
    assert code == 0
    assert "Example" in out and f"calloff {name}" in out
    described = (REPO / "docs" / "commands.md").read_text("utf-8")
    described = described.split("<!-- generated:commands -->")[0]  # the table people wrote
    assert f"`calloff {name}`" in described


def test_totals_json_keys_are_the_defined_names(capsys, sample):
    code, out, _ = run(capsys, "totals", str(sample), "--json")
    assert code == 0
    data = json.loads(out)
    for key in ("TotalDays", "TotalNet", "TotalVAT", "TotalGross", "Headroom", "CapUsedPct"):
        assert key in data
    assert data["rows_with_errors"] == 0
    assert sum(float(m["net"]) for m in data["by_month"]) == pytest.approx(float(data["TotalNet"]))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"just some text", "not an Excel .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "password-protected or an old .xls"),
        (b"PK\x03\x04 truncated", "not an Excel .xlsx workbook"),
    ],
)
def test_bad_files_get_one_line_and_no_traceback(capsys, tmp_path, content, expected):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    code, out, err = run(capsys, "totals", str(path))
    assert code == 2
    assert expected in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_workbook_without_tracker_table(capsys, tmp_path):
    import openpyxl

    path = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(path)
    code, _, err = run(capsys, "totals", str(path))
    assert code == 2 and "has no Excel table named 'Tracker'" in err


def test_missing_file(capsys, tmp_path):
    code, _, err = run(capsys, "totals", str(tmp_path / "nope.xlsx"))
    assert code == 2 and "file not found" in err


def test_demo_writes_a_workbook_and_prints_totals(capsys, tmp_path):
    code, out, _ = run(capsys, "demo", "--out", str(tmp_path), "--json")
    assert code == 0
    data = json.loads(out)
    assert (tmp_path / "CON_22889-sample.xlsx").exists()
    assert data["workbook"].endswith("CON_22889-sample.xlsx")
    assert data["MonthsElapsed"] == 21  # Oct 2023 .. Jun 2025, through a 3-month extension
    # its steps each saved the file; no backup (nor a folder of them) is left beside it
    assert [p.name for p in tmp_path.iterdir()] == ["CON_22889-sample.xlsx"]


def test_decide_offers_exactly_the_decision_kinds_the_terms_model_knows():
    """The CLI spells the kinds out (importing the model would load pydantic at every start):
    this keeps the two lists the same, in the same order."""
    from typing import get_args

    from xlsrc.model.terms.decisions import Kind

    kind = next(p for p in cli.commands["decide"].params if p.name == "kind")
    assert list(kind.type.choices) == list(get_args(Kind))
    assert len(get_args(Kind)) == 8
