"""calloff totals: the Budget's figures computed in Python from the workbook's own data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xlsrc.actions.workbook_data import WorkbookData, load_workbook_data
from xlsrc.totals import Totals, compute_totals


@dataclass(frozen=True)
class TotalsResult:
    contract_id: str
    totals: Totals
    rows_with_errors: int


def workbook_totals(path: Path, today: dt.date | None = None) -> TotalsResult:
    return totals_of(load_workbook_data(path), today)


def totals_of(data: WorkbookData, today: dt.date | None = None) -> TotalsResult:
    """Python's totals over the rows without errors (rows with errors are counted apart)."""
    checked = data.validate(today)
    bad_rows = {(i.sheet, i.row) for i in checked.errors}
    return TotalsResult(
        data.terms.contract.id, compute_totals(data.terms, checked.entries), len(bad_rows)
    )
