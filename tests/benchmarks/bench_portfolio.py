"""How much slower than just reading the files is `calloff portfolio`?

Generates (once; reused from --workdir) contract workbooks of realistic size: each its own
terms (1-3 areas, cap £30k-£150k, day rate £550-£750, 12-24 month term, some with a break),
a tracker of 3-10 days a month up to the month before "today" (2025-07-15), Annex A ratings,
EHCP figures and VCU recommendations every month, a few risks (some escalated), an invoice
for most months (a few a penny out) and the month's return issued (Return sheet + Audit row)
for all but the latest months. Then times, best of 3, the tasks taking turns, in this one run:

- calamine read: python-calamine opens each file and reads every worksheet into Python, one
  file after another in this process (the floor: "only reading the same files");
- portfolio: `xlsrc.actions.portfolio.portfolio` on the files (read, validate, total, check
  invoices, sort, write the summary workbook), two worker processes: the ratio is its time
  over the calamine read's;
- for reference: the calamine read spread over two processes, and the portfolio with one.

    python tests/benchmarks/bench_portfolio.py                        # 50 and 500 workbooks
    python tests/benchmarks/bench_portfolio.py --counts 50,100,500 --workdir /tmp/bench-pf

Each count uses the first N workbooks of the same generated set. Not a pytest test (its name
does not start with test_): generating 500 workbooks takes minutes. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import python_calamine as pc

if TYPE_CHECKING:
    from xlsrc.model.terms.models import Terms

TODAY = dt.date(2025, 7, 15)
REPEATS = 3
WORKERS = 2
GENERATOR_VERSION = 1  # bump to regenerate cached workbooks
AREA_SETS = (["OX"], ["PO"], ["ME"], ["OX", "PO"], ["PO", "ME"], ["OX", "PO", "ME"])
NOTES = (
    None,
    None,
    "Agreed next steps with the SEND lead.",
    "Reviewed the SEF and the written statement of action.",
    "Follow-up on EHCP timeliness with the area team.",
    "Board meeting: challenged the recovery plan milestones.",
)


# --- Generating the workbooks (not timed) ----------------------------------------------------


def contract_terms(n: int, rng: random.Random) -> Terms:
    from xlsrc.model.dates import add_months
    from xlsrc.model.terms import load_terms
    from xlsrc.model.terms.models import Terms

    data = load_terms().model_dump(by_alias=True)
    cid = f"CON_{30000 + n}"
    data["contract"].update(
        id=cid,
        reference=f"{cid} SEND advisory support, lot {n % 7 + 1}",
        supplier=rng.choice(["Red Kite", "Blue Heron", "Kestrel", "Osprey", "Merlin"])
        + f" Advisory {n} Ltd",
    )
    start = TODAY - dt.timedelta(days=rng.randint(60, 900))
    months = rng.choice([12, 18, 24])
    end = add_months(start, months) - dt.timedelta(days=1)
    brk = add_months(start, months // 2) - dt.timedelta(days=1) if rng.random() < 0.5 else None
    data["dates"].update(order=start, start=start, end=end)
    data["dates"]["break"] = brk
    rate = Decimal(rng.randrange(550, 751, 25))
    cap = Decimal(rng.randrange(30000, 150001, 500))
    keep = rng.choice(AREA_SETS)
    data["areas"] = [a for a in data["areas"] if a["code"] in keep]
    for a in data["areas"]:
        a["days_allocated"] = (cap / rate / len(keep) * Decimal("0.9")).quantize(Decimal(1))
    for o in data["outcomes"]:
        o["areas"] = [a for a in o["areas"] if a in keep]
    data["outcomes"] = [o for o in data["outcomes"] if o["areas"]]
    data["money"].update(cap=cap, day_rate=rate)
    return Terms.model_validate(data)


def make_workbook(n: int, path: Path) -> None:
    """One contract workbook, as it would look after months of use."""
    from xlsrc.actions.monthly_return import audit_row, plan_returns
    from xlsrc.core.returns.sheet import describe
    from xlsrc.edges.fileio import progress_writer
    from xlsrc.edges.fileio.atomic import save_workbook
    from xlsrc.edges.fileio.audit_writer import append_audit
    from xlsrc.edges.fileio.reader import open_book
    from xlsrc.edges.fileio.sheet_writer import add_sheet
    from xlsrc.edges.fileio.tracker_writer import append_entries, load_for_edit
    from xlsrc.edges.workbook.builder import build_workbook
    from xlsrc.edges.workbook.cells import put
    from xlsrc.edges.workbook.sheets import annexa, risks
    from xlsrc.model import layout
    from xlsrc.model.dates import add_months, month_start, months_in_range
    from xlsrc.model.entry import Entry
    from xlsrc.model.money import line_cost, vat_on

    rng = random.Random(n)
    terms = contract_terms(n, rng)
    last = min(month_start(terms.contract_end), add_months(month_start(TODAY), -1))
    months = months_in_range(terms.dates.start, last)
    over_cap = rng.random() < 0.05  # a few contracts run past their cap
    entries: list[Entry] = []
    spent = Decimal(0)
    over_from: dt.date | None = None  # the first month past the cap: no return can follow
    for month in months:
        days = [
            d
            for i in range(31)
            if (d := month + dt.timedelta(days=i)).month == month.month
            and d.weekday() < 5
            and terms.dates.start <= d <= min(TODAY, terms.contract_end)
        ]
        for day in sorted(rng.sample(days, min(len(days), rng.randint(3, 10)))):
            area = rng.choice(terms.areas)
            outcomes = [o.id for o in terms.outcomes_for(area.code)]
            size = Decimal("0.5") if rng.random() < 0.3 else Decimal(1)
            cost = line_cost(size, terms.money.day_rate)
            if not over_cap and spent + cost > terms.money.cap * Decimal("0.97"):
                break
            spent += cost
            if spent > terms.money.cap and over_from is None:
                over_from = month
            entries.append(
                Entry(
                    day,
                    rng.choice(terms.advisors).id,
                    area.short,
                    rng.choice([a for a in terms.activities if a != "Travel"]),
                    size,
                    tuple(rng.sample(outcomes, min(len(outcomes), rng.randint(1, 2)))),
                    rng.choice(NOTES) or "",
                )
            )
    wb = build_workbook(terms, "benchmark terms")
    append_entries(wb, entries)
    matrix = annexa.matrix_rows(terms)
    colours = ("Red", "Amber", "Green")
    progress_writer.write_ratings(
        wb,
        (
            {
                "Month": f"{m:%Y-%m}",
                "Area": r[0],
                "Outcome": r[1],
                "Measure": r[4],
                "Rating": colours[min(2, max(0, int(k * 3 / len(months) + rng.random() - 0.3)))],
            }
            for k, m in enumerate(months)
            for r in matrix
        ),
    )
    progress_writer.write_ehcp(
        wb,
        (
            {
                "Month": f"{m:%Y-%m}",
                "Area": a.short,
                "Issued": str(issued),
                "Within20": str(rng.randint(0, issued)),
                "Trajectory": "0.5",
                "Note": "Local authority monthly return",
            }
            for m in months
            for a in terms.areas
            if (issued := rng.randint(20, 80))
        ),
    )
    progress_writer.write_keyed(
        wb,
        layout.VCU,
        layout.VCU_TABLE,
        ("Month", "Area"),
        (
            {
                "Month": f"{m:%Y-%m}",
                "Area": a.short,
                "Recommendation": (rec := rng.choice(layout.RECOMMENDATIONS)),
                "Reason": f"{rec}: timeliness against the trajectory this month.",
            }
            for m in months
            for a in terms.areas
        ),
    )
    ws = wb[layout.RISKS]
    for k in range(rng.randint(0, 3)):
        r = layout.FIRST_DATA_ROW + 3 + k
        values = {
            "ID": f"R-{4 + k:02d}",
            "Risk": "Capacity in the area team to act on the advice.",
            "Area": rng.choice(terms.areas).short,
            "Likelihood (1-5)": rng.randint(1, 5),
            "Impact (1-5)": rng.randint(1, 5),
            "Owner (role)": terms.risk_owner_roles[0],
            "Escalate to VCU": "Yes" if rng.random() < 0.2 else "No",
            "Status": rng.choice(["Open", "Monitoring", "Closed"]),
        }
        for header, value in values.items():
            put(ws, r, risks.HEADERS.index(header) + 1, value)
    by_month: dict[dt.date, Decimal] = {}
    for e in entries:
        m = month_start(e.date)
        by_month[m] = by_month.get(m, Decimal(0)) + line_cost(e.days, terms.money.day_rate)
    ws = wb[layout.INVOICES]
    invoiced = [m for m in months[:-1] if m in by_month]
    wrong = rng.choice(invoiced) if invoiced and rng.random() < 0.05 else None  # a penny out
    for r, m in enumerate(invoiced, start=layout.FIRST_DATA_ROW):
        net = by_month[m] + (Decimal("0.01") if m == wrong else 0)
        vat = vat_on(net, terms.money.vat_rate)
        for c, value in enumerate((m, f"INV-{n}-{r}", float(net), float(vat), float(net + vat))):
            put(ws, r, c + 1, value)
    draft = path.with_name(f"draft-{path.name}")  # a file half made is never taken as done
    save_workbook(wb, draft)
    # The returns, as `calloff return` issues them, for all but the latest 0-2 months (and
    # none from a month past the cap: a return refuses a month with tracker errors).
    to_return = months[: len(months) - rng.randint(0, 2)]
    to_return = [m for m in to_return if over_from is None or m < over_from]
    if to_return:
        built, _ = plan_returns(open_book(draft), to_return, today=TODAY)
        wb = load_for_edit(draft)
        for ret in built:
            add_sheet(wb, describe(ret), before=layout.LISTS)
            issued = add_months(ret.month, 1) + dt.timedelta(days=rng.randint(2, 20))
            append_audit(wb, audit_row(ret, f"{min(issued, TODAY)} 09:00:00 UTC"))
        save_workbook(wb, draft)
    draft.replace(path)


def generate(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"contract-{GENERATOR_VERSION}-{n:04d}.xlsx" for n in range(count)]
    for draft in folder.glob("draft-*.xlsx"):  # left by an interrupted run
        draft.unlink()
    todo = [(n, p) for n, p in enumerate(paths) if not p.exists()]
    if todo:
        began = time.perf_counter()
        with ProcessPoolExecutor(WORKERS) as pool:
            for done, _ in enumerate(pool.map(_make, todo, chunksize=4), start=1):
                if done % 50 == 0:
                    print(f"  generated {done}/{len(todo)}", file=sys.stderr)
        print(f"generated {len(todo)} in {time.perf_counter() - began:.0f}s", file=sys.stderr)
    return paths


def _make(job: tuple[int, Path]) -> None:
    make_workbook(*job)


# --- What is timed ---------------------------------------------------------------------------


def calamine_read(path: Path) -> int:
    book = pc.CalamineWorkbook.from_path(str(path))
    return sum(len(book.get_sheet_by_name(s).to_python()) for s in book.sheet_names)


def read_all_calamine(paths: list[Path]) -> int:
    return sum(map(calamine_read, paths))


def read_all_calamine_2(paths: list[Path]) -> int:
    with ProcessPoolExecutor(WORKERS) as pool:
        return sum(pool.map(calamine_read, paths, chunksize=8))


def roll_up(paths: list[Path], out: Path, workers: int = WORKERS) -> int:
    from xlsrc.actions.portfolio import portfolio

    report = portfolio(paths, out=out, today=TODAY, progress=False, workers=workers)
    return len(report.lines)


def best_of(tasks: list[Callable[[], int]], repeats: int) -> list[tuple[float, int]]:
    times: list[list[float]] = [[] for _ in tasks]
    results = [0] * len(tasks)
    for _ in range(repeats):
        for n, task in enumerate(tasks):
            began = time.perf_counter()
            results[n] = task()
            times[n].append(time.perf_counter() - began)
    return [(min(t), r) for t, r in zip(times, results, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="50,500", help="comma-separated workbook counts")
    parser.add_argument("--workdir", type=Path, help="keep (and reuse) generated workbooks here")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args()
    counts = sorted(int(c) for c in args.counts.split(","))
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="bench-portfolio-"))
    paths = generate(folder, max(counts))
    sizes = [p.stat().st_size for p in paths]
    print(
        f"{len(paths)} workbooks, {statistics.mean(sizes) / 1024:.0f} KB on average"
        f" ({min(sizes) / 1024:.0f}-{max(sizes) / 1024:.0f} KB); {os.cpu_count()} CPU(s)",
        file=sys.stderr,
    )
    import xlsrc.actions.portfolio  # noqa: F401 - imported before timing, as the CLI would

    out = Path(tempfile.mkdtemp(prefix="bench-portfolio-out-")) / "portfolio.xlsx"
    table = [
        "| workbooks | calamine read (s) | portfolio (s) | **ratio** | per workbook (ms)"
        " | calamine read, 2 processes (s) | portfolio, 1 process (s) | ratio, 1 process each |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count in counts:
        chosen = paths[:count]
        (read_s, _), (ours_s, summarised), (read2_s, _), (ours1_s, _) = best_of(
            [
                lambda c=chosen: read_all_calamine(c),
                lambda c=chosen: roll_up(c, out),
                lambda c=chosen: read_all_calamine_2(c),
                lambda c=chosen: roll_up(c, out, workers=1),
            ],
            args.repeats,
        )
        if summarised != count:
            print(f"warning: {count} workbooks, {summarised} summarised", file=sys.stderr)
        table.append(
            f"| {count} | {read_s:.2f} | {ours_s:.2f} | **{ours_s / read_s:.2f}x**"
            f" | {ours_s / count * 1000:.1f} | {read2_s:.2f} | {ours1_s:.2f}"
            f" | {ours1_s / read_s:.2f}x |"
        )
    print("\n".join(table))


if __name__ == "__main__":
    main()
