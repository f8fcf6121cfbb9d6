"""calloff tracker: a standalone tracker file for one advisor, to fill in and send back.

The file is the full governed workbook built from the same terms, not a cut-down copy: the
Tracker's formulas, drop-downs and highlighting all refer to defined names (DayRate,
StartDate, AdvisorList, ...) that only resolve when the sheets behind them are there, and a
full build is already proven to pass the structural checks and open in LibreOffice.

What makes it one advisor's file:
- the defined name `TrackerAdvisor` -> a locked cell on the Guide holding the advisor's ID,
  which `calloff import` reads to refuse rows for anyone else;
- the Guide's and the Tracker's titles say whose file it is and where it goes back to;
- the Tracker's Advisor drop-down lists only that ID (its list is `TrackerAdvisor`).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.outputs import check_output
from xlsrc.edges.fileio.reader import open_book
from xlsrc.edges.fileio.terms_reader import read_terms
from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.builder import build_workbook
from xlsrc.edges.workbook.cells import put, set_data
from xlsrc.edges.workbook.names import define
from xlsrc.model import layout
from xlsrc.model.errors import UserDataError
from xlsrc.model.terms import default_terms_path, load_terms
from xlsrc.model.terms.models import Terms

ADVISOR_NAME = "TrackerAdvisor"  # defined name: whose tracker this file is
ADVISOR_CELL = (3, 2)  # Guide!B3: rows 1-2 hold the title, row 4 the master check
DEFAULT_FOLDER = Path("trackers")


def default_output(contract_id: str, advisor: str) -> Path:
    return DEFAULT_FOLDER / f"{contract_id}-{advisor}.xlsx"


def write_advisor_tracker(
    advisor: str,
    *,
    terms_file: Path | None = None,
    master: Path | None = None,
    out: Path | None = None,
    force: bool = False,
) -> Path:
    """Write advisor's tracker file (terms from `master` if given, else the terms file).

    Never over the master, nor over a workbook that holds data, unless `force`."""
    if master is not None:
        terms, source = read_terms(open_book(master)), f"master workbook {Path(master).name}"
    else:
        terms, source = load_terms(terms_file), (terms_file or default_terms_path()).name
    known = [a.id for a in terms.advisors]
    if advisor not in known:
        raise UserDataError(
            f"unknown advisor {advisor!r}; {terms.contract.id}'s advisors are {', '.join(known)}"
        )
    target = check_output(
        out or default_output(terms.contract.id, advisor),
        inputs=[master] if master is not None else [],
        force=force,
    )
    save_workbook(advisor_workbook(terms, advisor, source), target)
    return target


def advisor_workbook(terms: Terms, advisor: str, terms_source: str) -> Workbook:
    wb = build_workbook(terms, terms_source)
    guide = wb[layout.GUIDE]
    # The title cells keep the fonts build_workbook gave them; only the words change.
    set_data(
        guide["A1"], f"Tracker for advisor {advisor} — return this file to the contract manager"
    )
    set_data(
        guide["A2"],
        f"{terms.contract.title} — {terms.contract.id}. Fill in the Tracker sheet with your own"
        " days only; the contract manager merges it into the master with 'calloff import'.",
    )
    row, col = ADVISOR_CELL
    put(guide, row, col - 1, "This tracker is for").font = styles.BOLD
    styles.calc_cell(put(guide, row, col, advisor))  # locked: the file's owner is not an input
    define(wb, ADVISOR_NAME, layout.GUIDE, guide.cell(row, col).coordinate)

    tracker = wb[layout.TRACKER]
    set_data(tracker["A1"], f"Day tracker — {terms.contract.id} — advisor {advisor}")
    _only_this_advisor(tracker, advisor)
    return wb


def _only_this_advisor(ws: Worksheet, advisor: str) -> None:
    """Point the Advisor drop-down at the one-cell TrackerAdvisor list.

    A defined name, not a literal "RK-01" list: list validation must not point across sheets
    directly, and a name avoids quoting the ID. If Python ever grows this file's table
    (tracker_writer.grow_tracker) the drop-down goes back to the full AdvisorList; the
    import still refuses other advisors' rows.
    """
    found = [dv for dv in ws.data_validations.dataValidation if dv.formula1 == "AdvisorList"]
    if len(found) != 1:  # the Tracker builder changed: fail loudly, this is a bug
        raise RuntimeError(f"expected one AdvisorList validation on Tracker, found {len(found)}")
    dv = found[0]
    dv.formula1 = ADVISOR_NAME
    dv.prompt = f"This file is {advisor}'s tracker: the Advisor is always {advisor}."
    dv.error = f"This file is {advisor}'s tracker; pick {advisor}."
