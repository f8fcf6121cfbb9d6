"""One entry point per button, and the one boundary between them and the person pressing it.

The workbook's VBA runs, through xlwings' RunPython:

    RunPython "import xlsrc.adapters.xl.entry as e; e.validate()"

and likewise e.totals(), e.import_trackers(), e.build_return(), e.check_invoice(),
e.record_invoice(); xlwings
Lite (macros/lite/main.py) calls the same functions with its book. Each takes the calling
book, hands it to its `run_*` function (testable: it takes any xlwings-like book and returns
the same report as the CLI) and reports in the workbook: the one-line result in the
`ActionStatus` cell when the workbook has one, and a message box. A person's or a file's
problem (CalloffError) is that message; anything else is a bug: its traceback goes to a log
file the message names, never onto the screen.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from xlsrc.adapters.xl import write
from xlsrc.adapters.xl.book import XlBook
from xlsrc.adapters.xl.inputs import chosen_month, selected, tracker_files
from xlsrc.adapters.xl.page import page_setup
from xlsrc.adapters.xl.protection import protect_new_sheet, unprotected
from xlsrc.model import fmt, layout
from xlsrc.model.errors import CalloffError, UserDataError
from xlsrc.model.writes import cell_position

# Each button imports what it uses when pressed: Validate must not load pandas (xlwings Lite's
# Pyodide has none), and a button should not wait for libraries another button needs.
if TYPE_CHECKING:
    from xlsrc.actions.import_trackers import ImportReport
    from xlsrc.actions.invoice_record import RecordResult
    from xlsrc.actions.monthly_return import ReturnReport
    from xlsrc.actions.totals import TotalsResult
    from xlsrc.actions.validate import ValidateReport
    from xlsrc.core.invoices import InvoiceCheck

MAX_LINES = 14  # a message box shows this much; the rest is on the sheets or the CLI
R = TypeVar("R")


# The buttons.


def validate(book: Any = None) -> ValidateReport | None:
    return _button(book, "Validate", run_validate, _validated)


def totals(book: Any = None) -> TotalsResult | None:
    return _button(book, "Totals", run_totals, _totalled)


def import_trackers(book: Any = None) -> ImportReport | None:
    return _button(book, "Import trackers", run_import_trackers, _reported)


def build_return(book: Any = None) -> ReturnReport | None:
    return _button(book, "Build return", run_build_return, _reported)


def check_invoice(book: Any = None) -> InvoiceCheck | None:
    return _button(book, "Check invoice", run_check_invoice, _reported)


def record_invoice(book: Any = None) -> RecordResult | None:
    return _button(book, "Record invoice", run_record_invoice, _reported)


# What each button does: read ranges, call the same core as the CLI, write ranges.


def run_validate(book: Any, today: dt.date | None = None) -> ValidateReport:
    from xlsrc.actions.validate import check_workbook
    from xlsrc.actions.workbook_data import read_workbook_data

    today = today or dt.date.today()
    xb = XlBook(book)
    report = check_workbook(read_workbook_data(xb, listing=True), today, write=True)
    previous = write.previous_highlights(xb)
    broken = sum(i.sheet == layout.CONTRACT and i.severity == "error" for i in report.issues)
    with unprotected(book, [layout.ISSUES, layout.TRACKER, layout.CONTRACT]):
        write.write_issues(xb, report.issues, report.summary(today))
        write.highlight(xb, report.issues, previous)
        if ref := xb.names.get(layout.DECISION_ROW_ERRORS):  # CheckContractRows reads it
            sheet, cell = ref.rsplit("!", 1)
            row, column = cell_position(cell.replace("$", ""))
            write.put(book.sheets[sheet.strip("'")], row, column, [[broken]])
    return report


def run_totals(book: Any, today: dt.date | None = None) -> TotalsResult:
    from xlsrc.actions.totals import totals_of
    from xlsrc.actions.workbook_data import read_workbook_data

    return totals_of(read_workbook_data(XlBook(book)), today)


def run_import_trackers(
    book: Any, files: list[Path] | None = None, today: dt.date | None = None
) -> ImportReport:
    from xlsrc.actions.import_trackers import ImportReport, plan_import, with_master_rows

    xb = XlBook(book)
    files = tracker_files(xb) if files is None else files
    results, taken = plan_import(xb, files, take_valid=False, today=today or dt.date.today())
    written = write.append_tracker(xb, taken)  # Tracker input cells are unlocked
    if written:
        from xlsrc.edges.fileio.audit_rows import entries_audit

        with unprotected(book, [layout.AUDIT]):
            write.append_audit(xb, entries_audit(layout.ROWS_IMPORTED, taken, written))
    return ImportReport(xb.path, with_master_rows(results, written), written)


def run_build_return(book: Any, today: dt.date | None = None) -> ReturnReport:
    from xlsrc.actions.monthly_return import ReturnReport, audit_row, issue_stamp, plan_returns
    from xlsrc.core.returns.sheet import describe as describe_return

    today = today or dt.date.today()
    xb = XlBook(book)
    month = chosen_month(xb, selected(book), "Build return").month
    built, skipped = plan_returns(xb, [month], today=today)
    stamp = issue_stamp()
    with unprotected(book, [layout.AUDIT], structure=True):
        for ret in built:
            picture = describe_return(ret)
            write.add_return_sheet(xb, picture)
            write.append_audit(xb, audit_row(ret, stamp))
            if picture.page is not None:
                page_setup(book, ret.sheet_name, picture.page)
            protect_new_sheet(book, ret.sheet_name)
    return ReturnReport(built, skipped, [])


def run_check_invoice(book: Any, today: dt.date | None = None) -> InvoiceCheck:
    from xlsrc.actions.invoice_check import ledger_of

    xb = XlBook(book)
    chosen = chosen_month(xb, selected(book), "Check invoice")
    ledger = ledger_of(xb, today)
    on_sheet = [
        i
        for i in ledger.invoices
        if i.row == chosen.invoice_row or (chosen.invoice_row is None and i.month == chosen.month)
    ]
    if not on_sheet:
        raise UserDataError(
            f"there is no invoice for {fmt.month(chosen.month)} on the Invoices sheet: type it"
            " there (Month, Invoice number, Net, VAT, Gross), then press Check invoice again"
        )
    return ledger.check(on_sheet[0])


def run_record_invoice(book: Any, today: dt.date | None = None) -> RecordResult:
    """The invoice typed on the selected Invoices row goes on the register: checked as
    `calloff invoice record` checks it (plan_record), its Status set to Raised when blank.
    Refused with the figures, nothing written, when it disagrees with the Tracker. A credit
    note's invoice is marked Credited by hand first (the CLI's --credits does it)."""
    from dataclasses import replace

    from xlsrc.actions.invoice_check import ledger_of
    from xlsrc.actions.invoice_record import RecordResult, plan_record
    from xlsrc.edges.fileio.audit_rows import invoice_audit

    xb = XlBook(book)
    selection = selected(book)
    row = selection[1] if selection is not None and selection[0] == layout.INVOICES else None
    if row is None or row < layout.FIRST_DATA_ROW:
        raise UserDataError(
            "type the invoice on the Invoices sheet (Month, Invoice number, Net, VAT, Gross; To"
            " month, Invoice date, PO as they apply), select any cell of its row, then press"
            " Record invoice"
        )
    ledger = ledger_of(xb, today)
    typed = [i for i in ledger.invoices if i.row == row]
    if not typed:
        raise UserDataError(
            f"Invoices row {row} holds no invoice calloff can read (Month a date; Net, VAT and"
            " Gross numbers; Status blank, Raised, Paid or Credited): press Validate to see"
            " which cell"
        )
    invoice = typed[0] if typed[0].status else replace(typed[0], status="Raised")
    planned = plan_record(ledger, invoice)
    headers = xb.table(layout.INVOICES_TABLE)[0]
    if not typed[0].status:
        write.put(book.sheets[layout.INVOICES], row, headers.index("Status") + 1, [["Raised"]])
    with unprotected(book, [layout.AUDIT]):
        write.append_audit(xb, invoice_audit(invoice))
    return RecordResult(xb.path, row, planned.check, None, planned.after.invoiced_to_date())


# The boundary: one message for the person, the traceback only in the log.


def excel_user(book: Any) -> str:
    """Who pressed the button, as the Audit log records it: Excel's user name (Windows'
    Application.UserName, the Mac's user name) where the engine gives it, else "Excel user"
    (xlwings Lite and the remote engines have no such property)."""
    try:
        api = book.app.api
        name = getattr(api, "UserName", None) or api.user_name.get()
    except Exception:  # noqa: BLE001 - any engine without it: say so, never fail the press
        name = None
    return str(name).strip() if name and str(name).strip() else "Excel user"


def _button(
    book: Any, title: str, run: Callable[[Any], R], describe: Callable[[R], tuple[str, bool]]
) -> R | None:
    from xlsrc.model.audit import acting

    book = _caller() if book is None else book
    result: R | None = None
    try:
        with acting(excel_user(book)):
            result = run(book)
        message, problem = describe(result)
    except CalloffError as exc:
        message, problem = str(exc), True
    except Exception as exc:  # noqa: BLE001 - the one place a bug is caught, logged, reported
        message, problem = _bug(exc), True
    _tell(book, title, message, problem)
    return result


def _caller() -> Any:
    import xlwings as xw

    return xw.Book.caller()


def _bug(exc: Exception) -> str:
    from xlsrc.edges.errorlog import write_error_log

    log = write_error_log(traceback.format_exc())
    where = f" Details: {log}" if log else ""
    return f"Internal error (a bug, not your data): {type(exc).__name__}: {exc}.{where}"


def _tell(book: Any, title: str, message: str, problem: bool) -> None:
    """The status cell (if the workbook has one) and a message box; never raises."""
    lines = message.splitlines() or [""]
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"… and {len(lines) - MAX_LINES} more line(s)."]
    stamp = f"{dt.datetime.now():%d/%m/%Y %H:%M}"
    try:
        xb = XlBook(book)
        cell = write.status_cell(xb)
        with unprotected(book, [cell[0]] if cell else []):
            write.status(xb, f"{title}, {stamp}: {lines[0]}")
    except Exception as exc:  # noqa: BLE001 - reporting must not fail the report
        _bug(exc)
    try:
        mode = "critical" if problem else "info"
        book.app.alert("\n".join(lines)[:1000], title=f"calloff: {title}", mode=mode)
    except Exception as exc:  # noqa: BLE001
        _bug(exc)


# What each button says when it ran.


def _validated(report: ValidateReport) -> tuple[str, bool]:
    lines = [f"{report.counts()}: see the Issues sheet (each row links to its cell)."]
    lines += [str(issue) for issue in report.issues]
    return "\n".join(lines), report.has_problems


def _totalled(result: TotalsResult) -> tuple[str, bool]:
    from xlsrc.core.totals.presentation import totals_text

    text = totals_text(result.totals, result.contract_id)
    headline = text.split("\n\n")[0]
    if result.rows_with_errors:
        headline += (
            f"\n{result.rows_with_errors} tracker row(s) have errors and are left out;"
            " press Validate."
        )
    return headline, bool(result.rows_with_errors)


def _reported(report: Any) -> tuple[str, bool]:
    return report.to_text(), report.has_problems
