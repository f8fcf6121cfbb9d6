"""Regenerate the bundled example tracker (xlsrc/edges/sample_data/sample/tracker.csv),
deliberately.

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

from xlsrc.model.dates import add_months, months_in_range
from xlsrc.model.terms import load_terms

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "xlsrc" / "edges" / "sample_data" / "sample"
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
            "Published on": {2022: "2023-06-15", 2023: "2024-06-13"}[year],
            "Source / note": "SEN2 (sample figure)",
        }
        for area, figures in zip(
            terms.areas, ((0.10, 0.14), (0.41, 0.47), (0.28, 0.36)), strict=False
        )
        for year, pct in zip((2022, 2023), figures, strict=True)
    ]
    return _agreeing(
        {
            "annexa": annexa,
            "ehcp": ehcp,
            "sen2": sen2,
            "vcu": vcu,
            **make_report_inputs(terms, months),
        }
    )


REASONS = {
    "Sufficient": "Timeliness at or above trajectory; governance through the SIB is effective.",
    "At risk": "Timeliness just below trajectory; recovery plan agreed, to be reviewed next month.",
    "Not sufficient": "Timeliness well below trajectory; escalation to VCU recommended with "
    "rapid intervention.",
}


def _agreeing(progress: dict[str, list[dict[str, str]]]) -> dict[str, list[dict[str, str]]]:
    """A well-kept contract: each month's recommendation and summary judgement agree with
    the area's Annex A roll-up (xlsrc.core.returns.consistency finds nothing to flag), so
    every month's return issues. Contradictory months live in the tests."""
    from xlsrc.core.returns.consistency import tone
    from xlsrc.core.returns.rollup import worst

    ratings: dict[tuple[str, str], list[str]] = {}
    for row in progress["annexa"]:
        ratings.setdefault((row["Month"], row["Area"]), []).append(row["Rating"])
    rolled = {key: worst(values) for key, values in ratings.items()}
    recommended = {}
    for row in progress["vcu"]:
        key = (row["Month"], row["Area"])
        rating, rec = rolled.get(key, ""), row["Recommendation"]
        if (rec == "Sufficient" and rating == "Red") or (
            rec == "Not sufficient" and rating == "Green"
        ):
            row["Recommendation"], row["Reason"] = "At risk", REASONS["At risk"]
        recommended[key] = row["Recommendation"]
    for row in progress["report"]:
        key = (row["Month"], row["Area"])
        said = tone(row["Summary judgement"])
        if said == "positive" and (
            rolled.get(key) == "Red" or recommended.get(key) == "Not sufficient"
        ):
            row["Summary judgement"] = "Progress is slower than planned; recovery actions agreed."
        elif said == "negative" and recommended.get(key) == "Sufficient":
            row["Summary judgement"] = "Progress is steady against the plan; risks are managed."
    return progress


EVIDENCE = {  # outcome kind -> (evidence, next steps), with {month} filled in
    "overarching": (
        "SIB minutes for {month} show PAP milestones tracked and challenged by partners.",
        "Agree revised PAP milestones at the next SIB; report progress to VCU.",
    ),
    "priority action": (
        "Deep-dive notes for {month}: lines of enquiry agreed, progress against the action "
        "recorded.",
        "Follow up the deep dive's lines of enquiry with the action's lead officer.",
    ),
    "area for improvement": (
        "Practitioner workshop and stocktake notes for {month} record progress.",
        "Agree the next improvement step with the partnership's lead for this area.",
    ),
    "EHCP timeliness and quality": (
        "Local authority timeliness data for {month} reviewed with leaders against the trajectory.",
        "Review the recovery plan's actions at next month's progress meeting.",
    ),
}
# area, plan, action, due (months from the start), completed (months late; None: not yet)
IMPROVEMENT_PLAN = (
    (
        "Oxfordshire",
        "Priority Action Plan",
        "PA1: co-production charter agreed with the parent carer forum",
        2,
        0,
    ),
    ("Oxfordshire", "Priority Action Plan", "PA2: partnership communication plan published", 4, 1),
    (
        "Oxfordshire",
        "Priority Action Plan",
        "PA3: EHC plan quality assurance framework in use",
        5,
        2,
    ),
    ("Oxfordshire", "Priority Action Plan", "PA4: joint commissioning strategy signed off", 7, 0),
    ("Oxfordshire", "Priority Action Plan", "PA5: impact dashboard reported to the SIB", 9, None),
    ("Oxfordshire", "Priority Action Plan", "AI2: preparing-for-adulthood pathway launched", 12, 0),
    (
        "Oxfordshire",
        "Priority Action Plan",
        "AI4: health waiting-time recovery trajectory agreed",
        14,
        None,
    ),
    ("Portsmouth", "EHCP recovery plan", "Assessment backlog cleared to under 20 weeks", 6, 1),
    ("Portsmouth", "EHCP recovery plan", "Quality audit of new plans each quarter", 10, 0),
    ("Medway", "EHCP recovery plan", "Additional educational psychology capacity in post", 3, 3),
    ("Medway", "EHCP recovery plan", "Timeliness at 50% of new plans within 20 weeks", 15, None),
)


