# ruff: noqa: E501  (the command table reads best one command a line)
"""How long each writing command takes on a real-size contract, as ratios to a python-calamine
read of the same file, in one run (issue 23, item 7). Not a timed test: it prints a table.

The contract: tests/benchmarks/bench_latency.py's (ROWS valid Tracker rows, saved with its
cached values and validated once). Whole processes, as a person runs them, each on a fresh
copy (copying is not timed), the commands taking turns, RUNS times; the median is reported,
of the wall time and of the CPU time (user + system, of the process and its children): on a
machine others are using, the CPU ratio moves less than the wall ratio.
- validate after an edit: one Tracker cell retyped inside the file's XML, no recalculation
  (what the issue's "Done when" names);
- fill of one row, import of one advisor's file (one row), decide (a day rate from a future
  month), return without PDF (the contract's last month, signed off, --confirm-incomplete);
- never validated: the workbook as openpyxl alone saves it (no cached values).
A command that refuses (exit 2; or exit 1 from any command but validate, for which it means
errors found) is reported with its message, not timed.

    python tests/benchmarks/bench_writes.py                  # 500 rows, 3 runs
    python tests/benchmarks/bench_writes.py --rows 107 --runs 5
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench_latency import READ, calloff, with_cached_values
from tests.benchmarks.bench_validate import bench_terms, make_tracker
from tests.signoff_helpers import sign_off

ROW = "Date,Advisor,Area,Activity,Outcomes,Days,Notes\n02/12/2024,RK-01,Medway,Deep dive,PM-1,1,bench\n"


def retype_tracker_cell(path: Path, row: int = 15) -> None:
    """Column C of `row` retyped to an unknown area inside the sheet's XML (no recalculation)."""
    tmp = path.with_suffix(".edit")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        tracker = _tracker_part(src)
        for info in src.infolist():
            body = src.read(info)
            if info.filename == tracker:
                body, n = re.subn(
                    rb'<c r="C%d"( s="\d+")?[^>]*?(?:/>|>.*?</c>)' % row,
                    lambda m: (
                        b'<c r="C%d"%s t="inlineStr"><is><t>Atlantis</t></is></c>'
                        % (row, m[1] or b"")
                    ),
                    body,
                    count=1,
                    flags=re.S,
                )
                assert n == 1
            dst.writestr(info, body)
    tmp.replace(path)


def _tracker_part(archive: zipfile.ZipFile) -> str:
    from xlsrc.edges.workbook.structure import sheets

    return sheets(archive)["Tracker"]


def run(command: list[str], ok: tuple[int, ...]) -> tuple[float, float, str | None]:
    """Wall seconds, CPU seconds and, for a command that refused (an exit not in `ok`), its
    last line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if done.returncode not in ok:
        lines = (done.stderr or done.stdout).decode().strip().splitlines()
        return elapsed, cpu, lines[-1] if lines else f"exit {done.returncode}"
    return elapsed, cpu, None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="calloff-writes-") as tmp_name:
        tmp = Path(tmp_name)
        book, bare = tmp / "contract.xlsx", tmp / "bare.xlsx"
        make_tracker(bench_terms(), args.rows, book)
        shutil.copy(book, bare)  # as openpyxl alone saves it: never validated, no cached values
        sign_off(book, "2024-11")  # the return below is issued only once signed off
        with_cached_values(book)
        subprocess.run([*calloff(), "validate", str(book)], capture_output=True, check=False)
        edited = tmp / "edited.xlsx"
        shutil.copy(book, edited)
        retype_tracker_cell(edited)
        csv = tmp / "row.csv"
        csv.write_text(ROW, encoding="utf-8")
        advisor = tmp / "RK-01.xlsx"
        subprocess.run(
            [
                *calloff(),
                "tracker",
                "--advisor",
                "RK-01",
                "--from",
                str(book),
                "--out",
                str(advisor),
            ],
            capture_output=True,
            check=False,
        )
        subprocess.run(
            [*calloff(), "fill", str(advisor), "--tracker", str(csv)], capture_output=True
        )
        target = tmp / "target.xlsx"
        commands: dict[str, tuple[Path, Callable[[Path], list[str]]]] = {
            "read (python-calamine, every sheet)": (book, lambda p: [sys.executable, "-c", READ, str(p)]),
            "validate --json after a Tracker edit": (edited, lambda p: [*calloff(), "validate", str(p), "--json"]),
            "fill (one row)": (book, lambda p: [*calloff(), "fill", str(p), "--tracker", str(csv)]),
            "import (one advisor's file, one row)": (book, lambda p: [*calloff(), "import", str(p), str(advisor)]),
            "decide (day rate)": (
                book,
                lambda p: [
                    *calloff(), "decide", str(p), "day-rate", "--rate", "700.00",
                    "--effective", "2024-12-01", "--decided", "2024-11-01", "--by", "DfE contract manager",
                ],
            ),
            "return (no PDF)": (book, lambda p: [*calloff(), "return", str(p), "--month", "2024-11", "--confirm-incomplete"]),
            "validate --json, never validated (no cached values)": (bare, lambda p: [*calloff(), "validate", str(p), "--json"]),
        }  # fmt: skip
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        refused: dict[str, str] = {}
        for _ in range(args.runs):
            for name, (source, make) in commands.items():
                if name in refused:
                    continue
                shutil.copy(source, target)
                ok = (0, 1) if name.startswith("validate") else (0,)
                elapsed, cpu, why = run(make(target), ok)
                if why is not None:
                    refused[name] = why
                else:
                    times[name].append(elapsed)
                    cpus[name].append(cpu)
    read = statistics.median(times["read (python-calamine, every sheet)"])
    read_cpu = statistics.median(cpus["read (python-calamine, every sheet)"])
    print(f"{args.rows} Tracker rows, median of {args.runs} runs, Python {sys.version.split()[0]}")
    print()
    print("| command | median (s) | min (s) | ratio to read | CPU (s) | CPU ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, t in times.items():
        if name in refused:
            print(f"| {name} | refused: {refused[name]} | | | | |")
            continue
        median, cpu = statistics.median(t), statistics.median(cpus[name])
        print(
            f"| {name} | {median:.3f} | {min(t):.3f} | {median / read:.1f}x"
            f" | {cpu:.3f} | {cpu / read_cpu:.1f}x |"
        )


if __name__ == "__main__":
    main()
