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
        f"extension_months = {EXTENSION_MONTHS}\n"
        'tracker = "tracker.csv"\n'
    )


if __name__ == "__main__":
    SAMPLE_DIR.mkdir(parents=True, exist_ok=True)
    (SAMPLE_DIR / "tracker.csv").write_text(render(), encoding="utf-8")
    (SAMPLE_DIR / "sample.toml").write_text(render_manifest(), encoding="utf-8")
    sys.exit(0)
