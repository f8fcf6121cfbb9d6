"""One read of a workbook: what every command shows comes from one `WorkbookData`.

From a file (`load_workbook_data`, the CLI) or from any opened source
(`read_workbook_data`, e.g. the workbook open in Excel behind the buttons). The terms and the
Tracker are read at once; the rest (the Audit log, the Invoices, the progress tables) is read
from the same opened workbook the first time a command asks for it, and kept, so `validate`
reads no more than it needs and no command opens the file twice or validates it twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from xlsrc.core.validate import ValidationResult, validate_rows
from xlsrc.edges.fileio import progress_reader as progress
from xlsrc.edges.fileio.invoices_reader import InvoiceRow, read_invoices
from xlsrc.edges.fileio.reader import open_book, read_tracker, read_tracker_shape
from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.edges.fileio.terms_reader import read_terms, read_terms_listing
from xlsrc.model import layout
from xlsrc.model.entry import ALL_COLUMNS, RawRow, TableShape, tracker_columns_damaged
from xlsrc.model.errors import WorkbookFileError
from xlsrc.model.issues import Issue
from xlsrc.model.records import (
    AnnexARow,
    AreaReport,
    Ask,
    AuditRow,
    EHCPMonth,
    EvidenceRow,
    KeyDate,
    PlanItem,
    Recommendation,
    Risk,
    SEN2Year,
    SignOff,
)
from xlsrc.model.terms.models import Terms

if TYPE_CHECKING:  # totals load pandas: only a command that totals imports them
    from xlsrc.core.invoices.ledger import Ledger
    from xlsrc.core.totals import Totals

T = TypeVar("T")


class Progress:
    """What people record besides the Tracker, each table read from the opened workbook the
    first time it is asked for, and kept (a table an older workbook lacks reads as empty)."""

    def __init__(self, book: WorkbookSource) -> None:
        self._book = book

    def _optional(self, table: str, read: Callable[[WorkbookSource], list[T]]) -> list[T]:
        return read(self._book) if table in self._book.table_names else []

    @cached_property
    def annexa(self) -> list[AnnexARow]:
        return self._optional(layout.ANNEXA_TABLE, progress.read_annexa)

    @cached_property
    def ehcp(self) -> list[EHCPMonth]:
        return self._optional(layout.EHCP_TABLE, progress.read_ehcp)

    @cached_property
    def sen2(self) -> list[SEN2Year]:
        return self._optional(layout.SEN2_TABLE, progress.read_sen2)

    @cached_property
    def recommendations(self) -> list[Recommendation]:
        return self._optional(layout.VCU_TABLE, progress.read_recommendations)

    @cached_property
    def risks(self) -> list[Risk]:
        return self._optional(layout.RISKS_TABLE, progress.read_risks)

    @cached_property
    def evidence(self) -> list[EvidenceRow]:
        return self._optional(layout.EVIDENCE_TABLE, progress.read_evidence)

    @cached_property
    def plans(self) -> list[PlanItem]:
        return progress.read_plans(self._book)

    @cached_property
    def area_reports(self) -> list[AreaReport]:
        return progress.read_area_reports(self._book)

    @cached_property
    def key_dates(self) -> list[KeyDate]:
        return progress.read_key_dates(self._book)

    @cached_property
    def asks(self) -> list[Ask]:
        return progress.read_asks(self._book)

    @cached_property
    def signoffs(self) -> list[SignOff]:
        return progress.read_signoffs(self._book)


@dataclass(frozen=True)
class WorkbookData:
    """One read of a workbook: every figure a command shows comes from here, and the Tracker
    is validated once per day asked about (the result is kept)."""

    path: Path
    terms: Terms
    rows: list[RawRow]
    book: WorkbookSource  # the opened workbook, for actions that read more of it (locks, ...)
    shape: TableShape | None = None  # rows below the table, formulas typed over
    # Broken Decisions / Rates rows, left out of `terms` (read with listing=True only).
    contract_issues: tuple[Issue, ...] = ()
    _checked: dict[object, ValidationResult] = field(default_factory=dict, compare=False)
    _totals: dict[object, Totals] = field(default_factory=dict, compare=False)
    _ledgers: dict[object, Ledger] = field(default_factory=dict, compare=False)

    def validate(
        self, today: dt.date | None = None, locked_months: frozenset[dt.date] = frozenset()
    ) -> ValidationResult:
        key = (today or dt.date.today(), locked_months)
        if key not in self._checked:
            self._checked[key] = validate_rows(
                self.terms, self.rows, today=key[0], locked_months=locked_months, shape=self.shape
            )
        return self._checked[key]

    def totals(self, today: dt.date | None = None) -> Totals:
        """The Budget's figures: every row the workbook counts (docs/counting.md)."""
        key = today or dt.date.today()
        if key not in self._totals:
            from xlsrc.core.totals import compute_totals

            self._totals[key] = compute_totals(self.terms, self.validate(key).entries)
        return self._totals[key]

    def has(self, table: str) -> bool:
        return table in self.book.table_names

    @cached_property
    def audit(self) -> list[AuditRow]:
        """The Audit log's rows (none in an older workbook without one)."""
        return self._optional(layout.AUDIT_TABLE, progress.read_audit)

    @cached_property
    def invoices(self) -> list[InvoiceRow]:
        """The Invoices sheet's rows; a workbook without the table has none (`has` tells)."""
        return self._optional(layout.INVOICES_TABLE, read_invoices)

    @cached_property
    def progress(self) -> Progress:
        return Progress(self.book)

    def ledger(self, today: dt.date | None = None) -> Ledger:
        """`calloff invoice-check`'s ledger from this read's validation, totals and Invoices:
        the same figures as `calloff totals` (no locked months: an invoiced month's own rows
        count towards its invoice). Raises UserDataError when the Invoices cannot be read."""
        key = today or dt.date.today()
        if key not in self._ledgers:
            from xlsrc.core.invoices.ledger import build_ledger

            # No Invoices table: the reader's own message says so.
            has = self.has(layout.INVOICES_TABLE)
            invoices = self.invoices if has else read_invoices(self.book)
            self._ledgers[key] = build_ledger(
                self.terms, self.validate(key), self.totals(key), invoices
            )
        return self._ledgers[key]

    def _optional(self, table: str, read: Callable[[WorkbookSource], list[T]]) -> list[T]:
        return read(self.book) if self.has(table) else []


def load_workbook_data(path: str | Path, *, listing: bool = False) -> WorkbookData:
    return read_workbook_data(open_book(path), listing=listing)


def read_workbook_data(book: WorkbookSource, *, listing: bool = False) -> WorkbookData:
    """`listing`: a broken Decisions or Rates row is left out and listed (validate) instead
    of stopping the command with its place."""
    rows = read_tracker(book)  # first: "no Tracker table" says most about a foreign file
    headers = [str(h) for h in book.table(layout.TRACKER_TABLE)[0]]  # read once, kept
    if headers != list(ALL_COLUMNS):  # Cost or Month gone: the workbook cannot count a row
        raise WorkbookFileError(tracker_columns_damaged(book.path, headers))
    terms, issues = read_terms_listing(book) if listing else (read_terms(book), [])
    shape = read_tracker_shape(book)
    return WorkbookData(Path(book.path), terms, rows, book, shape, contract_issues=tuple(issues))


def snapshot(source: WorkbookSource | WorkbookData) -> WorkbookData:
    """The snapshot a command already holds, or one read of the opened workbook."""
    return source if isinstance(source, WorkbookData) else read_workbook_data(source)