def make_report_inputs(terms, months: list[dt.date]) -> dict[str, list[dict[str, str]]]:
    """Per-month evidence, the areas' improvement plans, report narrative, key dates, asks
    and sign-off for the sample (invented, and saying so)."""
    rng = random.Random(SEED + 2)
    evidence, report, keydates, signoff = [], [], [], []
    for i, month in enumerate(months):
        for area in terms.areas:
            for outcome in terms.outcomes_for(area.code):
                if rng.random() < 0.2:
                    continue  # nothing recorded for this outcome this month
                text, steps = EVIDENCE[outcome.kind]
                evidence.append(
                    {
                        "Month": f"{month:%Y-%m}",
                        "Area": area.short,
                        "Outcome": outcome.id,
                        "Measure": "",
                        "Evidence": text.format(month=f"{month:%B %Y}"),
                        "Agreed next steps": steps,
                    }
                )
            report.append(
                {
                    "Month": f"{month:%Y-%m}",
                    "Area": area.short,
                    "Summary judgement": rng.choice(
                        (
                            "Progress is sufficient; governance is effective.",
                            "Progress is slower than planned; recovery actions agreed.",
                            "Progress is steady against the plan; risks are managed.",
                        )
                    ),
                    "Narrative": f"In {month:%B %Y} the adviser worked with {area.short}'s "
                    "leaders on the plan's next milestones (sample narrative).",
                    "DBV / Safety Valve liaison": (
                        "Liaised with the DBV programme on demand modelling (sample)."
                        if area.code == "ME" and i % 3 == 0
                        else ""
                    ),
                    "Days planned next month": "3" if area.code == "OX" else "1.5",
                }
            )
        following = add_months(month, 1)
        keydates += [
            {
                "Return month": f"{month:%Y-%m}",
                "Area": "Oxfordshire",
                "Date": f"{following:%Y-%m}-1{rng.randint(0, 8)}",
                "Event": "SIB",
                "Planned activity": "Attend the SIB and report on PAP progress.",
                "Days planned": "1",
            },
            {
                "Return month": f"{month:%Y-%m}",
                "Area": "Medway" if i % 2 else "Portsmouth",
                "Date": f"{following:%Y-%m}-2{rng.randint(0, 5)}",
                "Event": "DfE review",
                "Planned activity": "DfE / VCU progress review of EHCP timeliness.",
                "Days planned": "0.5",
            },
        ]
        if i % 6 == 5:
            keydates.append(
                {
                    "Return month": f"{month:%Y-%m}",
                    "Area": "Oxfordshire",
                    "Date": f"{following:%Y-%m}-09",
                    "Event": "Six-monthly stocktake",
                    "Planned activity": "Prepare and attend the six-monthly stocktake.",
                    "Days planned": "1",
                }
            )
        # Every month signed off and approved, so each issues (unsigned months: tests).
        end = add_months(month, 1)
        signoff.append(
            {
                "Month": f"{month:%Y-%m}",
                "Prepared by (role)": "Supplier lead adviser",
                "Prepared on": f"{end + dt.timedelta(days=4):%Y-%m-%d}",
                "Approved by (role)": "DfE contract manager",
                "Approved on": f"{end + dt.timedelta(days=11):%Y-%m-%d}",
                "Invoice number": f"RKS-{i + 1:04d}",
                "Purchase order number": "PO-SAMPLE-22889",
            }
        )
    plans = []
    for area, plan, action, due, late in IMPROVEMENT_PLAN:
        due_date = add_months(months[0], due) + dt.timedelta(days=14)
        done = None if late is None else add_months(due_date, late)
        plans.append(
            {
                "Area": area,
                "Plan": plan,
                "Action or milestone": action,
                "Due": due_date.isoformat(),
                "Status": "Done" if done else "Slipped",
                "Completed on": done.isoformat() if done else "",
                "Evidence / trajectory": (
                    "Evidenced at the SIB." if done else "Behind plan: revised date to be agreed."
                ),
            }
        )
    asks = [
        {
            "Raised": "2024-02-12",
            "Area": "All areas",
            "Escalation or ask of the Department": "Confirm whether the contract continues "
            "past the break on 31/03/2024.",
            "Owner (role)": "DfE contract manager",
            "Status": "Answered",
            "Resolved on": "2024-03-18",
        },
        {
            "Raised": "2024-11-06",
            "Area": "Oxfordshire",
            "Escalation or ask of the Department": "Escalate health waiting times (OX-AI4) to "
            "the NHSE regional SEND lead.",
            "Owner (role)": "DfE SEND adviser",
            "Status": "Open",
            "Resolved on": "",
        },
        {
            "Raised": "2025-05-20",
            "Area": "Oxfordshire",
            "Escalation or ask of the Department": "Agree days for Oxfordshire beyond the "
            "allocation, or move days from another area.",
            "Owner (role)": "DfE contract manager",
            "Status": "Open",
            "Resolved on": "",
        },
    ]
    return {
        "evidence": evidence,
        "plans": plans,
        "report": report,
        "keydates": keydates,
        "asks": asks,
        "signoff": signoff,
    }


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
        'plans = "plans.csv"\n'
        'report = "report.csv"\n'
        'keydates = "keydates.csv"\n'
        'asks = "asks.csv"\n'
        'signoff = "signoff.csv"\n'
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
