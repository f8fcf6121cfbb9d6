"""How long a person waits for `calloff totals` and `calloff validate --json` on a real-size
contract, against a process that only reads the same file with python-calamine.

Whole processes, as a person runs them (interpreter start, imports, reading, work, printing):
- read: `python -c` that opens the workbook with python-calamine and reads every sheet (the
  floor: nothing can answer faster than the file can be read);
- totals: `calloff totals BOOK`;
- validate: `calloff validate BOOK --json` (it writes the Issues sheet; after the first run the
  issues are the ones already written, so later runs find nothing to save).
The contract: CON_22889's terms with a cap no tracker reaches, and ROWS valid Tracker rows
(half days, several outcomes, free-text notes, out of date order), built once and not timed.
Each command runs RUNS times, the three taking turns; the median of each is reported with its
ratio to the read. The target (issue 11): both within 8x.

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
    return [str(script)] if script.exists() else [sys.executable, "-m", "xlsrc.cli"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=500)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="calloff-latency-") as tmp:
        book = Path(tmp) / "contract.xlsx"
        make_tracker(bench_terms(), args.rows, book)
        shutil.copy(book, Path(tmp) / "first.xlsx")
        commands = {
            "read (python-calamine, every sheet)": [sys.executable, "-c", READ, str(book)],
            "calloff totals": [*calloff(), "totals", str(book)],
            "calloff validate --json": [*calloff(), "validate", str(book), "--json"],
        }
        first_validate = timed([*calloff(), "validate", str(Path(tmp) / "first.xlsx"), "--json"])
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command))
    median = {name: statistics.median(t) for name, t in times.items()}
    floor = median["read (python-calamine, every sheet)"]
    print(f"{args.rows} Tracker rows, median of {args.runs} runs, Python {sys.version.split()[0]}")
    print()
    print("| command | median (s) | min (s) | max (s) | ratio to read |")
    print("|---|---:|---:|---:|---:|")
    for name, t in times.items():
        ratio = median[name] / floor
        print(f"| {name} | {median[name]:.3f} | {min(t):.3f} | {max(t):.3f} | {ratio:.1f}x |")
    print()
    print(f"validate --json on a workbook not validated before (it saves): {first_validate:.3f} s")
    worst = max(median[n] / floor for n in commands if n.startswith("calloff"))
    print(f"target: within {TARGET:.0f}x of the read; worst {worst:.1f}x:", end=" ")
    print("met" if worst <= TARGET else "NOT met")


if __name__ == "__main__":
    main()
