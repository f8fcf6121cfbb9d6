"""calloff decide: record a contract decision in a workbook's Decisions table, rules first.

The decision is checked with every earlier one (xlsrc.model.terms.effective) and against the months
whose returns were issued before anything is written; then the Decisions row (and, for a new
day rate, the Rates line; for an allocation, the Areas cell) are written in one atomic save.
The Decisions row is the record (dated, with the role that decided); a refused decision leaves
the file as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import range_boundaries
from pydantic import ValidationError

from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.core.totals.budget import decision_over_cap
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.audit_rows import decision_audit
from xlsrc.edges.fileio.audit_writer import append_audit
from xlsrc.edges.fileio.locked_months_reader import locked_months
from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.edges.fileio.terms_reader import locate_decisions
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.fileio.writer_lock import workbook_lock
from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.sheets import decisions as sheet
from xlsrc.model import layout
from xlsrc.model.dates import locked_through
from xlsrc.model.entry import check_table_columns
from xlsrc.model.errors import TermsError, UserDataError, WorkbookFileError
from xlsrc.model.terms.decisions import Decision
from xlsrc.model.terms.effective import after_today, locked_problems
from xlsrc.model.terms.loader import format_validation_error, terms_from_mapping
from xlsrc.model.terms.models import Terms


class DecisionRefused(UserDataError):
    pass


@dataclass(frozen=True)
class DecideResult:
    workbook: Path
    decision: Decision
    row: int  # the Decisions table row written
    terms: Terms  # the terms in force after it

    def to_json(self) -> dict[str, object]:
        eff = self.terms.effective
        return {
            "workbook": str(self.workbook),
            "row": self.row,
            "decision": self.decision.model_dump(mode="json", exclude_none=True),
            "break_state": eff.break_state,
            "effective_end": eff.end.isoformat(),
            "extension_months": eff.extension_months,
            "day_rate_now": str(eff.rate_now),
            "cap_now": str(eff.cap_now),
        }


def decide(
    workbook: Path,
    fields: dict[str, object],
    *,
    out: Path | None = None,
    today: dt.date | None = None,
) -> DecideResult:
    """Record one decision (fields as in a terms file's [[decisions]]). All or nothing.
    `today` is the command's clock (a decision cannot be dated after it)."""
    with workbook_lock(out or workbook):
        return _decide(Path(workbook), fields, out, today or dt.date.today())


def _decide(
    workbook: Path, fields: dict[str, object], out: Path | None, today: dt.date
) -> DecideResult:
    data = load_workbook_data(workbook)
    terms = data.terms
    decision = _parse(fields)
    decision = _with_effective(decision, terms)
    future = after_today(terms.model_copy(update={"decisions": [decision]}), today)
    if future:
        raise DecisionRefused(_refusal(workbook, [f"{p.field}: {p.message}" for p in future]))
    last = locked_through(locked_months(data.book))
    if last is not None:  # first: nothing may change a figure already returned or invoiced
        pending = terms.model_copy(update={"decisions": [*terms.decisions, decision]})
        problems = locked_problems(pending, last, [len(terms.decisions)])
        if problems:
            raise DecisionRefused(_refusal(workbook, [p.message for p in problems]))
    after = _terms_after(terms, decision, data.book)
    over = decision_over_cap(after, data.validate(today).entries, len(terms.decisions))
    if over is not None:  # the cap guarded: only a cap variation lets the forecast pass it
        raise DecisionRefused(_refusal(workbook, [over.message]))
    wb = load_for_edit(workbook)
    row = _write(wb, terms, after, decision)
    append_audit(wb, decision_audit(decision, row))
    from xlsrc.edges.formulas.cache import kept_from  # with openpyxl, to write

    save_workbook(wb, out or workbook, kept=kept_from(workbook))
    return DecideResult(out or workbook, decision, row, after)


def _parse(fields: dict[str, object]) -> Decision:
    try:
        return Decision.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValidationError as exc:
        text = format_validation_error(exc, "the decision").split("\n", 1)[1]
        raise DecisionRefused(f"decision not recorded, nothing was written:\n{text}") from None


def _with_effective(decision: Decision, terms: Terms) -> Decision:
    """Fill in the date a break decision or an extension takes effect, to show in the table."""
    if decision.effective is not None:
        return decision
    if decision.kind in ("continue", "terminate-at-break") and terms.dates.break_:
        return decision.model_copy(update={"effective": terms.dates.break_})
    if decision.kind == "extend" and not terms.effective.ended:
        return decision.model_copy(update={"effective": terms.contract_end + dt.timedelta(1)})
    return decision


def _terms_after(terms: Terms, decision: Decision, book: WorkbookSource) -> Terms:
    raw = terms.model_dump(mode="python", by_alias=True)
    raw["decisions"].append(decision.model_dump(mode="python"))
    if decision.kind == "day-rate":
        assert decision.effective is not None
        line = (decision.effective, decision.rate)
        if line not in terms.effective.rates:
            if decision.effective <= terms.dates.start:
                raw["money"]["day_rate"] = decision.rate
            else:
                raw["day_rates"].append({"from": decision.effective, "rate": decision.rate})
                raw["day_rates"].sort(key=lambda line: line["from"])
    if decision.kind == "allocation":
        for area in raw["areas"]:
            if decision.area in (area["short"], area["code"]):
                area["days_allocated"] = decision.days
    try:
        return terms_from_mapping(raw, source="decision")
    except TermsError as exc:
        n = len(terms.decisions)
        lines = [
            locate_decisions(
                line.replace(f"decisions[{n}].", "").replace(f"decisions[{n}]", "this decision"),
                book,
            ).strip(" -")
            for line in str(exc).splitlines()[1:]
        ]
        raise DecisionRefused(_refusal(terms.contract.id, lines)) from None


def _refusal(where: object, lines: list[str]) -> str:
    return "\n".join(
        [f"{where}: decision not recorded, nothing was written:", *(f"  - {x}" for x in lines)]
    )


AREA_HEADERS = ("Code", "Name", "Short name", "Days allocated")  # as the Contract sheet builds


def _write(wb: Workbook, before: Terms, after: Terms, decision: Decision) -> int:
    if layout.CONTRACT not in wb.sheetnames:
        raise WorkbookFileError(
            f"this workbook has no {layout.CONTRACT} sheet; nothing was written. Rebuild it"
            " with calloff build"
        )
    ws = wb[layout.CONTRACT]
    check_table_columns(ws, layout.DECISIONS_TABLE, sheet.HEADERS)
    if after.day_rates != before.day_rates:
        check_table_columns(ws, layout.RATES_TABLE, sheet.RATE_HEADERS)
    if decision.kind == "allocation":
        check_table_columns(ws, layout.AREAS_TABLE, AREA_HEADERS)
    top, last = _bounds(ws, layout.DECISIONS_TABLE)
    row = next(
        (
            r
            for r in range(top, last + 1)
            if all(ws.cell(r, c).value in (None, "") for c in range(1, len(sheet.HEADERS) + 1))
        ),
        None,
    )
    if row is None:
        raise WorkbookFileError(
            f"the Decisions table on the Contract sheet is full ({last - top + 1} rows);"
            " rebuild the workbook to make room"
        )
    for c, value in enumerate(sheet.decision_values(decision), start=1):
        put(ws, row, c, value)
    styles.fit_height(ws, row)
    if after.day_rates != before.day_rates:  # the rate card, in date order, after line 1
        r_top, r_last = _bounds(ws, layout.RATES_TABLE)
        if len(after.day_rates) > r_last - r_top:
            raise WorkbookFileError("the Rates table on the Contract sheet is full")
        for r in range(r_top + 1, r_last + 1):
            i = r - r_top - 1
            line = after.day_rates[i] if i < len(after.day_rates) else None
            put(ws, r, 1, line.from_ if line else None)
            put(ws, r, 2, line.rate if line else None)
    if after.money.day_rate != before.money.day_rate:
        from xlsrc.edges.fileio.tracker_writer import set_named_value

        set_named_value(wb, "DayRate", after.money.day_rate)
    if decision.kind == "allocation":
        _set_allocation(ws, after)
    if after.contract_end != before.contract_end and layout.BUDGET in wb.sheetnames:
        from xlsrc.edges.workbook.sheets import budget

        chart_sheet = wb[layout.BUDGET]
        chart_sheet._charts = []  # its lines stop at the end in force: drawn to the new end
        budget.draw_chart(chart_sheet, after)
    return row


def _set_allocation(ws: Any, after: Terms) -> None:
    top, last = _bounds(ws, layout.AREAS_TABLE)
    header = [ws.cell(top - 1, c).value for c in range(1, 5)]
    short, days = header.index("Short name") + 1, header.index("Days allocated") + 1
    by_short = {a.short: a.days_allocated for a in after.areas}
    for r in range(top, last + 1):
        name = ws.cell(r, short).value
        if name in by_short:
            put(ws, r, days, by_short[name])


def _bounds(ws: Any, name: str) -> tuple[int, int]:
    """(first data row, last row) of a table on the sheet."""
    _, top, _, bottom = range_boundaries(ws.tables[name].ref)
    return top + 1, bottom
