"""The effective term: what the contract is now, derived from its dated decisions.

`effective_term` is the one place that turns the order form's dates and the recorded decisions
into the end date in force, the state of the break, the months of extension, the call-off
days per month and the day rates by date. The workbook's formulas (defined names such as
`EffectiveEnd`, `BreakState`, `ExtensionMonths`) compute the same from the Decisions and
Rates tables; the LibreOffice tests hold the two together.

The rules a decision must obey are checked here, while walking the decisions in date order,
and every breach is a `Problem` naming the decision (or rate line) and its field.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from xlsrc.model.dates import add_months, locked_words
from xlsrc.model.terms.authority import KIND_POWER, refusal, role_may
from xlsrc.model.terms.decisions import KIND_LABELS, DayRateFrom, Decision
from xlsrc.model.terms.sections import Area, Dates, Extension, Money


class Terms(Protocol):
    """What the derivation reads of a contract's terms (xlsrc.model.terms.models.Terms has it)."""

    @property
    def dates(self) -> Dates: ...

    @property
    def extension(self) -> Extension: ...

    @property
    def money(self) -> Money: ...

    @property
    def areas(self) -> list[Area]: ...

    @property
    def day_rates(self) -> list[DayRateFrom]: ...

    @property
    def decisions(self) -> list[Decision]: ...

    @property
    def risk_owner_roles(self) -> list[str]: ...

    @property
    def powers(self) -> Mapping[str, list[str]]: ...


NOT_YET_DECIDED = "Not yet decided"
CONTINUED = "Continued past the break"
TERMINATED = "Terminated at the break"
NO_BREAK = "No break"
WARN_MONTHS = 2  # a decision shows as falling due this many months before its date


@dataclass(frozen=True)
class Problem:
    """A rule a decision or a rate line breaks; `where` is "decisions" or "day_rates"."""

    where: str
    index: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}[{self.index}].{self.field}: {self.message}"


