"""The rules about one Tracker cell, each judged once per distinct value.

A tracker repeats a few advisors, areas, activities, dates and day counts thousands of times,
so every rule here is asked about each distinct cell value once (`Judged`), and a row's
verdict is its cells' verdicts put together. A verdict is (findings, counted, resolved):
- findings: (rule, column, value, message) for each problem with the value;
- counted: what the cell counts as under xlsrc.core.tracker.counting (None: the row cannot count);
- resolved: the name a person meant (for the rules that depend on another cell).

This is the only implementation of the per-cell rules; run.py puts rows together from it.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Hashable, Sequence
from functools import partial
from typing import cast

from xlsrc.core.tracker.counting import CountingRule, loosely
from xlsrc.core.validate.dates import DateRules
from xlsrc.core.validate.parse import is_blank, read_date, read_number, text
from xlsrc.core.validate.privacy import (
    DSG_FIGURE,
    EMAIL,
    FORMULA_START,
    TITLED_NAME,
    UK_PHONE,
    may_hold_contact_details,
)
from xlsrc.model import fmt
from xlsrc.model.entry import ALLOWED_DAYS, split_outcomes
from xlsrc.model.rules import (
    ACTIVITY_UNKNOWN,
    ADVISOR_UNKNOWN,
    AREA_UNKNOWN,
    DATE_INVALID,
    DATE_OUTSIDE_TERM,
    DATE_TEXT,
    DAYS_INVALID,
    DAYS_TEXT,
    FORMULA_LIKE_TEXT,
    NAME_NOT_EXACT,
    NOTES_PERSONAL_DATA,
    OUTCOME_MISSING,
    OUTCOME_UNKNOWN,
    OUTCOME_WRONG_AREA,
    REQUIRED,
    Rule,
)
from xlsrc.model.terms.models import Terms

Finding = tuple[Rule, str, object, str]  # rule, column, value, message
Verdict = tuple[tuple[Finding, ...], object, object]  # findings, counted, resolved

# Activities that serve no outcome by themselves, so a blank Outcomes cell is expected.
NO_OUTCOME_ACTIVITIES = frozenset({"Travel"})
_UNKNOWN = {"Advisor": ADVISOR_UNKNOWN, "Area": AREA_UNKNOWN, "Activity": ACTIVITY_UNKNOWN}


class Judged(dict[Hashable, Verdict]):
    """Cell value -> its verdict, worked out the first time the value is seen. Keyed with the
    value's type: True == 1 == 1.0 to a dict, but TRUE is not a day count."""

    def __init__(self, judge: Callable[[object], Verdict]) -> None:
        super().__init__()
        self.judge = judge
        self.plain = _Plain(judge)

    def __missing__(self, key: Hashable) -> Verdict:
        verdict = self[key] = self.judge(key[1])  # type: ignore[index]
        return verdict

    def column(self, values: Sequence[object]) -> list[Verdict]:
        try:
            if bool in set(map(type, values)):  # keyed with the type: TRUE is not 1
                keys = zip(map(type, values), values, strict=True)
                return list(map(self.__getitem__, keys))  # looped in C
            # Without TRUE/FALSE, equal keys (1, 1.0) are the same number and judged alike.
            return list(map(self.plain.__getitem__, values))
        except TypeError:  # a cell that cannot be a dict key: judge each cell alone
            return [self._one(v) for v in values]

    def _one(self, value: object) -> Verdict:
        try:
            return self[(type(value), value)]
        except TypeError:
            return self.judge(value)


class _Plain(dict[Hashable, Verdict]):
    """Cell value -> verdict, keyed by the value alone (for columns without TRUE/FALSE)."""

    def __init__(self, judge: Callable[[object], Verdict]) -> None:
        super().__init__()
        self.judge = judge

    def __missing__(self, key: Hashable) -> Verdict:
        verdict = self[key] = self.judge(key)
        return verdict


