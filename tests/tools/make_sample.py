"""Regenerate the bundled example tracker (xlsrc/data/sample/tracker.csv), deliberately.

Three advisors, all three areas, every month from the start through the break and a 3-month
extension, full and half days, weekdays that are not English bank holidays. Seeded, so a
test can prove the committed file is exactly what this script makes.

    python tests/tools/make_sample.py            # rewrite the CSV
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path

import holidays

from xlsrc.dates import add_months, months_in_range
from xlsrc.terms import load_terms

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "xlsrc" / "data" / "sample"
EXTENSION_MONTHS = 3
SEED = 22889

PLAN = (  # advisor, area, activity, outcomes, days, note, chance per month
    (
        "RK-01",
        "Oxfordshire",
        "SIB / board meeting",
        "OX-0",
        "1",
        "Attended the SIB; challenged the PAP timeline and governance reporting.",
        1.0,
    ),
    (
        "RK-01",
        "Oxfordshire",
        "Deep dive",
        "{pa}",
        "1",
        "APA deep dive: advised on lines of enquiry and next steps.",
        0.8,
    ),
    (
        "RK-01",
        "Oxfordshire",
        "Written report to DfE",
        "OX-0",
        "0.5",
        "Monthly written report on progress against Annex A.",
        0.6,
    ),
    (
        "RK-03",
        "Oxfordshire",
        "Health (NHSE) partners",
        "OX-AI4",
        "0.5",
        "Met NHSE SEND adviser on health waiting times.",
        0.5,
    ),
    (
        "RK-03",
        "Oxfordshire",
        "Work with practitioners",
        "{ai}",
        "0.5",
        "Workshop with practitioners on the area for improvement.",
        0.4,
    ),
    (
        "RK-02",
        "Portsmouth",
        "Work with senior leaders",
        "PM-1",
        "1",
        "Reviewed EHCP timeliness plan and trajectory with leaders.",
        0.9,
    ),
    (
        "RK-02",
        "Medway",
        "DfE / VCU progress review",
        "PM-1",
        "0.5",
        "Progress review: updated VCU on EHCP timeliness.",
        0.8,
    ),
    ("RK-02", "Medway", "Travel", "", "0.5", "", 0.3),
)


def working_days(month: dt.date, first: dt.date, last: dt.date) -> list[dt.date]:
    bank = holidays.country_holidays("GB", subdiv="ENG", years=month.year)
    end = add_months(month, 1)
    days = []
    day = max(month, first)
    while day < end and day <= last:
        if day.weekday() < 5 and day not in bank:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def make_rows() -> list[dict[str, str]]:
    terms = load_terms()
    rng = random.Random(SEED)
    last = add_months(terms.dates.end, EXTENSION_MONTHS)
    pas = [o.id for o in terms.outcomes if o.id.startswith("OX-PA")]
    ais = [o.id for o in terms.outcomes if o.id.startswith("OX-AI")]
    rows = []
    for month in months_in_range(terms.dates.start, last):
        free = {a.id: working_days(month, terms.dates.start, last) for a in terms.advisors}
        for advisor, area, activity, outcomes, days, note, chance in PLAN:
            if rng.random() > chance or not free[advisor]:
                continue
            date = free[advisor].pop(rng.randrange(len(free[advisor])))
            rows.append(
                {
                    "Date": date.isoformat(),
                    "Advisor": advisor,
                    "Area": area,
                    "Activity": activity,
                    "Outcomes": outcomes.format(pa=rng.choice(pas), ai=rng.choice(ais)),
                    "Days": days,
                    "Notes": note,
                }
            )
    rows.sort(key=lambda r: (r["Date"], r["Advisor"], r["Area"]))
    return rows


RAG = ("Red", "Amber", "Green")


def make_progress() -> dict[str, list[dict[str, str]]]:
    """Annex A ratings, EHCP figures, SEN2 and VCU recommendations for every sample month.

    Invented for the example (clearly so): trends that improve with setbacks, so returns show
    every kind of change.
    """
    terms = load_terms()
    rng = random.Random(SEED + 1)
    last = add_months(terms.dates.end, EXTENSION_MONTHS)
    months = months_in_range(terms.dates.start, last)
    annexa, ehcp, vcu = [], [], []
    for area in terms.areas:
        for outcome in terms.outcomes_for(area.code):
            for measure in outcome.measures:
                level = rng.choice((0, 0, 1))
                for i, month in enumerate(months):
                    if i and rng.random() < 0.18:
                        level = min(2, level + 1) if rng.random() < 0.75 else max(0, level - 1)
                    annexa.append(
                        {
                            "Area": area.short,
                            "Outcome": outcome.id,
                            "Measure": measure,
                            "Month": f"{month:%Y-%m}",
                            "Rating": RAG[level],
                        }
                    )
        base = {"OX": 0.12, "PO": 0.42, "ME": 0.30}.get(area.code, 0.3)
        for i, month in enumerate(months):
            issued = rng.randint(28, 64)
            share = min(0.95, base + 0.018 * i + rng.uniform(-0.06, 0.06))
            within = round(issued * share)
            trajectory = round(min(0.9, base + 0.02 * i), 2)
            ehcp.append(
                {
                    "Month": f"{month:%Y-%m}",
                    "Area": area.short,
                    "Issued": str(issued),
                    "Within20": str(within),
                    "Trajectory": f"{trajectory:.2f}",
                    "Note": "Local authority monthly return (sample figures)",
                }
            )
            gap = within / issued - trajectory
            rec = "Sufficient" if gap >= 0 else ("At risk" if gap > -0.05 else "Not sufficient")
            reason = {
                "Sufficient": "Timeliness at or above trajectory; governance through the SIB "
                "is effective.",
                "At risk": "Timeliness just below trajectory; recovery plan agreed, to be "
                "reviewed next month.",
                "Not sufficient": "Timeliness well below trajectory; escalation to VCU "
                "recommended with rapid intervention.",
            }[rec]
            vcu.append(
                {
                    "Month": f"{month:%Y-%m}",
                    "Area": area.short,
                    "Recommendation": rec,
                    "Reason": reason,
                }
            )
    sen2 = [
        {
            "Year": str(year),
            "Area": area.short,
            "Pct": f"{pct:.3f}",
            "Published": f"June {year + 1} (sample figure)",
        }
        for area, figures in zip(
            terms.areas, ((0.10, 0.14), (0.41, 0.47), (0.28, 0.36)), strict=False
        )
        for year, pct in zip((2022, 2023), figures, strict=True)
    ]
    evidence = [
        {
            "Area": r["Area"],
            "Outcome": r["Outcome"],
            "Measure": r["Measure"],
            "Evidence": "SIB minutes and deep-dive notes show the PAP milestones being tracked.",
            "Next steps": "Agree revised milestones at the next SIB; report progress to VCU.",
        }
        for r in annexa
        if r["Month"] == f"{months[-1]:%Y-%m}"
    ]
    return {"annexa": annexa, "evidence": evidence, "ehcp": ehcp, "sen2": sen2, "vcu": vcu}


def render_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def render() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(make_rows()[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(make_rows())
    return out.getvalue()


def render_manifest() -> str:
    return (
        "# The bundled example: a tracker for CON_22889 run past the break and through a\n"
        "# 3-month extension. `calloff demo` applies it to a freshly built workbook.\n"
        'terms = "bundled"\n'
        'tracker = "tracker.csv"\n'
        "\n"
        "# Progress inputs for the monthly returns (invented sample figures).\n"
        "[progress]\n"
        'annexa = "annexa.csv"\n'
        'evidence = "evidence.csv"\n'
        'ehcp = "ehcp.csv"\n'
        'sen2 = "sen2.csv"\n'
        'vcu = "vcu.csv"\n'
        "\n"
        "# The contract decisions the example assumes (recorded with `calloff decide`): the"
        " Department\n"
        f"# continued past the break and extended the contract by {EXTENSION_MONTHS} months.\n"
        "[[decisions]]\n"
        "decided = 2024-02-20\n"
        'kind = "continue"\n'
        'by = "DfE contract manager"\n'
        "\n"
        "[[decisions]]\n"
        "decided = 2025-02-10\n"
        'kind = "extend"\n'
        f"months = {EXTENSION_MONTHS}\n"
        "notice = 2025-02-10\n"
        'by = "DfE contract manager"\n'
    )


if __name__ == "__main__":
    SAMPLE_DIR.mkdir(parents=True, exist_ok=True)
    (SAMPLE_DIR / "tracker.csv").write_text(render(), encoding="utf-8")
    (SAMPLE_DIR / "sample.toml").write_text(render_manifest(), encoding="utf-8")
    for name, rows in make_progress().items():
        (SAMPLE_DIR / f"{name}.csv").write_text(render_csv(rows), encoding="utf-8")
    sys.exit(0)
