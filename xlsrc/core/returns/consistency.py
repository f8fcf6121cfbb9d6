"""Does a month's return agree with itself? Per area: the Report's "Summary judgement", the
Annex A roll-up, the VCU "Recommendation" and the open risks flagged for VCU.

A contradiction ("good progress, fully on track" beside "Not sufficient"; "Sufficient" beside
an area rated Red) is a validate warning at its Report or VCU row, and the return is not
issued until it is resolved or acknowledged on the Report sheet (the acknowledgement prints).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from xlsrc.core.returns import rollup
from xlsrc.core.returns.model import AreaProgress, Contradiction
from xlsrc.model.records import AnnexARow, AreaReport, Recommendation, Risk

SUFFICIENT, AT_RISK, NOT_SUFFICIENT = "Sufficient", "At risk", "Not sufficient"
# How a judgement reads: any of these words makes it negative, else these make it positive.
NEGATIVE = (
    "not sufficient",
    "insufficient",
    "not on track",
    "off track",
    "behind",
    "slower",
    "slipp",
    "concern",
    "at risk",
    "not met",
    "declin",
    "deteriorat",
    "escalat",
    "well below",
)
POSITIVE = (
    "good progress",
    "on track",
    "sufficient",
    "steady",
    "strong",
    "effective",
    "well managed",
    "risks are managed",
    "improving",
)


def tone(text: str) -> str:
    """ "negative", "positive" or "" (neither) for a summary judgement."""
    low = " ".join(text.lower().split())
    if any(w in low for w in NEGATIVE):
        return "negative"
    if any(w in low for w in POSITIVE):
        return "positive"
    return ""


def check(
    month: dt.date,
    areas: list[str],
    reports: list[AreaReport],
    annex_a: list[AreaProgress],
    recommendations: list[Recommendation],
    risks: list[Risk],
) -> list[Contradiction]:
    """Every contradiction in `month`, per area, at the cell that says it."""
    rating = {a.area: a.rating for a in annex_a}
    out = []
    for area in areas:
        report = next((r for r in reports if r.month == month and r.area == area), None)
        rec = next((r for r in recommendations if r.month == month and r.area == area), None)
        judgement = report.judgement if report else None
        said = tone(judgement.value) if judgement else ""
        recommended = (rec.recommendation or "").strip() if rec else ""
        rated = rating.get(area, "")
        escalated = [
            r.id
            for r in risks
            if r.area == area and r.escalate and r.status.strip().lower() != "closed"
        ]
        found: list[tuple[str, str]] = []
        at_report = judgement.where if judgement else ""
        at_vcu = rec.reason.where if rec and rec.reason else ""
        if judgement is not None and said == "positive" and recommended == NOT_SUFFICIENT:
            found.append((f'the summary judgement reads well but VCU is told "{recommended}"',
                          at_report))  # fmt: skip
        if judgement is not None and said == "positive" and rated == "Red":
            found.append(("the summary judgement reads well but the area is rated Red",
                          at_report))  # fmt: skip
        if judgement is not None and said == "negative" and recommended == SUFFICIENT:
            found.append((f'the summary judgement reads badly but VCU is told "{recommended}"',
                          at_report))  # fmt: skip
        if recommended == SUFFICIENT and rated == "Red":
            found.append(('VCU is told "Sufficient" but the area is rated Red', at_vcu))
        if recommended == NOT_SUFFICIENT and rated == "Green":
            found.append(('VCU is told "Not sufficient" but the area is rated Green', at_vcu))
        if recommended == SUFFICIENT and escalated:
            found.append((
                f'VCU is told "Sufficient" with risk {", ".join(escalated)} open and '
                "flagged for VCU",
                at_vcu,
            ))  # fmt: skip
        acknowledged = report.acknowledged.value if report and report.acknowledged else ""
        out += [Contradiction(area, what, where, acknowledged) for what, where in found]
    return out


def in_workbook(
    terms_areas: list[str],
    annexa: list[AnnexARow],
    reports: list[AreaReport],
    recommendations: list[Recommendation],
    risks: list[Risk],
    month_header: Callable[[dt.date], str],
) -> list[tuple[dt.date, Contradiction]]:
    """Every month's contradictions not yet acknowledged (what `calloff validate` warns
    about): the months with a summary judgement or a recommendation recorded."""
    months = sorted({r.month for r in reports if r.judgement} | {r.month for r in recommendations})
    out = []
    for month in months:
        header = month_header(month)
        rolled = [
            AreaProgress(
                area,
                rollup.worst(row.ratings.get(header, "") for row in annexa if row.area == area),
                [],
            )
            for area in terms_areas
        ]
        out += [
            (month, c)
            for c in check(month, terms_areas, reports, rolled, recommendations, risks)
            if not c.acknowledged
        ]
    return out
