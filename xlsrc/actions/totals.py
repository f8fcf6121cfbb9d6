"""calloff totals: the Budget's figures computed in Python from the workbook's own data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.totals import Totals, compute_totals


@dataclass(frozen=True)
class TotalsResult:
    contract_id: str
    totals: Totals
    rows_with_errors: int


def workbook_totals(path: Path, today: dt.date | None = None) -> TotalsResult:
    data = load_workbook_data(path)
    checked = data.validate(today)
    bad_rows = {(i.sheet, i.row) for i in checked.errors}
    return TotalsResult(
        data.terms.contract.id, compute_totals(data.terms, checked.entries), len(bad_rows)
    )
