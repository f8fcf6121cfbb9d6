"""What do cached values cost when saving? A workbook with an N-row Tracker, saved two ways in
this one run, best of 3:
- openpyxl save: `wb.save` alone (formula cells written empty, the baseline);
- calloff save: `xlsrc.edges.formulas.cache.package` (every formula computed in Python, then written
  with its cached value) - what every command's save does.
Prints a Markdown table with the ratio.

    python tests/benchmarks/bench_save.py                  # 400, 2000, 10000 rows
    python tests/benchmarks/bench_save.py --sizes 400
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import time

from xlsrc.edges.formulas.cache import package
from xlsrc.edges.workbook.builder import build_workbook
from xlsrc.model import layout
from xlsrc.model.entry import INPUT_COLUMNS
from xlsrc.model.terms import load_terms

REPEATS = 3


def workbook(rows: int):
    terms = load_terms()
    wb = build_workbook(terms, tracker_capacity=max(rows, layout.TRACKER_CAPACITY))
    ws = wb[layout.TRACKER]
    areas = [a.short for a in terms.areas]
    day = terms.dates.start
    for i in range(rows):
        r = layout.FIRST_DATA_ROW + i
        values = {
            "Date": day + dt.timedelta(days=i % 400),
            "Advisor": terms.advisors[i % len(terms.advisors)].id,
            "Area": areas[i % len(areas)],
            "Activity": "Travel",
            "Outcomes": None,
            "Days": 0.5 if i % 3 else 1,
            "Notes": f"note {i}",
        }
        for c, name in enumerate(INPUT_COLUMNS, start=1):
            ws.cell(r, c).value = values[name]
    return wb


def best(fn) -> float:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="400,2000,10000")
    args = ap.parse_args()
    print("| Tracker rows | openpyxl save (s) | calloff save, cached values (s) | ratio |")
    print("| ---: | ---: | ---: | ---: |")
    for n in (int(s) for s in args.sizes.split(",")):
        wb = workbook(n)
        plain = best(lambda wb=wb: wb.save(io.BytesIO()))
        cached = best(lambda wb=wb: package(wb))
        print(f"| {n:,} | {plain:.3f} | {cached:.3f} | {cached / plain:.2f} |")


if __name__ == "__main__":
    main()
