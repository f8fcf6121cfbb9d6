"""How much slower than just reading the file is `calloff validate` + totals?

For each size, a tracker of valid rows (realistic: half days, several outcomes, free-text
notes, out of date order) is written into a freshly built workbook, not timed. Then, in this
one run, best of 3, the two taking turns in one interpreter with the project imported:
- calamine read: python-calamine opens the file and reads the Tracker table (the floor:
  nothing can check rows faster than they can be read);
- validate + totals: load_workbook_data + validate + compute_totals (what `calloff validate`
  and `calloff totals` do before printing).
Peak memory (ru_maxrss) of each is measured once in a fresh subprocess. Prints a Markdown table.

    python tests/benchmarks/bench_validate.py                   # 1k, 10k, 100k rows
    python tests/benchmarks/bench_validate.py --sizes 1000,10000 --workdir /tmp/bench

Not a pytest test (its name does not start with test_): it takes minutes at 100k rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import python_calamine as pc

if TYPE_CHECKING:
    from xlsrc.model.terms.models import Terms

# The project is imported inside functions, so the "read" child process pays only for
# python-calamine and its peak memory is the reader's alone.
TRACKER_TABLE = "Tracker"

START, END = dt.date(2000, 1, 4), dt.date(2024, 12, 31)
TODAY = dt.date(2025, 1, 31)
ADVISORS = 20  # 20 advisors x ~6,300 working days: room for 100k rows at most 1 day a date
REPEATS = 3


def bench_terms() -> Terms:
    """CON_22889's terms with a 25-year term, more advisors and a cap no tracker reaches."""
    from xlsrc.model.terms import load_terms
    from xlsrc.model.terms.models import Terms

    data = load_terms().model_dump(by_alias=True)
    data["dates"].update(order=START, start=START, end=END, **{"break": None})
    data["money"]["cap"] = Decimal("1000000000.00")
    data["advisors"] = [{"id": f"RK-{n:02d}", "role": "Adviser"} for n in range(1, ADVISORS + 1)]
    return Terms.model_validate(data)


def tracker_rows(terms: Terms, n: int, seed: int = 1) -> list[tuple[object, ...]]:
    """n valid rows, shuffled: working days only, whole days or a day split in halves."""
    import holidays

    rng = random.Random(seed)
    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(START.year, END.year + 1))
    days = [
        d
        for i in range((END - START).days + 1)
        if (d := START + dt.timedelta(i)).weekday() < 5 and d not in bank
    ]
    advisors = [a.id for a in terms.advisors]
    outcomes = {a.short: [o.id for o in terms.outcomes_for(a.code)] for a in terms.areas}
    work = [a for a in terms.activities if a != "Travel"]
    rows: list[tuple[object, ...]] = []
    for day in days:
        for advisor in advisors:
            halves = rng.random() < 0.3
            for activity in rng.sample(work, 2 if halves else 1):
                area = rng.choice(terms.areas).short
                ids = ", ".join(
                    rng.sample(outcomes[area], min(rng.randint(1, 2), len(outcomes[area])))
                )
                notes = _notes(rng, len(rows))
                rows.append((day, advisor, area, activity, ids, 0.5 if halves else 1, notes))
                if len(rows) == n:
                    rng.shuffle(rows)  # people do not type in date order
                    return rows
    raise SystemExit(f"the bench term has room for {len(rows)} rows, fewer than {n}")


TOPICS = ("EHCP timeliness", "the SEF", "AP commissioning", "the DBV plan", "co-production")


def _notes(rng: random.Random, n: int) -> str | None:
    """Half the rows blank, some stock phrases, the rest free text seen once (as people type)."""
    kind = rng.random()
    if kind < 0.5:
        return None
    if kind < 0.7:
        return rng.choice(["Agreed next steps with the lead", "Follow-up", "See report"])
    return f"Session {n}: reviewed {rng.choice(TOPICS)}, {rng.randint(2, 9)} actions agreed"