class DecisionProblems(ValueError):
    """Raised (inside the terms model's validation) with every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class Due:
    """A decision the contract manager must take by `date` (notice by `notice_by`)."""

    what: str
    date: dt.date
    notice_by: dt.date | None

    @property
    def shown_from(self) -> dt.date:
        return add_months(self.date, -WARN_MONTHS)


@dataclass(frozen=True)
class EffectiveTerm:
    start: dt.date
    planned_end: dt.date  # the completion date in the order form
    break_date: dt.date | None
    break_state: str
    end: dt.date  # the end in force: break, early end, or completion + extensions
    extension_months: int
    ended: bool  # terminated at the break or ended early: no further extension possible
    horizon: dt.date  # completion + the maximum extension: the Budget's last month
    rates: tuple[tuple[dt.date, Decimal], ...]  # (from, day rate), ascending, first = start
    days_per_month: tuple[tuple[dt.date, Decimal], ...] = ()  # (from, days), ascending
    allocations: dict[str, Decimal] = field(default_factory=dict)  # area short -> days
    due: tuple[Due, ...] = ()
    # The days per month of the decision giving one that takes effect last: what the
    # forecasts use for the months after the completion date (ExtensionDaysPerMonth).
    days_per_month_now: Decimal | None = None
    # The cap in force by date: (from, cap), ascending; the first is the order's cap from the
    # start, each later one a cap variation ("vary-cap" decision) from the day it takes effect.
    caps: tuple[tuple[dt.date, Decimal], ...] = ()

    def cap_on(self, day: dt.date) -> Decimal:
        """The cap (maximum contract value, net) in force on `day`."""
        froms = [f for f, _ in self.caps]
        return self.caps[max(0, bisect_right(froms, day) - 1)][1]

    @property
    def cap_now(self) -> Decimal:
        """The cap of the variation taking effect last (the order's cap when none): the cap
        the Budget's headline figures and forecasts are held to (the workbook's CapNow)."""
        return self.caps[-1][1]

    @property
    def latest_end(self) -> dt.date:
        """The latest the contract can still end: its end once decided, else the horizon."""
        return self.end if self.ended else self.horizon

    def rate_on(self, day: dt.date) -> Decimal:
        """The day rate in force on `day` (the first rate for any day before it)."""
        froms = [f for f, _ in self.rates]
        return self.rates[max(0, bisect_right(froms, day) - 1)][1]

    @property
    def rate_now(self) -> Decimal:
        """The latest rate on the card: what further days will cost."""
        return self.rates[-1][1]

    def days_per_month_on(self, day: dt.date) -> Decimal | None:
        """Agreed call-off days per month in force on `day` (None when none agreed)."""
        found = None
        for start, days in self.days_per_month:
            if start <= day:
                found = days
        return found

    def falling_due(self, today: dt.date) -> list[Due]:
        """Decisions shown on `today`; an end whose date has passed is no decision left to
        take (the contract ended on it), so it is not listed."""
        return [
            d
            for d in self.due
            if d.shown_from <= today and not (d.what == END_ROW and today > d.date)
        ]

    def due_rows(self, notice_months: int, today: dt.date) -> list[DueRow]:
        """The Guide's "Decisions falling due" block, row by row (the break, then the end),
        as its formulas compute it for the date `today` (AsOfDate)."""
        brk = self.break_date
        if brk is None:
            break_state = NO_BREAK
        elif self.break_state != NOT_YET_DECIDED:
            break_state = self.break_state
        else:
            break_state = _when(today, brk, None)
        if self.ended:
            end_state, notice = ENDED, None
        elif self.extension_months >= self.horizon_months:
            end_state, notice = MAX_EXTENDED, None
        else:
            notice = add_months(self.end, -notice_months)
            end_state = ENDED_ON_DATE if today > self.end else _when(today, self.end, notice)
        return [
            DueRow(BREAK_ROW, brk, None, break_state),
            DueRow(END_ROW, self.end, notice, end_state),
        ]

    @property
    def horizon_months(self) -> int:
        """The maximum extension, in months (completion date to the horizon)."""
        return (self.horizon.year - self.planned_end.year) * 12 + (
            self.horizon.month - self.planned_end.month
        )


BREAK_ROW = "Break: continue or terminate at the break"
END_ROW = "End: extend (notice needed) or let the contract end"
NOT_YET_DUE = "Not yet due"
FALLING_DUE = "Falling due"
NOTICE_PASSED = "Falling due: notice date passed"
PAST_DATE = "Past its date"
ENDED = "Ended by a decision"
# The end in force has passed with no further extension: the contract simply ended (not an alarm).
ENDED_ON_DATE = "Ended on its end date"
MAX_EXTENDED = "Maximum extension decided"
# The order form states no notice for the break (only the date): the Guide says so.
NO_NOTICE = "None stated in the order form"
# States of a decision still to take that the Checks warn about (falling_due lists the same).
DUE_STATES = (FALLING_DUE, NOTICE_PASSED, PAST_DATE)


@dataclass(frozen=True)
class DueRow:
    what: str
    date: dt.date | None
    notice_by: dt.date | None  # None: no notice (the order form states none for the break)
    state: str


def _when(today: dt.date, date: dt.date, notice: dt.date | None) -> str:
    if today < add_months(date, -WARN_MONTHS):
        return NOT_YET_DUE
    if today > date:
        return PAST_DATE
    if notice is not None and today > notice:
        return NOTICE_PASSED
    return FALLING_DUE


def effective_term(terms: Terms) -> EffectiveTerm:
    """The term in force; raises DecisionProblems listing every rule broken."""
    term, problems = derive(terms)
    if problems:
        raise DecisionProblems(problems)
    return term


def derive(terms: Terms) -> tuple[EffectiveTerm, list[Problem]]:
    """Walk the decisions in the order they take effect; collect problems, never stop early."""
    dates, ext = terms.dates, terms.extension
    problems: list[Problem] = []

    def problem(i: int, name: str, message: str, where: str = "decisions") -> None:
        problems.append(Problem(where, i, name, message))

    rates = _rates(terms, problem)
    roles = list(terms.risk_owner_roles)
    areas = {a.short: a for a in terms.areas} | {a.code: a for a in terms.areas}
    brk = dates.break_
    state = NOT_YET_DECIDED if brk is not None else NO_BREAK
    end, months, ended = dates.end, 0, False
    ended_by = -1
    break_by = -1
    dpm: list[tuple[dt.date, Decimal]] = []
    allocations: dict[str, tuple[int, Decimal]] = {}
    caps: dict[dt.date, tuple[int, Decimal]] = {}

    for i, d in _in_effect_order(terms.decisions, dates, brk):
        if d.by not in roles:
            problem(
                i,
                "by",
                f"{d.by!r} is not one of the contract's roles ({', '.join(roles)}): record who"
                " decided by role, never by name",
            )
        elif not role_may(terms, d.by, KIND_POWER[d.kind]):
            problem(i, "by", refusal(terms, d.by, KIND_POWER[d.kind]))
        for name in ("decided", "notice"):
            day = getattr(d, name)
            if day is not None and day < dates.order:
                problem(
                    i,
                    name,
                    f"{_day(day)} is before the order date, {_day(dates.order)}: a decision is"
                    " taken (and notice given) under the contract, on or after its order date",
                )
        if ended and d.decided > end:
            problem(
                i,
                "decided",
                f"decided {_day(d.decided)}, after the contract ended on {_day(end)}"
                f" ({_which(ended_by, terms)}): nothing is decided after the end",
            )
            continue
        if (
            ended
            and d.effective is not None
            and d.effective > end
            and d.kind not in ("continue", "terminate-at-break", "extend", "end-early")
        ):
            problem(
                i,
                "effective",
                f"takes effect {_day(d.effective)}, after the contract ended on {_day(end)}"
                f" ({_which(ended_by, terms)}): the two decisions contradict each other",
            )
            continue
        if d.effective is not None and d.effective < dates.start:
            problem(i, "effective", f"takes effect before the contract start, {_day(dates.start)}")
        if d.kind in ("continue", "terminate-at-break"):
            if brk is None:
                problem(i, "kind", "the contract has no break date")
                continue
            if break_by >= 0:
                problem(i, "kind", f"the break was already decided ({_which(break_by, terms)})")
                continue
            if d.effective is not None and d.effective != brk:
                problem(
                    i, "effective", f"a break decision takes effect on the break date, {_day(brk)}"
                )
            if d.kind == "terminate-at-break":
                if d.decided > brk:
                    problem(i, "decided", f"a termination at the break is decided by {_day(brk)}")
                if ended:
                    problem(
                        i, "kind", f"the contract ended on {_day(end)} ({_which(ended_by, terms)})"
                    )
                    continue
                state, end, ended, ended_by = TERMINATED, brk, True, i
            else:
                state = CONTINUED
            break_by = i
        elif d.kind == "extend":
            if ended:
                problem(i, "kind", f"the contract ended on {_day(end)} ({_which(ended_by, terms)})")
                continue
            assert d.months is not None and d.notice is not None  # NEEDS guarantees them
            if months + d.months > ext.max_months:
                # Counted as a person counts: every extension recorded, whatever its order.
                recorded = sum(x.months or 0 for x in terms.decisions if x.kind == "extend")
                problem(
                    i,
                    "months",
                    f"{d.months} more month(s) makes {max(recorded, months + d.months)}; the"
                    f" extension may be at most {ext.max_months} months in all",
                )
                continue
            deadline = add_months(end, -ext.notice_months)
            if d.notice > deadline:
                problem(
                    i,
                    "notice",
                    f"notice of an extension is due {ext.notice_months} month(s) before the end"
                    f" it changes ({_day(end)}): by {_day(deadline)}; given {_day(d.notice)}",
                )
            first_day = end + dt.timedelta(days=1)
            if d.effective is not None and d.effective != first_day:
                problem(
                    i,
                    "effective",
                    f"an extension takes effect the day after the current end: {_day(first_day)}",
                )
            months += d.months
            end = add_months(dates.end, months)  # EDATE(EndDate, months), as the workbook does
            if d.days_per_month is not None:
                dpm.append((first_day, d.days_per_month))
        elif d.kind == "end-early":
            assert d.effective is not None
            if ended:
                problem(
                    i,
                    "kind",
                    f"the contract already ended on {_day(end)} ({_which(ended_by, terms)})",
                )
                continue
            if d.effective < d.decided:
                problem(
                    i,
                    "effective",
                    f"an early end takes effect on or after the day it is decided"
                    f" ({_day(d.decided)}); found {_day(d.effective)}",
                )
                continue
            if not d.effective < end:
                problem(
                    i,
                    "effective",
                    f"an early end must be before the current end, {_day(end)}; found"
                    f" {_day(d.effective)}",
                )
                continue
            end, ended, ended_by = d.effective, True, i
        elif d.kind == "days-per-month":
            assert d.effective is not None and d.days_per_month is not None
            dpm.append((d.effective, d.days_per_month))
        elif d.kind == "day-rate":
            assert d.effective is not None and d.rate is not None
            if (d.effective, d.rate) not in rates:
                problem(
                    i,
                    "rate",
                    f"the rate card has no line from {_day(d.effective)} at {d.rate}: add it to"
                    " the Rates table ([[day_rates]] in a terms file)",
                )
        elif d.kind == "allocation":
            assert d.area is not None and d.days is not None
            area = areas.get(d.area)
            if area is None:
                problem(i, "area", f"{d.area!r} is not one of the contract's areas")
            else:
                allocations[area.short] = (i, d.days)
        elif d.kind == "vary-cap":
            assert d.effective is not None and d.cap is not None
            same = caps.get(d.effective)
            if same is not None and same[1] != d.cap:
                problem(
                    i,
                    "cap",
                    f"another cap variation ({_which(same[0], terms)}) sets a different cap"
                    f" from {_day(d.effective)}: record one cap a date",
                )
                continue
            caps[d.effective] = (i, d.cap)

    for short, (i, days) in allocations.items():
        table = next(a.days_allocated for a in terms.areas if a.short == short)
        if table != days:
            problem(
                i,
                "days",
                f"the latest allocation decided for {short} is {days} days but the Areas table"
                f" says {table}: make them agree",
            )
    due: list[Due] = []
    if state == NOT_YET_DECIDED and brk is not None:
        due.append(Due(BREAK_ROW, brk, None))
    if not ended and months < ext.max_months:
        due.append(
            Due(
                END_ROW,
                end,
                add_months(end, -ext.notice_months),
            )
        )
    dpm.sort(key=lambda p: p[0])
    latest: dict[dt.date, Decimal] = {}
    for i, d in enumerate(terms.decisions):
        if d.days_per_month is None or d.effective is None:
            continue
        if latest.get(d.effective, d.days_per_month) != d.days_per_month:
            problem(
                i,
                "days_per_month",
                f"another decision sets different days per month from {_day(d.effective)}",
            )
        latest[d.effective] = d.days_per_month
    term = EffectiveTerm(
        start=dates.start,
        planned_end=dates.end,
        break_date=brk,
        break_state=state,
        end=end,
        extension_months=months,
        ended=ended,
        horizon=add_months(dates.end, ext.max_months),
        rates=tuple(rates),
        days_per_month=tuple(dpm),
        allocations={k: v for k, (_, v) in allocations.items()},
        due=tuple(due),
        days_per_month_now=latest[max(latest)] if latest else None,
        caps=((dates.start, terms.money.cap), *((f, c) for f, (_, c) in sorted(caps.items()))),
    )
    return term, problems


def _rates(terms: Terms, problem: Callable[..., None]) -> list[tuple[dt.date, Decimal]]:
    """The rate card: the starting rate from the start date, then each change in order."""
    rates = [(terms.dates.start, terms.money.day_rate)]
    for i, line in enumerate(terms.day_rates):
        if line.from_ <= rates[-1][0]:
            problem(
                i,
                "from",
                f"rate lines must be in date order, each after {_day(rates[-1][0])}"
                " (the first line is the contract start)",
                where="day_rates",
            )
            continue
        rates.append((line.from_, line.rate))
    return rates


def _in_effect_order(
    decisions: list[Decision], dates: Dates, brk: dt.date | None
) -> list[tuple[int, Decision]]:
    """Decisions by the date they take effect (a break decision's is the break date, an
    extension's at least the completion date), then by the date decided, then as listed: the
    same order whatever order they were typed in."""

    def key(item: tuple[int, Decision]) -> tuple[dt.date, dt.date, int]:
        i, d = item
        when = d.effective
        if d.kind in ("continue", "terminate-at-break") and brk:
            when = brk
        elif d.kind == "extend":
            when = max(when or dates.end, dates.end)
        return (when or d.decided, d.decided, i)

    return sorted(enumerate(decisions), key=key)


def locked_problems(terms: Terms, last_locked: dt.date, indexes: list[int]) -> list[Problem]:
    """Decisions (by index) that would take effect on or before `last_locked` (the end of the
    locked period, xlsrc.model.dates.locked_through): they would change an issued figure."""
    out = []
    brk = terms.dates.break_
    for i in indexes:
        d = terms.decisions[i]
        when = d.effective or (brk if d.kind in ("continue", "terminate-at-break") else None)
        if when is not None and when <= last_locked and d.kind not in ("continue",):
            out.append(
                Problem(
                    "decisions",
                    i,
                    "effective",
                    locked_words("a decision taking effect", when, last_locked),
                )
            )
    return out


def _which(i: int, terms: Terms) -> str:
    """Another decision, named so a person finds it: its place (decisions[i], which the
    workbook reader turns into its Decisions row), what and when."""
    d = terms.decisions[i]
    return f"decisions[{i}]: {KIND_LABELS[d.kind]}, decided {_day(d.decided)}"


def after_today(terms: Terms, today: dt.date) -> list[Problem]:
    """Decisions dated (decided or notice given) after `today`: a record of what was decided
    cannot be dated in the future (the command's clock; --today in tests)."""
    out = []
    for i, d in enumerate(terms.decisions):
        for name in ("decided", "notice"):
            day = getattr(d, name)
            if day is not None and day > today:
                out.append(
                    Problem(
                        "decisions",
                        i,
                        name,
                        f"{_day(day)} is after today ({_day(today)}): record a decision once"
                        " it is taken, dated the day it was",
                    )
                )
    return out


def describe(d: Decision) -> str:
    """One line for a person: what was decided."""
    parts = [KIND_LABELS[d.kind]]
    if d.months:
        parts.append(f"by {d.months} month(s)")
    if d.days_per_month is not None:
        parts.append(f"at {d.days_per_month} day(s) a month")
    if d.rate is not None:
        parts.append(f"to £{d.rate:,.2f} a day")
    if d.area:
        parts.append(f"{d.area}: {d.days} days")
    if d.cap is not None:
        parts.append(f"to £{d.cap:,.2f}")
    if d.effective:
        parts.append(f"from {_day(d.effective)}")
    return " ".join(parts)


def _day(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"
