"""How long a person waits for `calloff totals` and `calloff validate --json` on a real-size
contract, against a process that only reads the same file with python-calamine.

Whole processes, as a person runs them (interpreter start, imports, reading, work, printing):
- read: `python -c` that opens the workbook with python-calamine and reads every sheet (the
  floor: nothing can answer faster than the file can be read);
- totals: `calloff totals BOOK`;
- validate, nothing to change: `calloff validate BOOK --json` on a workbook whose Issues sheet
  and highlights already show the result (validated before, nothing edited since): it saves
  nothing;
- validate after a Tracker edit: the same on a copy of that workbook with one Tracker cell
  changed to an unknown area and saved with its cached values (as Excel saves): it writes the
  Issues sheet and a highlight, and saves.
The contract: CON_22889's terms with a cap no tracker reaches, and ROWS valid Tracker rows
(half days, several outcomes, free-text notes, out of date order), built once and not timed;
the workbook is saved with its cached values, as Excel would leave it. Each command runs RUNS
times, the four taking turns (copying the edited workbook is not timed); the median of each is
reported with its ratio to the read. The target (issue 11): totals and validate within 8x.

    python tests/benchmarks/bench_latency.py                  # 500 rows, 7 runs
    python tests/benchmarks/bench_latency.py --rows 107 --runs 11
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench_validate import bench_terms, make_tracker

TARGET = 8.0
READ = (
    "import sys, python_calamine as pc\n"
    "book = pc.CalamineWorkbook.from_path(sys.argv[1])\n"
    "rows = sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)\n"
    "print(rows)\n"
)


def calloff() -> list[str]:
    script = Path(sys.executable).with_name("calloff")
    return [str(script)] if script.exists() else [sys.executable, "-m", "xlsrc.adapters.cli"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def with_cached_values(path: Path, edit: bool = False) -> None:
    """Save `path` as Excel would leave it: every formula with its value (one cell edited)."""
    from xlsrc.edges.fileio.atomic import save_workbook
    from xlsrc.edges.fileio.tracker_writer import load_for_edit
    from xlsrc.model import layout

    wb = load_for_edit(path)
    if edit:
        # An area typed wrong: an error, so validate writes the Issues sheet and a highlight.
        wb[layout.TRACKER].cell(layout.FIRST_DATA_ROW + 10, 3).value = "Atlantis"
    save_workbook(wb, path, backup=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=500)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    read, totals = "read (python-calamine, every sheet)", "calloff totals"
    same, edited = "calloff validate --json, nothing to change", "... after a Tracker edit"
    with tempfile.TemporaryDirectory(prefix="calloff-latency-") as tmp:
        book, first = Path(tmp) / "contract.xlsx", Path(tmp) / "first.xlsx"
        make_tracker(bench_terms(), args.rows, book)
        shutil.copy(book, first)  # as built by openpyxl alone: no cached values, never validated
        with_cached_values(book)
        timed([*calloff(), "validate", str(book), "--json"])  # its Issues sheet is now current
        template = Path(tmp) / "edited-template.xlsx"
        shutil.copy(book, template)
        with_cached_values(template, edit=True)
        first_validate = timed([*calloff(), "validate", str(first), "--json"])
        times: dict[str, list[float]] = {read: [], totals: [], same: [], edited: []}
        for n in range(args.runs):
            times[read].append(timed([sys.executable, "-c", READ, str(book)]))
            times[totals].append(timed([*calloff(), "totals", str(book)]))
            times[same].append(timed([*calloff(), "validate", str(book), "--json"]))
            copy = Path(tmp) / f"edited-{n}.xlsx"
            shutil.copy(template, copy)
            times[edited].append(timed([*calloff(), "validate", str(copy), "--json"]))
    median = {name: statistics.median(t) for name, t in times.items()}
    floor = median[read]
    print(f"{args.rows} Tracker rows, median of {args.runs} runs, Python {sys.version.split()[0]}")
    print()
    print("| command | median (s) | min (s) | max (s) | ratio to read |")
    print("|---|---:|---:|---:|---:|")
    for name, t in times.items():
        ratio = median[name] / floor
        print(f"| {name} | {median[name]:.3f} | {min(t):.3f} | {max(t):.3f} | {ratio:.1f}x |")
    print()
    print(
        f"validate --json on a workbook never validated, without cached values: "
        f"{first_validate:.3f} s ({first_validate / floor:.1f}x)"
    )
    worst = max(median[totals], median[same]) / floor
    print(
        f"target: totals and validate within {TARGET:.0f}x of the read; worst {worst:.1f}x:",
        end=" ",
    )
    print("met" if worst <= TARGET else "NOT met", end="; ")
    print(f"validate that writes: {median[edited] / floor:.1f}x")


if __name__ == "__main__":
    main()
