"""calloff totals: the Budget's figures computed in Python from the workbook's own data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xlsrc.actions.workbook_data import WorkbookData, load_workbook_data
from xlsrc.core.totals import Totals


@dataclass(frozen=True)
class TotalsResult:
    contract_id: str
    totals: Totals
    rows_with_errors: int  # rows with an error; counted or not
    rows_not_counted: int  # rows in no figure at all (xlsrc.core.tracker.counting)

    def notes(self) -> list[str]:
        """What a person must know about these figures, one line each."""
        if not self.rows_with_errors:
            return []
        lines = [f"{self.rows_with_errors} tracker row(s) have errors: run 'calloff validate'."]
        if self.rows_not_counted:
            lines.append(
                f"{self.rows_not_counted} of them cannot be counted (docs/counting.md):"
                " they are in none of these figures, nor in the workbook's."
            )
        return lines


def workbook_totals(path: Path, today: dt.date | None = None) -> TotalsResult:
    return totals_of(load_workbook_data(path), today)


def totals_of(data: WorkbookData, today: dt.date | None = None) -> TotalsResult:
    """The totals of the rows the workbook counts, as its Budget sheet shows them."""
    checked = data.validate(today)
    return TotalsResult(
        data.terms.contract.id,
        data.totals(today),
        len(checked.error_rows()),
        len(checked.uncounted),
    )