class CellRules:
    """Every per-cell rule of one contract on one day, with a memo per column."""

    def __init__(self, terms: Terms, rule: CountingRule, today: dt.date) -> None:
        self.terms, self.rule = terms, rule
        self.dates = DateRules(terms, today)
        self.outcomes = {o.id: o for o in terms.outcomes}
        self.judged: dict[str, Judged] = {
            "Date": Judged(self.date),
            "Days": Judged(self.days),
            "Notes": Judged(self.notes),
            **{c: Judged(partial(self.name, c)) for c in ("Advisor", "Area", "Activity")},
        }
        self.judged_outcomes = Judged(self._outcomes_of)

    # --- Date ------------------------------------------------------------------------------
    def date(self, value: object) -> Verdict:
        if is_blank(value):
            return (_required(self.terms, "Date", value),), None, None
        counted = self.rule.date(value)
        found: list[Finding] = []
        if isinstance(value, dt.date):  # datetime too
            day = value.date() if isinstance(value, dt.datetime) else value
            found += [(r, "Date", value, m) for r, m in self.dates.problems(day)]
            if counted is None and not any(r.severity == "error" for r, *_ in found):
                found.append((DATE_OUTSIDE_TERM, "Date", value, _late_on_last_day(value)))
        elif isinstance(value, str):
            typed_day, problem = read_date(value)
            if typed_day is not None:
                message = (
                    f"Date is text, {fmt.found(value)}, so the workbook cannot count this row;"
                    f" retype {fmt.day(typed_day)} as a date (in a cell formatted as a date)"
                )
                found.append((DATE_TEXT, "Date", value, message))
            else:
                found.append((DATE_INVALID, "Date", value, problem))
        else:
            found.append((DATE_INVALID, "Date", value, read_date(value)[1]))
        return (*found, *_formula_like("Date", value)), counted, None

    # --- Days ------------------------------------------------------------------------------
    def days(self, value: object) -> Verdict:
        if is_blank(value):
            return (_required(self.terms, "Days", value),), None, None
        counted = self.rule.days(value)
        if counted is not None:
            return (), counted, None
        number = read_number(value)
        shown = fmt.found(value)
        if number is None:
            message = f"Days must be 0.5 or 1; found {shown}, which is not a number"
        elif isinstance(value, str) and number in ALLOWED_DAYS:
            message = (
                f"Days is text, {shown}, so the workbook cannot count this row; retype"
                f" {value.strip()} as a number"
            )
            return ((DAYS_TEXT, "Days", value, message), *_formula_like("Days", value)), None, None
        else:
            message = f"Days must be 0.5 or 1; found {shown}"
            if number > 1:
                message += ". Split longer work into one row per date"
        return ((DAYS_INVALID, "Days", value, message), *_formula_like("Days", value)), None, None

    # --- Advisor, Area, Activity -----------------------------------------------------------
    def name(self, column: str, value: object) -> Verdict:
        if is_blank(value):
            return (_required(self.terms, column, value),), None, None
        counted = self.rule.name(column, value)
        if counted is not None:
            return _formula_like(column, value), counted, counted
        valid = self._valid(column)
        typed = text(value) or ""
        meant = {loosely(v): v for v in valid}.get(loosely(typed))
        meant = meant if isinstance(value, str) else None
        if meant is not None:
            message = (
                f"{column} must be typed exactly as {meant!r} for the workbook to count this"
                f" row; found {fmt.found(value)} ({_differs(value, meant)}). Retype it as"  # type: ignore[arg-type]
                f" {meant}"
            )
            finding: Finding = (NAME_NOT_EXACT, column, value, message)
        else:
            message = (
                f"{column} must be one of {fmt.listing(valid)}; found {fmt.found(value)}"
                f"{_did_you_mean(typed, valid)}"
            )
            finding = (_UNKNOWN[column], column, value, message)
        return (finding, *_formula_like(column, value)), None, meant

    def _valid(self, column: str) -> list[str]:
        if column == "Advisor":
            return [a.id for a in self.terms.advisors]
        if column == "Area":
            return [a.short for a in self.terms.areas]
        return list(self.terms.activities)

    # --- Outcomes (they depend on the row's area and activity) -----------------------------
    def outcomes_column(
        self, areas: list[object], activities: list[object], values: Sequence[object]
    ) -> list[Verdict]:
        return self.judged_outcomes.column(list(zip(areas, activities, values, strict=True)))

    def _outcomes_of(self, key: object) -> Verdict:
        area_name, activity, value = cast("tuple[object, object, object]", key)
        terms = self.terms
        typed = text(value)
        served = split_outcomes(typed) if typed else ()
        area = terms.area_by_short().get(str(area_name)) if area_name else None
        allowed = [o.id for o in terms.outcomes_for(area.code)] if area else list(self.outcomes)
        allowed_text = f"the {area.short} outcomes are" if area else "the outcomes are"
        found: list[Finding] = []
        for oid in served:
            outcome = self.outcomes.get(oid)
            if outcome is None:
                message = (
                    f"Outcome {fmt.found(oid)} is not an Annex A outcome; {allowed_text}"
                    f" {fmt.listing(allowed)}{_did_you_mean(oid, allowed)}"
                )
                found.append((OUTCOME_UNKNOWN, "Outcomes", oid, message))
            elif area is not None and area.code not in outcome.areas:
                owners = [a.short for a in terms.areas if a.code in outcome.areas]
                message = (
                    f"Outcome {oid} is for {fmt.listing(owners)}, not {area.short};"
                    f" {allowed_text} {fmt.listing(allowed)}"
                )
                found.append((OUTCOME_WRONG_AREA, "Outcomes", oid, message))
        # Only for a known activity: an unknown one is already an error, may be Travel misspelt.
        if not served and activity is not None and activity not in NO_OUTCOME_ACTIVITIES:
            message = (
                f"Outcomes is blank; every day except Travel should serve an Annex A outcome."
                f" Enter one or more of {fmt.listing(allowed)}, separated by commas"
            )
            found.append((OUTCOME_MISSING, "Outcomes", value, message))
        return (*found, *_formula_like("Outcomes", value)), served, None

    # --- Notes -----------------------------------------------------------------------------
    def notes(self, value: object) -> Verdict:
        found: list[Finding] = []
        if isinstance(value, str):
            what: list[str] = []
            if may_hold_contact_details(value):
                if email := EMAIL.search(value):
                    what.append(f"an e-mail address ({email.group()})")
                if phone := UK_PHONE.search(value):
                    what.append(f"a phone number ({phone.group()})")
            # The same tests the monthly return applies (returns/confidentiality.py), so a
            # note that would stop the return is an error here first, at its cell.
            if not self.terms.confidentiality.names_may_be_shown and (
                name := TITLED_NAME.search(value)
            ):
                what.append(f"a person's name ({name.group()})")
            if "dsg" in value.lower() and (dsg := DSG_FIGURE.search(value)):
                what.append(f"a DSG figure ({dsg.group()[:40]}), which may be unpublished")
            if what:
                message = (
                    f"Notes must not hold confidential information (order form section 4:"
                    f" names, contact details and unpublished DSG figures); found"
                    f" {' and '.join(what)}. Refer to people by role or advisor ID and leave"
                    " DSG figures out"
                )
                found.append((NOTES_PERSONAL_DATA, "Notes", value, message))
        return (*found, *_formula_like("Notes", value)), text(value) or "", None


