"""One line per contract, the master check in Python, the risk level and the order: pure rules.

The master check. calloff saves every formula with its value (xlsrc.edges.formulas), so the Checks
sheet's `MasterCheck` is read from the file as saved; a file saved without cached values
(by another tool) has none. The portfolio also computes **Python's master check** from the
workbook's data, part by part, and shows the two side by side. Python's parts:

- `CheckTrackerRows`: no Tracker row has an error under `calloff validate`'s rules. This covers
  the sheet's CheckInTerm, CheckBreak, CheckDaysValid, CheckRowsComplete, CheckAreasKnown,
  CheckAdvisorsKnown and CheckActivitiesKnown, and is stricter (future dates, personal data
  in notes, more than one day per advisor and date are errors too);
- `CheckWithinCap`: net spend to date is within the cap;
- `CheckInvoicesWithinCap`: net invoiced on the Invoices sheet is within the cap;
- `CheckInvoicesPass`: every Invoices row passes `calloff invoice-check` (stricter than the
  sheet's Result column: the month must be in the term and its Tracker rows free of errors);
- `CheckAllocationFitsCap`: the areas' days allocated, at the day rate, fit the cap.
The sheet's CheckTrackerEqualsBudget and CheckDaysEqualBudget hold by construction in Python
(both sides are the same sum), and CheckExtension is enforced when the terms are read.

The risk level, for sorting and colour:
- High: the master check fails, or spend or the forecast at the end exceeds the cap;
- Medium: an open escalation to VCU, or cap used at or above the contract's highest alert
  band below 100% (90% by default), or a return overdue: while the contract runs (from its
  start to a month after its end) more than 45 days since the last return was issued, or
  since the start when none has been;
- Low: otherwise.
Contracts are sorted High, Medium, Low; within a level, most open escalations first, then the
highest forecast as a share of the cap, the highest cap used, the longest since a return, and
the contract ID.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from xlsrc.model.dates import add_months

HIGH, MEDIUM, LOW = "High", "Medium", "Low"
LEVELS = (HIGH, MEDIUM, LOW)
RETURN_OVERDUE_DAYS = 45


@dataclass(frozen=True)
class ContractLine:
    """What the portfolio shows of one contract workbook (plain, picklable data)."""

    path: str
    contract_id: str
    reference: str
    title: str
    supplier: str
    marking: str  # the contract's protective marking
    areas: tuple[str, ...]
    start: dt.date
    end: dt.date  # completion date
    break_: dt.date | None
    contract_end: dt.date  # with any agreed extension
    cap: Decimal
    spent: Decimal  # net, to date
    cap_used: Decimal  # ratio, 4 places
    forecast_end: Decimal
    alert: str
    warn_at: Decimal  # the highest alert band below 100%
    last_return: dt.date | None  # when the latest return was issued
    last_return_month: dt.date | None  # the latest month returned
    open_escalations: int
    open_risks: int
    rows_with_errors: int
    invoices: int
    invoices_failed: int
    invoiced_net: Decimal
    allocation_cost: Decimal  # days allocated x day rate
    invoices_problem: str | None = None
    master_cached: bool | None = None  # the file's own MasterCheck, if it was saved computed
    # Figures still resting on placeholders ("day rate", "days allocated"): every £ figure of
    # the line (spent, forecast, allocation cost) is shown with them until they are replaced.
    placeholders: tuple[str, ...] = ()

    @property
    def forecast_share(self) -> Decimal:
        return self.forecast_end / self.cap

    @property
    def master_parts(self) -> dict[str, bool]:
        return {
            "CheckTrackerRows": self.rows_with_errors == 0,
            "CheckWithinCap": self.spent <= self.cap,
            "CheckInvoicesWithinCap": self.invoiced_net <= self.cap,
            "CheckInvoicesPass": self.invoices_problem is None and self.invoices_failed == 0,
            "CheckAllocationFitsCap": self.allocation_cost <= self.cap,
        }

    @property
    def master_check(self) -> bool:
        return all(self.master_parts.values())

    @property
    def failing(self) -> list[str]:
        return [name for name, ok in self.master_parts.items() if not ok]


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


def days_since_return(line: ContractLine, today: dt.date) -> int | None:
    return (today - line.last_return).days if line.last_return else None


def is_running(line: ContractLine, today: dt.date) -> bool:
    """From the start to a month after the end (the last return falls due then)."""
    return line.start <= today <= add_months(line.contract_end, 1)


def return_overdue(line: ContractLine, today: dt.date) -> bool:
    if not is_running(line, today):
        return False
    since = line.last_return or line.start
    return (today - since).days > RETURN_OVERDUE_DAYS


def risk_level(line: ContractLine, today: dt.date) -> str:
    if not line.master_check or line.spent > line.cap or line.forecast_end > line.cap:
        return HIGH
    if line.open_escalations or line.cap_used >= line.warn_at or return_overdue(line, today):
        return MEDIUM
    return LOW


def risk_order(line: ContractLine, today: dt.date) -> tuple[object, ...]:
    since = days_since_return(line, today)
    if since is None:
        since = (today - line.start).days
    return (
        LEVELS.index(risk_level(line, today)),
        -line.open_escalations,
        -line.forecast_share,
        -line.cap_used,
        -since,
        line.contract_id,
        line.path,
    )


def by_risk(lines: list[ContractLine], today: dt.date) -> list[ContractLine]:
    return sorted(lines, key=lambda line: risk_order(line, today))


MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")


def marking(lines: list[ContractLine]) -> str:
    """The portfolio's protective marking: the highest of its contracts' markings (markings
    not in the government classification list are all shown)."""
    found = list(dict.fromkeys(line.marking for line in lines)) or [MARKINGS[0]]
    known = [m for m in found if m.upper() in MARKINGS]
    other = [m for m in found if m.upper() not in MARKINGS]
    top = [max(known, key=lambda m: MARKINGS.index(m.upper()))] if known else []
    return " / ".join(top + other)


def duplicates(lines: list[ContractLine]) -> dict[str, list[str]]:
    """Contract IDs read from more than one file -> those files."""
    seen: dict[str, list[str]] = {}
    for line in lines:
        seen.setdefault(line.contract_id, []).append(line.path)
    return {cid: paths for cid, paths in seen.items() if len(paths) > 1}
