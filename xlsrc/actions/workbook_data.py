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

from xlsrc import layout
from xlsrc.fileio import progress_reader as progress
from xlsrc.fileio.invoices_reader import InvoiceRow, read_invoices
from xlsrc.fileio.reader import open_book, read_tracker, read_tracker_shape
from xlsrc.fileio.source import WorkbookSource
from xlsrc.fileio.terms_reader import read_terms, read_terms_listing
from xlsrc.issues import Issue
from xlsrc.progress import (
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
from xlsrc.terms.models import Terms
from xlsrc.tracker.model import RawRow, TableShape
from xlsrc.validate import ValidationResult, validate_rows

if TYPE_CHECKING:  # totals load pandas: only a command that totals imports them
    from xlsrc.invoices.ledger import Ledger
    from xlsrc.totals import Totals

T = TypeVar("T")


@dataclass(frozen=True)
class Progress:
    """What people record besides the Tracker, as one read found it (a table an older
    workbook lacks reads as empty)."""

    annexa: list[AnnexARow]
    ehcp: list[EHCPMonth]
    sen2: list[SEN2Year]
    recommendations: list[Recommendation]
    risks: list[Risk]
    evidence: list[EvidenceRow]
    plans: list[PlanItem]
    area_reports: list[AreaReport]
    key_dates: list[KeyDate]
    asks: list[Ask]
    signoffs: list[SignOff]


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
            from xlsrc.totals import compute_totals

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
        return Progress(
            annexa=self._optional(layout.ANNEXA_TABLE, progress.read_annexa),
            ehcp=self._optional(layout.EHCP_TABLE, progress.read_ehcp),
            sen2=self._optional(layout.SEN2_TABLE, progress.read_sen2),
            recommendations=self._optional(layout.VCU_TABLE, progress.read_recommendations),
            risks=self._optional(layout.RISKS_TABLE, progress.read_risks),
            evidence=self._optional(layout.EVIDENCE_TABLE, progress.read_evidence),
            plans=progress.read_plans(self.book),
            area_reports=progress.read_area_reports(self.book),
            key_dates=progress.read_key_dates(self.book),
            asks=progress.read_asks(self.book),
            signoffs=progress.read_signoffs(self.book),
        )

    def ledger(self, today: dt.date | None = None) -> Ledger:
        """`calloff invoice-check`'s ledger from this read's validation, totals and Invoices:
        the same figures as `calloff totals` (no locked months: an invoiced month's own rows
        count towards its invoice). Raises UserDataError when the Invoices cannot be read."""
        key = today or dt.date.today()
        if key not in self._ledgers:
            from xlsrc.invoices.ledger import build_ledger

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
    terms, issues = read_terms_listing(book) if listing else (read_terms(book), [])
    shape = read_tracker_shape(book)
    return WorkbookData(Path(book.path), terms, rows, book, shape, contract_issues=tuple(issues))


def snapshot(source: WorkbookSource | WorkbookData) -> WorkbookData:
    """The snapshot a command already holds, or one read of the opened workbook."""
    return source if isinstance(source, WorkbookData) else read_workbook_data(source)
