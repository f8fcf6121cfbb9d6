"""Sign a month's return off in a test workbook, as the bundled example does: prepared by the
Supplier lead adviser 5 days after the month ends, approved by the DfE contract manager a week
later (a return is issued only once signed off: xlsrc/core/returns/signoff.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsrc.edges.fileio import progress_writer
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.model.dates import add_months
from xlsrc.model.fmt import parse_month


def signoff_row(month: str) -> dict[str, str]:
    end = add_months(parse_month(month), 1)  # the day after the month's last
    return {
        "Month": month,
        "Prepared by (role)": "Supplier lead adviser",
        "Prepared on": f"{end + dt.timedelta(days=4):%Y-%m-%d}",
        "Approved by (role)": "DfE contract manager",
        "Approved on": f"{end + dt.timedelta(days=11):%Y-%m-%d}",
        "Invoice number": "",
        "Purchase order number": "",
    }


def sign_off(path: Path, *months: str) -> None:
    """Record the sign-off of each month (YYYY-MM) on the Report sheet's SignOff table."""
    wb = load_for_edit(path)
    progress_writer.write_signoffs(wb, [signoff_row(m) for m in months])
    save_workbook(wb, path)
