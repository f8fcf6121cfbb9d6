"""Conventions every command keeps: `--out -` is standard output; JSON money "1234.50" and days
"81.0" (strings), dates ISO, true/false; `returns` needs no flag."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xlsrc.adapters.cli import main

# What the JSON must look like, stated here independently of xlsrc.model.fmt.
MONEY = re.compile(r"-?[0-9]+\.[0-9]{2}")
DAYS = re.compile(r"-?[0-9]+\.[0-9]")
MONEY_KEYS = {
    "net", "vat", "gross", "cap", "headroom", "spent", "day_rate", "cumulative_net",
    "cumulative_gross", "forecast_end", "forecast_break", "forecast_net", "vat_on_invoice_net",
    "TotalNet", "TotalVAT", "TotalGross", "Headroom", "RunRate", "ForecastEnd",
    "ForecastBreak", "NetToBreak",
}  # fmt: skip
DAYS_KEYS = {
    "days", "days_allocated", "days_remaining", "cumulative_days", "TotalDays", "DaysLeft"
}  # fmt: skip
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def calloff(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The command as a person runs it: its own process, stdout and stderr apart."""
    command = [sys.executable, "-m", "xlsrc.adapters.cli", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, timeout=300, check=False)


def leaves(data: object, key: str = "") -> list[tuple[str, object]]:
    """Every (key, value) pair at the leaves; an item of a named mapping keeps the name."""
    if isinstance(data, dict):
        out = []
        for k, v in data.items():
            named = k if (k in MONEY_KEYS | DAYS_KEYS or not key) else key
            out += leaves(v, named if not isinstance(v, dict) or k in DAYS_KEYS else k)
        return out
    if isinstance(data, list):
        return [pair for item in data for pair in leaves(item, key)]
    return [(key, data)]


def check_conventions(data: object) -> tuple[int, int]:
    """Asserts the conventions on one command's JSON; returns (money seen, days seen)."""
    money = days = 0
    for key, value in leaves(data):
        assert not isinstance(value, float), f"{key}: a float ({value}) is not exact"
        if key in MONEY_KEYS and value is not None:
            assert isinstance(value, str) and MONEY.fullmatch(value), f"money {key}={value!r}"
            money += 1
        elif key in DAYS_KEYS and value is not None:
            assert isinstance(value, str) and DAYS.fullmatch(value), f"days {key}={value!r}"
            days += 1
    return money, days


def json_of(capsys, *args: str) -> dict:
    code = main(list(args))
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return json.loads(out)


# --- --out - -----------------------------------------------------------------------------


def test_out_dash_writes_the_file_to_standard_output(sample: Path, tmp_path: Path) -> None:
    to_file = calloff("mi", str(sample), "--format", "csv", "--out", str(tmp_path / "mi.csv"),
                      cwd=tmp_path)  # fmt: skip
    to_stdout = calloff("mi", str(sample), "--format", "csv", "--out", "-", cwd=tmp_path)
    assert to_file.returncode == to_stdout.returncode == 0, to_stdout.stderr
    assert to_stdout.stdout == (tmp_path / "mi.csv").read_bytes()
    assert b"management information" in to_stdout.stderr  # what it says goes to stderr
    assert not (tmp_path / "-").exists()


def test_out_dash_streams_a_workbook(tmp_path: Path) -> None:
    done = calloff("build", "--out", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    book = load_workbook(io.BytesIO(done.stdout))
    assert "Tracker" in book.sheetnames
    assert zipfile.ZipFile(io.BytesIO(done.stdout)).testzip() is None
    assert b"Built -" in done.stderr and list(tmp_path.iterdir()) == []


def test_out_dash_where_a_folder_is_written_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = calloff("demo", "--out", "-", cwd=tmp_path)
    assert done.returncode == 2 and b"standard output" in done.stderr
    assert b"Traceback" not in done.stderr and list(tmp_path.iterdir()) == []


# --- JSON: the same money, days and dates in every command ---------------------------------


def test_json_money_days_and_dates_are_the_same_in_every_command(
    capsys, sample: Path, tmp_path: Path
) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copy(sample, book)
    outputs = {
        "totals": json_of(capsys, "totals", str(book), "--json"),
        "validate": json_of(capsys, "validate", str(book), "--json", "--no-write"),
        "invoice-check": json_of(capsys, "invoice-check", str(book), "--month", "2024-03",
                                 "--net", "2275.00", "--vat", "455.00", "--gross", "2730.00",
                                 "--json"),
        "mi": json_of(capsys, "mi", str(book), "--out", str(tmp_path / "mi.json"), "--json"),
        "mi file": json.loads((tmp_path / "mi.json").read_text("utf-8")),
        "returns": json_of(capsys, "returns", str(book), "--json"),
        "portfolio": json_of(capsys, "portfolio", str(book), "--out",
                             str(tmp_path / "p.xlsx"), "--json"),
    }  # fmt: skip
    for name, data in outputs.items():
        money, _ = check_conventions(data)
        if name != "validate":
            assert money > 0, f"{name}: no money figure checked"
    assert check_conventions(outputs["totals"])[1] > 0
    assert outputs["totals"]["TotalDays"] == "81.0" and outputs["totals"]["TotalNet"] == "52650.00"
    assert ISO_DATE.fullmatch(outputs["totals"]["ContractEnd"])
    assert DAYS.fullmatch(outputs["invoice-check"]["expected"]["days"])


def test_returns_needs_no_flag(capsys, sample: Path, tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copy(sample, book)
    data = json_of(capsys, "returns", str(book), "--json")
    assert len(data["returns"]) == 21  # Oct 2023 .. Jun 2025
    again = json_of(capsys, "returns", str(book), "--json")  # every month is issued now
    assert again["returns"] == []


@pytest.mark.libreoffice
def test_recalc_json_gives_iso_dates_and_true_false(capsys, lo, sample: Path) -> None:
    names = json_of(capsys, "recalc", str(sample), "--json")
    assert names["MasterCheck"] is True
    assert all(isinstance(v, bool) for k, v in names.items() if k.startswith("Check"))
    assert names["StartDate"] == "2023-10-12" and names["ContractEnd"] == "2025-06-30"
    # money, days and ratios as strings, the same as every command (never a float)
    assert names["TotalNet"] == "52650.00" and names["DayRate"] == "650.00"
    assert names["TotalDays"] == "81.0" and names["CapUsedPct"] == "0.9000"
    assert names["MonthsElapsed"] == 21
    assert not [k for k, v in names.items() if isinstance(v, float)]
    for key in MONEY_KEYS & names.keys():
        assert MONEY.fullmatch(names[key]), (key, names[key])
    for key in DAYS_KEYS & names.keys():
        assert DAYS.fullmatch(names[key]), (key, names[key])
