"""Nothing a person or a file gives calloff is a bug: every entry point, over hostile inputs.

Each case runs the command line in a child process (2 GB, 60 s) and must exit 1 or 2 with a
message, never 3 ("a bug") and never a traceback: numbers in exotic forms or beyond their
limits on the command line and in a terms file, control characters and over-long text, lock
files that are not files, CSV files that would lose what was typed, a Tracker table with a
column gone, and a full disk (`ulimit -f`). Where a workbook is involved, it is unchanged.
"""

from __future__ import annotations

import os
import resource
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from xlsrc.model.terms.loader import default_terms_path

MEMORY = 2 * 2**30
TIMEOUT = 60
RUN = "import sys; from xlsrc.adapters.cli import main; sys.exit(main())"
GOOD_CSV = (
    "Date,Advisor,Area,Activity,Outcomes,Days,Notes\n"
    "02/04/2024,RK-01,Oxfordshire,Deep dive,OX-0,1,a note\n"
)
BY = ("--by", "DfE contract manager")


def _calloff(*args: str, cwd: Path, file_limit: int | None = None) -> subprocess.CompletedProcess:
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        [sys.executable, "-c", RUN, *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=limits,
        cwd=cwd,
    )


def _refused(run: subprocess.CompletedProcess, *codes: int) -> None:
    said = run.stdout + run.stderr
    assert "Traceback" not in said, said
    assert "Exception ignored" not in said, said
    assert run.returncode in (codes or (1, 2)), f"exit {run.returncode}: {said}"
    assert "calloff: " in run.stderr, said


def _day_rate(rate: str) -> list[str]:
    return ["day-rate", "--rate", rate, "--effective", "2024-04-01", "--decided", "2024-03-01"]


def _dpm(days: str) -> list[str]:
    when = ["--effective", "2024-04-01", "--decided", "2024-03-01"]
    return ["days-per-month", "--days-per-month", days, *when]


DECIDE = {
    "huge rate": _day_rate("99999999999999999999"),
    "rate with an exponent": _day_rate("1e3"),
    "rate with an underscore": _day_rate("1_000"),
    "rate NaN": _day_rate("NaN"),
    "rate infinite": _day_rate("inf"),
    "rate at the cap": _day_rate("58500.00"),
    "rate in fractions of a penny": _day_rate("700.001"),
    "days per month 1e9": _dpm("1e9"),
    "days per month over a month's working days": _dpm("24"),
    "control character in the role": ["continue", "--decided", "2024-02-20"],
}


@pytest.mark.parametrize("name", sorted(DECIDE))
def test_decide_refuses_in_one_message(sample, tmp_path, name):
    book = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    before = book.read_bytes()
    by = ("--by", "DfE contract\x01 manager") if "control" in name else BY
    run = _calloff("decide", str(book), *DECIDE[name], *by, cwd=tmp_path)
    _refused(run)
    assert book.read_bytes() == before


