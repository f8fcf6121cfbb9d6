"""calloff validate: check every Tracker entry, list the problems in the Issues sheet and
highlight their cells. What people typed is never changed; only the Issues sheet and the
Tracker input cells' fills are rewritten, and only when they do not already show this run's
result (xlsrc.edges.fileio.issues_shown): a workbook already up to date is not saved at all (no new
backup, no new modification time), and openpyxl is loaded only to write.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from xlsrc.actions.audit_log import chain_issues
from xlsrc.actions.check_voices import VOICES, check_issues
from xlsrc.actions.workbook_data import WorkbookData, load_workbook_data
from xlsrc.core.returns.month_fingerprint import changed_locked_months, repriced_locked_months
from xlsrc.core.validate.parse import is_blank_row
from xlsrc.core.validate.typed_tables import TYPED_TABLES, check_table
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.issues_shown import shows_issues
from xlsrc.edges.fileio.locked_months_reader import issued_returns
from xlsrc.edges.fileio.period_lock import one_per_cell, period_lock_issues
from xlsrc.edges.fileio.reader import Book
from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.edges.fileio.tamper import changed_terms
from xlsrc.edges.fileio.terms_reader import decisions_after_today, decisions_over_cap
from xlsrc.edges.fileio.writer_lock import workbook_lock
from xlsrc.model import checks_summary, layout, rules
from xlsrc.model.errors import WorkbookFileError
from xlsrc.model.issues import Issue

# The codes of a check of the Checks sheet not met (a warning among them is still Not OK).
_CHECK_CODES = frozenset().union(*VOICES.values())


@dataclass(frozen=True)
class ValidateReport:
    workbook: Path
    rows_checked: int
    issues: list[Issue]  # errors first, each severity in sheet order
    written: bool
    repaired: list[str] = field(default_factory=list)  # what this run put right in the table

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def has_problems(self) -> bool:
        return bool(self.errors)

    @property
    def not_met(self) -> list[Issue]:
        """What makes the workbook Not OK: every error, and a warning that voices a check of
        the Checks sheet (xlsrc.actions.check_voices.VOICES: the allocation against the cap)."""
        return [i for i in self.issues if i.severity == "error" or i.code in _CHECK_CODES]

    @property
    def state(self) -> str:
        """OK, Warning or Not OK: the Guide's state (xlsrc.model.checks_summary), from what
        validate found."""
        not_met = self.not_met
        return checks_summary.state_of(len(not_met), len(self.issues) - len(not_met))

    @property
    def first_to_act_on(self) -> str:
        """The first thing to act on, in words with its place ("" when all is OK)."""
        ranked = self.not_met + [i for i in self.issues if i not in self.not_met]
        return f"{ranked[0].message} ({ranked[0].where})" if ranked else ""

    def state_line(self) -> str:
        """The Guide's state, and where the first thing to act on is (its issue follows)."""
        ranked = self.not_met + [i for i in self.issues if i not in self.not_met]
        first = f" {checks_summary.FIRST}{ranked[0].code} at {ranked[0].where}" if ranked else ""
        return f"{self.state}.{first}"

    def counts(self) -> str:
        return f"{self.rows_checked} rows, {len(self.errors)} errors, {len(self.warnings)} warnings"

    def summary(self, today: dt.date) -> str:
        """The line at the top of the Issues sheet."""
        return f"Validated {today:%d/%m/%Y}: {self.counts()}"

    def to_text(self) -> str:
        where = "Issues sheet and highlights updated" if self.written else "workbook not changed"
        lines = [f"{self.workbook}: {self.counts()} ({where})", f"  {self.state_line()}"]
        lines += [f"  Put right: {what}." for what in self.repaired]
        lines += [f"  {issue}" for issue in self.issues]
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return {
            "workbook": str(self.workbook),
            "rows_checked": self.rows_checked,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "state": self.state,
            "first_to_act_on": self.first_to_act_on,
            "issues": [issue.to_json() for issue in self.issues],
            "repaired": self.repaired,
        }


def validate_workbook(
    path: Path, *, today: dt.date | None = None, write: bool = True
) -> ValidateReport:
    from xlsrc.edges.formulas.cache import already_reported

    today = today or dt.date.today()
    with workbook_lock(path) if write else nullcontext():
        report = _validate(path, today, write)
    already_reported(
        f"{i.sheet}!{i.column}{i.row}"
        for i in report.issues
        if i.code == rules.FORMULA_UNCOMPUTED.code
    )
    return report


