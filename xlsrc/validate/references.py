"""Names the contract defines: advisor IDs, area short names, activities, Annex A outcomes."""

from __future__ import annotations

import difflib

from xlsrc import fmt
from xlsrc.issues import Issue
from xlsrc.rules import (
    ACTIVITY_UNKNOWN,
    ADVISOR_UNKNOWN,
    AREA_UNKNOWN,
    OUTCOME_MISSING,
    OUTCOME_UNKNOWN,
    OUTCOME_WRONG_AREA,
    Rule,
    issue,
)
from xlsrc.terms.models import Terms
from xlsrc.validate.parse import ParsedRow

# Activities that serve no outcome by themselves, so a blank Outcomes cell is expected.
NO_OUTCOME_ACTIVITIES = frozenset({"Travel"})


def check_references(terms: Terms, row: ParsedRow) -> list[Issue]:
    found: list[Issue] = []

    def report(rule: Rule, column: str, value: object, message: str) -> None:
        found.append(issue(rule, row.sheet, row.row, column, value, message))

    advisors = [a.id for a in terms.advisors]
    if row.advisor is not None and row.advisor not in advisors:
        report(
            ADVISOR_UNKNOWN,
            "Advisor",
            row.raw["Advisor"],
            _unknown("Advisor", row.advisor, advisors),
        )

    areas = terms.area_by_short()
    area = areas.get(row.area) if row.area is not None else None
    if row.area is not None and area is None:
        report(AREA_UNKNOWN, "Area", row.raw["Area"], _unknown("Area", row.area, list(areas)))

    if row.activity is not None and row.activity not in terms.activities:
        report(
            ACTIVITY_UNKNOWN,
            "Activity",
            row.raw["Activity"],
            _unknown("Activity", row.activity, terms.activities),
        )

    outcomes = {o.id: o for o in terms.outcomes}
    # Outcomes the row's area may use; every outcome when the area itself is unknown.
    allowed = [o.id for o in terms.outcomes_for(area.code)] if area else list(outcomes)
    allowed_text = f"the {area.short} outcomes are" if area else "the outcomes are"
    for oid in row.outcomes:
        outcome = outcomes.get(oid)
        if outcome is None:
            message = (
                f"Outcome {fmt.found(oid)} is not an Annex A outcome; {allowed_text}"
                f" {fmt.listing(allowed)}{_did_you_mean(oid, allowed)}"
            )
            report(OUTCOME_UNKNOWN, "Outcomes", oid, message)
        elif area is not None and area.code not in outcome.areas:
            owners = [a.short for a in terms.areas if a.code in outcome.areas]
            message = (
                f"Outcome {oid} is for {fmt.listing(owners)}, not {area.short};"
                f" {allowed_text} {fmt.listing(allowed)}"
            )
            report(OUTCOME_WRONG_AREA, "Outcomes", oid, message)

    # Only for a known activity: an unknown one is already an error, and may be Travel misspelt.
    if (
        not row.outcomes
        and row.activity in terms.activities
        and row.activity not in NO_OUTCOME_ACTIVITIES
    ):
        message = (
            f"Outcomes is blank; every day except Travel should serve an Annex A outcome."
            f" Enter one or more of {fmt.listing(allowed)}, separated by commas"
        )
        report(OUTCOME_MISSING, "Outcomes", row.raw["Outcomes"], message)
    return found


def _unknown(column: str, typed: str, valid: list[str]) -> str:
    return (
        f"{column} must be one of {fmt.listing(valid)}; found {fmt.found(typed)}"
        f"{_did_you_mean(typed, valid)}"
    )


def _did_you_mean(typed: str, valid: list[str]) -> str:
    # Compare case-folded so "oxfordshire" still points at "Oxfordshire".
    folded = {v.casefold(): v for v in valid}
    close = difflib.get_close_matches(typed.casefold(), list(folded), n=1, cutoff=0.6)
    return f' (did you mean "{folded[close[0]]}"?)' if close else ""