def _terms(change: Callable[[str], str]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "terms.toml"
        path.write_text(change(default_terms_path().read_text(encoding="utf-8")), "utf-8")
        return path

    return make


def _set(key: str, value: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        lines = [
            f"{key} = {value}" if ln.startswith(f"{key} = ") else ln for ln in text.split("\n")
        ]
        assert lines != text.split("\n")
        return "\n".join(lines)

    return change


SUPPLIER = 'supplier = "Red Kite'
TERMS = {
    "cap 1e400": _terms(_set("cap", '"1e400"')),
    "cap 1e400 unquoted": _terms(_set("cap", "1e400")),
    "day rate 1e20": _terms(_set("day_rate", '"1e20"')),
    "day rate NaN": _terms(_set("day_rate", "nan")),
    "day rate inf": _terms(_set("day_rate", "inf")),
    "SOH in the supplier": _terms(lambda t: t.replace(SUPPLIER, SUPPLIER + "\\u0001")),
    "NUL in the supplier": _terms(lambda t: t.replace(SUPPLIER, SUPPLIER + "\\u0000")),
    "40,000-character supplier": _terms(lambda t: t.replace(SUPPLIER, SUPPLIER + "x" * 40_000)),
    "start date a number (seconds from 1970 to pydantic)": _terms(_set("start", "86400")),
    "start date digits as text": _terms(_set("start", '"86400"')),
    "nested arrays": _terms(lambda t: t + "\nzzz = " + "[" * 5000 + "]" * 5000 + "\n"),
}


@pytest.mark.parametrize("name", sorted(TERMS))
def test_terms_files_refused_in_one_message(tmp_path, name):
    terms = TERMS[name](tmp_path)
    run = _calloff("build", "--terms", str(terms), "--out", str(tmp_path / "b.xlsx"), cwd=tmp_path)
    _refused(run, 2)
    assert not (tmp_path / "b.xlsx").exists()
    if name.startswith("start date"):  # never read as 02/01/1970
        assert "start: must be a date" in run.stderr and "1970" not in run.stderr, run.stderr


def _lock(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "dangling link":
        path.symlink_to(path.parent / "nowhere" / "x")
    else:  # a pid beyond any process number
        path.write_text(f'{{"pid": {2**70}, "host": "{socket.gethostname()}"}}')


@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling link", "pid 2**70"])
def test_lock_that_is_no_lock_is_refused_then_unlocked(sample, tmp_path, kind):
    book = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    (tmp_path / "in.csv").write_text(GOOD_CSV)
    before = book.read_bytes()
    _lock(kind, tmp_path / ".wb.xlsx.lock")
    run = _calloff("fill", str(book), "--tracker", "in.csv", cwd=tmp_path)  # never hangs
    _refused(run, 2)
    assert "unlock" in run.stderr
    assert book.read_bytes() == before
    unlocked = _calloff("unlock", str(book), cwd=tmp_path)
    assert unlocked.returncode == 0, unlocked.stderr
    assert not os.path.lexists(tmp_path / ".wb.xlsx.lock")
    filled = _calloff("fill", str(book), "--tracker", "in.csv", cwd=tmp_path)
    assert filled.returncode == 0, filled.stderr


CSV = {
    "unknown column": ("Date,Advisor,Area,Activity,Outcomes,Days,Notes,Rate\n", ",700", "column 8"),
    "repeated column": ("Date,Advisor,Area,Activity,Outcomes,Days,Notes,Days\n", ",1", "column 8"),
    "unterminated quote": ("Date,Advisor,Area,Activity,Outcomes,Days,Notes\n", ',"x', "line 2"),
}


@pytest.mark.parametrize("name", sorted(CSV))
def test_csv_that_would_lose_data_is_refused(sample, tmp_path, name):
    header, tail, where = CSV[name]
    row = GOOD_CSV.splitlines()[1]
    body = header + row[: -len(",a note")] + ",a note" + tail + "\n" + row + "\n"
    if name == "unterminated quote":
        body = header + row[: -len(",a note")] + tail + "\n" + row + "\n"
    (tmp_path / "in.csv").write_text(body)
    book = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    before = book.read_bytes()
    run = _calloff("fill", str(book), "--tracker", "in.csv", cwd=tmp_path)
    _refused(run, 2)
    assert where in run.stderr
    assert book.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ("fill", "wb.xlsx", "--tracker", "in.csv"),
        ("validate", "wb.xlsx"),
        ("build", "--out", "new.xlsx"),
        ("tracker", "--advisor", "RK-01", "--out", "t.xlsx"),
        ("return", "wb.xlsx", "--month", "2024-03", "--confirm-incomplete"),
        ("decide", "wb.xlsx", *_day_rate("700.00"), *BY),
    ],
    ids=lambda a: a[0],
)
def test_full_disk_prints_one_line(sample, tmp_path, args):
    book = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    (tmp_path / "in.csv").write_text(GOOD_CSV)
    before = book.read_bytes()
    run = _calloff(*args, cwd=tmp_path, file_limit=64 * 1024)
    _refused(run, 1, 2)
    assert book.read_bytes() == before