def _validate(path: Path, today: dt.date, write: bool) -> ValidateReport:
    data = load_workbook_data(path, listing=True)
    shape = data.shape
    repaired: list[str] = []
    wb = None
    if write and _owned_parts_lost(path):
        from xlsrc.edges.fileio.tracker_writer import load_for_repair

        # Parts calloff owns that another program's save dropped (fullCalcOnLoad, the
        # Tracker's calculated columns, the Budget chart) come back through openpyxl, never
        # the package writer, which would leave them lost.
        wb, put_right = load_for_repair(path, data.terms)
        repaired += put_right
    if write and shape is not None and not shape.sound:
        from xlsrc.edges.fileio.tracker_writer import (
            load_for_edit,
            restore_formulas,
            take_in_rows_below,
        )

        # The table's shape is the workbook's, not what people typed: put it right first (the
        # table takes in rows typed below it, formulas come back), then check what it holds.
        wb = wb or load_for_edit(path)
        ws = wb[layout.TRACKER]
        if below := take_in_rows_below(ws):
            repaired.append(f"the Tracker table now takes in row(s) {_rows(below)} typed below it")
        if shape.overwritten:
            rows = sorted({row for row, _, _ in shape.overwritten})
            restore_formulas(ws, rows)
            repaired.append(f"the Month and Cost formulas are back on row(s) {_rows(rows)}")
        data = replace(data, rows=data.rows + shape.below, shape=None, _checked={}, _totals={})
    report = replace(check_workbook(data, today, write=write), repaired=repaired)
    summary = report.summary(today)
    broken = sum(i.sheet == layout.CONTRACT and i.severity == "error" for i in report.issues)
    recorded = (
        data.book.named_value(layout.DECISION_ROW_ERRORS)
        if layout.DECISION_ROW_ERRORS in data.book.names
        else broken
    )
    count_changed = recorded != broken
    if write and wb is None and not count_changed and _already_shown(data, report.issues, summary):
        return replace(report, written=False)
    if write and wb is None and not count_changed and _written_in_package(path, report, summary):
        return report
    if write:
        from xlsrc.edges.fileio.issues_writer import highlight_tracker, write_issues
        from xlsrc.edges.fileio.tracker_writer import load_for_edit, set_named_value
        from xlsrc.edges.formulas.cache import Kept, kept_from

        # Every formula's cached value is what the formulas give on the file as it now is: the
        # file's own values are kept only for the sheets proven unchanged since they were
        # computed (xlsrc.edges.formulas.cache); the Issues sheet is always computed.
        kept = kept_from(path)
        if kept is not None:
            kept = Kept(kept.values, frozenset({layout.ISSUES}))
        if wb is None:
            wb = load_for_edit(path)
        write_issues(wb, data.terms, report.issues, summary)
        if repaired:
            from xlsrc.edges.fileio.audit_rows import simple_audit
            from xlsrc.edges.fileio.audit_writer import append_audit

            append_audit(wb, simple_audit(layout.REPAIRED, "; ".join(repaired)))
        highlight_tracker(wb, report.issues)
        if count_changed:
            set_named_value(wb, layout.DECISION_ROW_ERRORS, broken)
        try:
            save_workbook(wb, path, kept=kept)
        except OSError as exc:  # e.g. the file is open in Excel on Windows, or read-only
            raise WorkbookFileError(
                f"{path}: cannot save the results ({exc.strerror or exc});"
                " close the workbook elsewhere and run validate again"
            ) from None
    return report


def _owned_parts_lost(path: Path) -> bool:
    """Another program's save lost parts calloff owns (read from the package; imports openpyxl
    to ask whether it can read the Budget chart)."""
    from xlsrc.edges.fileio.tracker_writer import missing_owned_parts

    return bool(missing_owned_parts(path))


def _written_in_package(path: Path, report: ValidateReport, summary: str) -> bool:
    """Written by editing only the parts that change (xlsrc.edges.fileio.package_writer);
    False, with nothing written, for a package it leaves to openpyxl."""
    from xlsrc.edges.fileio.package_writer import NotPlain, write_validation

    try:
        write_validation(path, report.issues, summary)
    except NotPlain:
        return False
    return True


def typed_table_issues(book: WorkbookSource) -> list[Issue]:
    """Each cell of the other typed tables (Invoices, EHCP, ...) that its formulas cannot
    read (xlsrc.core.validate.typed_tables); a table an older workbook lacks has none."""
    out: list[Issue] = []
    for spec in TYPED_TABLES:
        if spec.table in book.table_names:
            headers, rows, first = book.table(spec.table)
            out += check_table(spec, headers, rows, first)
    return out


def _already_shown(data: WorkbookData, issues: list[Issue], summary: str) -> bool:
    """The file shows exactly what writing would put there (read from the file itself)."""
    return isinstance(data.book, Book) and shows_issues(data.book, issues, summary)


def _rows(rows: list[int]) -> str:
    return ", ".join(map(str, rows[:10])) + (
        f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    )


