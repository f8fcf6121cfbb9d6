"""Date rules: inside the contract's term, not in the future, and flags for non-working days."""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays

from xlsrc.model import fmt
from xlsrc.model.rules import (
    DATE_AFTER_BREAK,
    DATE_BANK_HOLIDAY,
    DATE_BEFORE_START,
    DATE_FUTURE,
    DATE_OUTSIDE_TERM,
    DATE_WEEKEND,
    Rule,
)
from xlsrc.model.terms.effective import TERMINATED
from xlsrc.model.terms.models import Terms


@cache
def english_bank_holidays() -> holidays.HolidayBase:
    # One shared calendar; it fills in each year the first time a date in it is looked up.
    return holidays.country_holidays("GB", subdiv="ENG")


class DateRules:
    """The date rules of one contract on one day: set up once, asked about many dates (cells.py
    asks about each distinct date of a tracker once)."""

    def __init__(self, terms: Terms, today: dt.date) -> None:
        self.terms, self.today = terms, today
        self.end = terms.contract_end
        self.holidays = english_bank_holidays()

    def problems(self, date: dt.date) -> list[tuple[Rule, str]]:
        """What is wrong with a date, whatever row it is on."""
        terms, today = self.terms, self.today
        shown = fmt.day(date)
        found: list[tuple[Rule, str]] = []

        def report(rule: Rule, message: str) -> None:
            found.append((rule, message))

        start, brk = terms.dates.start, terms.dates.break_
        if date < start:
            report(
                DATE_BEFORE_START,
                f"Date must be on or after the contract start, {fmt.day(start)}; found {shown}",
            )
        elif brk is not None and date > brk and terms.effective.break_state == TERMINATED:
            report(
                DATE_AFTER_BREAK,
                f"Date must be on or before the break date, {fmt.day(brk)}, because the"
                f" contract was terminated at the break (Decisions table); found {shown}",
            )
        elif date > self.end:
            report(DATE_OUTSIDE_TERM, _outside_term(terms, shown))

        if date > today:
            report(
                DATE_FUTURE,
                f"Date must not be later than today ({fmt.day(today)}); found {shown}."
                " Record work once it is done",
            )

        if date.weekday() >= 5:
            report(DATE_WEEKEND, f"{shown} is a {date:%A}; check the date is right")
        holiday = self.holidays.get(date)
        if holiday:
            report(
                DATE_BANK_HOLIDAY, f"{shown} is a bank holiday ({holiday}); check the date is right"
            )
        return found


def _outside_term(terms: Terms, shown: str) -> str:
    eff = terms.effective
    end = fmt.day(eff.end)
    if eff.ended:
        where = f"the contract end, {end}, decided in the Decisions table"
        fix = "work after it cannot be charged"
    elif eff.extension_months:
        where = (
            f"the contract end, {end} ({fmt.day(terms.dates.end)} plus the"
            f" {eff.extension_months}-month extension in the Decisions table)"
        )
        fix = "a further extension must be recorded as a decision (calloff decide)"
    else:
        where = f"the contract end date, {end}"
        fix = "work after it needs an extension, recorded as a decision (calloff decide)"
    return f"Date must be on or before {where}; found {shown}: {fix}"
