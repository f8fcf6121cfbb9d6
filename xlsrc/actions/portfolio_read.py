"""Read many contract workbooks into ContractLines, two processes at a time, never stopping.

`read_contract` reads one file (in a worker process) and returns its line, or the reason it
was skipped: any problem with one file, even a bug, is that file's reason and never stops the
others. `read_all` spreads the files over a process pool (both cores by default) and shows a
progress bar on stderr when it is a terminal.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from xlsrc.actions.workbook_data import WorkbookData, read_workbook_data
from xlsrc.core.invoices.check import InvoiceCheck
from xlsrc.core.mi.kpis import is_escalation, is_open, issued_on
from xlsrc.core.portfolio import ContractLine, Skipped
from xlsrc.edges.fileio.reader import open_book
from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.edges.mi.export_json import placeholders
from xlsrc.model import fmt, layout
from xlsrc.model.errors import CalloffError, UserDataError
from xlsrc.model.money import PENNY, ZERO

SUFFIXES = (".xlsx", ".xlsm")
WORKERS = 2
ADVISOR_NAME = "TrackerAdvisor"  # set in an advisor's tracker file (calloff tracker)

Result = ContractLine | Skipped


def find_workbooks(
    inputs: Iterable[Path], exclude: Path | None = None
) -> tuple[list[Path], list[Skipped]]:
    """The files to read: each file given, and every .xlsx/.xlsm in each folder given (its
    subfolders included), sorted; `exclude` (the summary being written) is left out."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            found += sorted(
                p for p in item.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
            )
        elif item.exists():
            found.append(item)
        else:
            skipped.append(Skipped(str(item), "no such file or folder"))
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    if exclude is not None:
        unique.pop(Path(exclude).resolve(), None)
    return list(unique.values()), skipped


def read_contract(path: Path, today: dt.date) -> Result:
    """One workbook's line, or why it was skipped (never raises)."""
    if path.name.startswith("~$"):
        return Skipped(str(path), "Excel's lock file for a workbook that is open, not a workbook")
    try:
        return _read(open_book(path), today)
    except CalloffError as exc:
        return Skipped(str(path), _without_path(str(exc), path))
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the roll-up
        return Skipped(str(path), f"could not be read ({type(exc).__name__}: {exc})")


def _without_path(message: str, path: Path) -> str:
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def _read(book: WorkbookSource, today: dt.date) -> Result:
    path = Path(book.path)
    if layout.TRACKER_TABLE not in book.table_names:
        found = ", ".join(book.table_names) or "none"
        return Skipped(
            str(path), f"not a contract workbook: it has no Tracker table (tables: {found})"
        )
    if ADVISOR_NAME in book.names and (owner := book.named_value(ADVISOR_NAME)) not in ("", None):
        return Skipped(
            str(path),
            f"an advisor's tracker file ({owner}), not a contract's master workbook:"
            " merge it with calloff import",
        )
    data = read_workbook_data(book)  # the one read every figure below comes from
    terms, checked, totals = data.terms, data.validate(today), data.totals(today)
    risks = data.progress.risks
    issued = [a for a in data.audit if a.action == layout.RETURN_ISSUED and a.month]
    dates = [d for a in issued if (d := issued_on(a.when)) is not None]
    months = [m for a in issued if (m := _month(a.month)) is not None]
    checks, problem = _invoice_checks(data, today)
    bands = [b for b in terms.alerts.cap_bands if b < 1]
    return ContractLine(
        path=str(path),
        contract_id=terms.contract.id,
        reference=terms.contract.reference,
        title=terms.contract.title,
        supplier=terms.contract.supplier,
        marking=terms.contract.protective_marking,
        areas=tuple(a.short for a in terms.areas),
        start=terms.dates.start,
        end=terms.dates.end,
        break_=terms.dates.break_,
        contract_end=terms.contract_end,
        cap=terms.cap_now.quantize(PENNY),
        spent=totals.TotalNet,
        cap_used=totals.CapUsedPct,
        forecast_end=totals.ForecastEnd,
        alert=totals.AlertBand,
        warn_at=max(bands, default=ZERO + 1),
        last_return=max(dates, default=None),
        last_return_month=max(months, default=None),
        open_escalations=sum(is_escalation(r) for r in risks),
        open_risks=sum(is_open(r) for r in risks),
        rows_with_errors=len(checked.error_rows()),
        invoices=len(checks),
        invoices_failed=sum(not c.passed for c in checks),
        invoiced_net=sum((c.invoice.net for c in checks), ZERO),
        allocation_cost=sum((a.days_allocated for a in terms.areas), ZERO)
        * terms.effective.rate_now,
        invoices_problem=problem,
        master_cached=_cached_master_check(book),
        placeholders=tuple(placeholders(terms)),
    )


def _month(text: str) -> dt.date | None:
    try:
        return fmt.parse_month(text)
    except ValueError:
        return None


def _invoice_checks(data: WorkbookData, today: dt.date) -> tuple[list[InvoiceCheck], str | None]:
    """`calloff invoice-check`'s verdict on each Invoices row (or why they cannot be checked),
    from the validation and totals this command has already made: the same figures."""
    if not data.has(layout.INVOICES_TABLE):
        return [], None
    try:
        if not data.invoices:
            return [], None
        ledger = data.ledger(today)
    except UserDataError as exc:
        return [], str(exc)
    return [ledger.check(invoice) for invoice in ledger.invoices], None


def _cached_master_check(book: WorkbookSource) -> bool | None:
    """The Checks sheet's MasterCheck as saved in the file (by calloff, Excel or LibreOffice);
    None when the file holds no result (saved by a tool that caches none) or no such name."""
    if "MasterCheck" not in book.names:
        return None
    try:
        value = book.named_value("MasterCheck")
    except CalloffError:
        return None
    return value if isinstance(value, bool) else None


def read_all(
    paths: list[Path],
    today: dt.date,
    *,
    workers: int = WORKERS,
    progress: bool | None = None,
) -> list[Result]:
    """Every file's line or reason, in the order given. `progress`: None shows the bar only
    when stderr is a terminal."""
    from tqdm import tqdm

    bar = tqdm(
        total=len(paths),
        desc="Reading workbooks",
        unit="workbook",
        file=sys.stderr,
        disable=None if progress is None else not progress,
    )
    results: list[Result | None] = [None] * len(paths)
    workers = max(1, min(workers, len(paths), os.cpu_count() or 1))
    with bar:
        if workers == 1:
            for n, path in enumerate(paths):
                results[n] = read_contract(path, today)
                bar.update()
        else:
            crashed = _in_pool(paths, today, workers, results, bar)
            for n in crashed:  # one file crashed a worker: find it, alone in its own process
                results[n] = _isolated(paths[n], today)
                bar.update()
    return [r for r in results if r is not None]


def _in_pool(
    paths: list[Path], today: dt.date, workers: int, results: list[Any], bar: Any
) -> list[int]:
    crashed: list[int] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures: dict[Future[Result], int] = {
            pool.submit(read_contract, path, today): n for n, path in enumerate(paths)
        }
        for future in as_completed(futures):
            n = futures[future]
            try:
                results[n] = future.result()
                bar.update()
            except BrokenProcessPool:
                crashed.append(n)
    return sorted(crashed)


def _isolated(path: Path, today: dt.date) -> Result:
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return pool.submit(read_contract, path, today).result()
    except BrokenProcessPool:
        return Skipped(str(path), "the reader crashed on this file; it is probably damaged")
