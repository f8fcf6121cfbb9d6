"""calloff due: what falls due in a workbook, read once (xlsrc.core.due)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.core.due import FallingDue, falling_due
from xlsrc.edges.fileio.locked_months_reader import issued_returns


def workbook_due(path: Path, today: dt.date | None = None) -> tuple[str, FallingDue]:
    """(contract ID, what falls due) for the workbook at `path`."""
    day = today or dt.date.today()
    data = load_workbook_data(path)
    issued = set(issued_returns(data.book))
    invoiced = {m for row in data.invoices if (m := row.month_start) is not None}
    due = falling_due(data.terms, data.validate(day).entries, issued, invoiced, day)
    return data.terms.contract.id, due