def _formula_like(column: str, value: object) -> tuple[Finding, ...]:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        message = (
            f"{column} starts with {value[0]!r}, which a spreadsheet would read as a"
            f" formula; found {fmt.found(value)}. It is kept as plain text, never calculated"
        )
        return ((FORMULA_LIKE_TEXT, column, value, message),)
    return ()


def _required(terms: Terms, column: str, value: object) -> Finding:
    hints = {
        "Date": "Enter the date the work was done (dd/mm/yyyy)",
        "Advisor": f"Enter one of {fmt.listing([a.id for a in terms.advisors])}",
        "Area": f"Enter one of {fmt.listing([a.short for a in terms.areas])}",
        "Activity": f"Enter one of {fmt.listing(terms.activities)}",
        "Days": "Enter 0.5 or 1",
    }
    return REQUIRED, column, value, f"{column} is required; the cell is blank. {hints[column]}"


def _late_on_last_day(value: dt.date) -> str:
    return (
        f"Date {fmt.found(value)} has a time of day after midnight on the last day the contract"
        " counts, so the workbook does not count it; retype it as a date without a time"
    )


def _differs(typed: str, meant: str) -> str:
    spaced = " ".join(typed.replace("\u00a0", " ").split())
    if spaced == typed:
        return "different capitals"
    capitals = " and different capitals" if spaced != meant else ""
    return f"extra or non-breaking spaces{capitals}"


def _did_you_mean(typed: str, valid: list[str]) -> str:
    folded = {v.casefold(): v for v in valid}
    close = difflib.get_close_matches(typed.casefold(), list(folded), n=1, cutoff=0.6)
    return f' (did you mean "{folded[close[0]]}"?)' if close else ""