def check_workbook(data: WorkbookData, today: dt.date, *, write: bool) -> ValidateReport:
    """Every issue in the workbook's Tracker; `write` only says what the caller will do."""
    # Existing rows of a locked month are fine as long as they are what was returned: the
    # period lock compares fingerprints (below) instead of flagging every row MONTH-LOCKED.
    # New rows into locked months are refused when they are imported.
    result = data.validate(today)
    issued = {
        m: (r.version, r.fingerprint) for m, r in issued_returns(data.book, strict=False).items()
    }
    tampered = changed_locked_months(result.entries, issued)
    tampered += period_lock_issues(data.book, data.rows, result.entries, data.shape)
    tampered += chain_issues(data.book)
    # Rows unchanged, price changed: a day rate reaching back into an issued month.
    tampered += repriced_locked_months(
        data.terms.effective.rate_on,
        result.entries,
        {
            m: (r.version, r.net)
            for m, r in issued_returns(data.book, strict=False).items()
            if not any(i.value == f"{m:%Y-%m}" for i in tampered)
        },
    )
    term_changes = changed_terms(data.book, data.terms, tuple(issued))
    term_changes += decisions_after_today(data.book, data.terms, today)
    term_changes += decisions_over_cap(data.book, data.terms, result.entries)
    term_changes += contradiction_warnings(data)
    term_changes += register_issues(data, today)
    term_changes += uncomputed_formulas(data.book)
    return ValidateReport(
        workbook=data.path,
        rows_checked=sum(not is_blank_row(r) for r in data.rows),
        issues=[
            *data.contract_issues,
            *tampered,
            *one_per_cell(tampered, result.errors),
            *typed_table_issues(data.book),
            *check_issues(data, today),
            *result.warnings,
            *term_changes,
        ],
        written=write,
    )


def uncomputed_formulas(book: WorkbookSource) -> list[Issue]:
    """A warning at each formula calloff cannot compute (xlsrc.edges.formulas.coverage): its
    save leaves the cell without a value, which Excel fills when it recalculates the file."""
    if not isinstance(book, Book):
        return []
    from xlsrc.edges.formulas.coverage import uncomputed_in

    return [
        Issue(
            found.sheet,
            found.row,
            found.column,
            found.formula,
            rules.FORMULA_UNCOMPUTED.code,
            rules.FORMULA_UNCOMPUTED.severity,
            f"{found.sheet}!{found.column}{found.row}: calloff cannot compute {found.formula}"
            f" ({found.why}); the cell is saved without a value: open the file in Excel to"
            " recalculate it, or replace the formula.",
        )
        for found in uncomputed_in(book.path)
    ]


def contradiction_warnings(data: WorkbookData) -> list[Issue]:
    """A warning at the Report or VCU row of each month's contradiction not yet acknowledged
    (xlsrc.core.returns.consistency): the return cannot be issued until it is."""
    from xlsrc.core.returns import consistency

    progress = data.progress
    found = consistency.in_workbook(
        [a.short for a in data.terms.areas],
        progress.annexa,
        progress.area_reports,
        progress.recommendations,
        progress.risks,
        layout.month_header,
    )
    out = []
    for month, c in found:
        sheet, _, cell = c.where.partition("!")
        row = int("".join(ch for ch in cell if ch.isdigit()) or 0)
        column = "Summary judgement" if sheet == layout.REPORT else "Recommendation"
        out.append(
            Issue(
                sheet or layout.REPORT,
                row,
                column,
                c.area,
                rules.RETURN_CONTRADICTS.code,
                rules.RETURN_CONTRADICTS.severity,
                f"{month:%B %Y}, {c.area}: {c.what}. Resolve it, or say why it stands in "
                f"'Contradiction acknowledged' on the Report sheet ({month:%B %Y}, {c.area}).",
            )
        )
    return out


def register_issues(data: WorkbookData, today: dt.date) -> list[Issue]:
    """The invoice register against the Tracker: once the register is kept (it holds an
    invoice), a month before this one delivered but not invoiced (a warning naming the month).
    A month invoiced twice is the invoice check's (xlsrc.actions.check_voices, at each row);
    junk on the sheet is the typed tables' (CELL-UNREADABLE at its cell)."""
    from xlsrc.model import fmt
    from xlsrc.model.errors import UserDataError
    from xlsrc.model.fmt import month as month_name
    from xlsrc.model.money import ZERO

    if not data.has(layout.INVOICES_TABLE):
        return []
    try:
        ledger = data.ledger(today)
    except UserDataError:
        return []
    out: list[Issue] = []
    if not ledger.invoices:
        return out
    this_month = today.replace(day=1)
    for month, figures in sorted(ledger.months.items()):
        if month >= this_month or figures.net <= ZERO or ledger.in_force_for(month):
            continue
        out.append(
            Issue(
                layout.INVOICES,
                0,
                "Month",
                f"{month:%Y-%m}",
                rules.MONTH_NOT_INVOICED.code,
                rules.MONTH_NOT_INVOICED.severity,
                f"{month_name(month)} was delivered ({fmt.days(figures.days)}, net"
                f" {fmt.money(figures.net)})"
                " but has no invoice in force on the register: record it with `calloff invoice"
                " record` (or type it on the Invoices sheet).",
            )
        )
    return out
