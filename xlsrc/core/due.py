"""What falls due (issue 22): the next return and its due date, returns not yet issued, the
notice deadlines for the break and the end, decisions falling due, advisors with no entries
last month, months delivered but not invoiced. Pure: plain data in, plain data out.

A month's return is due by the last day of the following month (the order form asks for a
written report each month, its narrative with the invoice; it states no day): `RETURN_DUE`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xlsrc.model.dates import add_months, month_start
from xlsrc.model.entry import Entry
from xlsrc.model.terms.effective import Due, DueRow
from xlsrc.model.terms.models import Terms

RETURN_DUE = "the last day of the following month"


def return_due(month: dt.date) -> dt.date:
    """When the return for `month` (its first day) is due: the end of the next month."""
    return add_months(month_start(month), 2) - dt.timedelta(days=1)


@dataclass(frozen=True)
class FallingDue:
    today: dt.date
    next_return: dt.date | None  # the first month (its 1st) with no return issued
    next_return_due: dt.date | None
    returns_overdue: list[dt.date]  # months ended, return past its due date, none issued
    notices: list[DueRow]  # the break and the end: date, notice by, state
    decisions: list[Due]  # decisions falling due or past their notice date
    quiet_advisors: list[str]  # no entries dated in the last full month
    not_invoiced: list[dt.date]  # months with delivery and no Invoices row

    def to_json(self) -> dict[str, object]:
        return {
            "today": self.today,
            "return_due_rule": RETURN_DUE,
            "next_return": {
                "month": self.next_return.strftime("%Y-%m"),
                "due": self.next_return_due,
            }
            if self.next_return
            else None,
            "returns_overdue": [m.strftime("%Y-%m") for m in self.returns_overdue],
            "notices": [
                {"what": r.what, "date": r.date, "notice_by": r.notice_by, "state": r.state}
                for r in self.notices
            ],
            "decisions_falling_due": [
                {"what": d.what, "date": d.date, "notice_by": d.notice_by} for d in self.decisions
            ],
            "advisors_without_entries_last_month": self.quiet_advisors,
            "months_delivered_not_invoiced": [m.strftime("%Y-%m") for m in self.not_invoiced],
        }

    def to_text(self, contract_id: str) -> str:
        lines = [f"{contract_id}: what falls due, as at {self.today:%d/%m/%Y}"]
        if self.next_return and self.next_return_due:
            lines.append(
                f"  Next return: {self.next_return:%B %Y}, due by {self.next_return_due:%d/%m/%Y}"
                f" ({RETURN_DUE})"
            )
        else:
            lines.append("  Next return: none (every month of the term is returned)")
        if self.returns_overdue:
            months = ", ".join(f"{m:%b %Y}" for m in self.returns_overdue)
            lines.append(f"  Returns past their due date, not issued: {months}")
        for row in self.notices:
            when = f"{row.date:%d/%m/%Y}" if row.date else "-"
            notice = f", notice by {row.notice_by:%d/%m/%Y}" if row.notice_by else ""
            lines.append(f"  {row.what}: {when}{notice}: {row.state}")
        for due in self.decisions:
            lines.append(f"  Decision falling due: {due.what} by {due.date:%d/%m/%Y}")
        if self.quiet_advisors:
            lines.append("  Advisors with no entries last month: " + ", ".join(self.quiet_advisors))
        if self.not_invoiced:
            months = ", ".join(f"{m:%b %Y}" for m in self.not_invoiced)
            lines.append(f"  Months delivered but not invoiced: {months}")
        return "\n".join(lines)


def falling_due(
    terms: Terms,
    entries: list[Entry],
    issued: set[dt.date],
    invoiced: set[dt.date],
    today: dt.date,
) -> FallingDue:
    """What falls due on `today`: `issued` and `invoiced` hold months (their 1st day)."""
    term = terms.effective
    first = month_start(terms.dates.start)
    last = month_start(term.end)
    this_month = month_start(today)
    months: list[dt.date] = []
    m = first
    while m <= min(last, this_month):
        months.append(m)
        m = add_months(m, 1)
    open_months = [m for m in months if m not in issued]
    next_return = open_months[0] if open_months else None
    overdue = [m for m in open_months if return_due(m) < today]
    last_month = add_months(this_month, -1)
    active = first <= last_month <= last
    busy = {e.advisor for e in entries if month_start(e.date) == last_month}
    quiet = [a.id for a in terms.advisors if a.id not in busy] if active else []
    delivered = sorted({month_start(e.date) for e in entries if e.days > 0})
    return FallingDue(
        today=today,
        next_return=next_return,
        next_return_due=return_due(next_return) if next_return else None,
        returns_overdue=overdue,
        notices=term.due_rows(terms.extension.notice_months, today),
        decisions=term.falling_due(today),
        quiet_advisors=quiet,
        not_invoiced=[m for m in delivered if m not in invoiced and m < this_month],
    )