def make_tracker(terms: Terms, n: int, path: Path) -> None:
    from xlsrc.edges.workbook.builder import build_workbook
    from xlsrc.model import layout

    wb = build_workbook(terms, "benchmark terms", tracker_capacity=n)
    ws = wb[layout.TRACKER]
    for r, values in enumerate(tracker_rows(terms, n), start=layout.FIRST_DATA_ROW):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(r, c, value)
    wb.save(path)


# --- What is timed ---------------------------------------------------------------------------


def calamine_read(path: Path) -> int:
    book = pc.CalamineWorkbook.from_path(str(path), load_tables=True)
    return len(book.get_table_by_name(TRACKER_TABLE).to_python())


def validate_and_total(path: Path) -> int:
    from xlsrc.actions.workbook_data import load_workbook_data
    from xlsrc.core.totals import compute_totals

    data = load_workbook_data(path)
    checked = data.validate(TODAY)
    compute_totals(data.terms, checked.entries)
    return len(checked.issues)


TASKS: dict[str, Callable[[Path], int]] = {"read": calamine_read, "ours": validate_and_total}


def best_of(tasks: list[Callable[[Path], int]], path: Path) -> list[tuple[float, int]]:
    """Best time and result of each task over REPEATS rounds, the tasks taking turns so a
    drift in the machine's speed touches them alike."""
    times: list[list[float]] = [[] for _ in tasks]
    results = [0] * len(tasks)
    for _ in range(REPEATS):
        for n, task in enumerate(tasks):
            began = time.perf_counter()
            results[n] = task(path)
            times[n].append(time.perf_counter() - began)
    return [(min(t), r) for t, r in zip(times, results, strict=True)]


def in_child(task: str, path: Path) -> str:
    """Run `task` on `path` in a fresh interpreter; what it printed."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", task, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def peak_mb(task: str, path: Path) -> float:
    """Peak resident memory of a fresh interpreter doing `task` once (imports included).

    Linux carries a parent's ru_maxrss over into the child it forks, so this is called while
    this process is still small: before any tracker is generated or read here.
    """
    return int(in_child(task, path).split()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def child(task: str, path: Path) -> None:
    if task == "make":
        make_tracker(bench_terms(), int(path.stem.rsplit("-", 1)[1]), path)
        return
    TASKS[task](path)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated rows")
    parser.add_argument("--workdir", type=Path, help="keep (and reuse) generated trackers here")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return

    folder = args.workdir or Path(tempfile.mkdtemp(prefix="bench-validate-"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = {n: folder / f"tracker-{n}.xlsx" for n in (int(s) for s in args.sizes.split(","))}
    # 1. Generate (in a child process, so this one stays small), 2. peak memory, 3. timings.
    for path in paths.values():
        if not path.exists():
            began = time.perf_counter()
            in_child("make", path)
            print(f"generated {path} in {time.perf_counter() - began:.0f}s", file=sys.stderr)
    peaks = {n: (peak_mb("read", path), peak_mb("ours", path)) for n, path in paths.items()}
    table = [
        "| rows | calamine read (s) | validate + totals (s) | ratio | peak MB (read) |"
        " peak MB (ours) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    # Both are timed in the same interpreter state: with the project imported, the collector
    # has more objects to look at during the read as well.
    import xlsrc.actions.workbook_data
    import xlsrc.core.totals  # noqa: F401

    for n, path in paths.items():
        (read_s, rows), (ours_s, issues) = best_of([calamine_read, validate_and_total], path)
        if rows != n or issues:
            print(f"warning: {n} rows: read {rows} rows, {issues} issue(s)", file=sys.stderr)
        table.append(
            f"| {n:,} | {read_s:.3f} | {ours_s:.3f} | {ours_s / read_s:.2f}x"
            f" | {peaks[n][0]:.0f} | {peaks[n][1]:.0f} |"
        )
    print("\n".join(table))


if __name__ == "__main__":
    main()
