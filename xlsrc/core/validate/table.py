"""The Tracker table's shape: rows typed below it, and Month/Cost formulas typed over.

Neither can be seen in the rows' values: the reader (xlsrc.edges.fileio.reader.read_tracker_shape)
finds them in the file. A row below the table has no formula, so no figure counts it; a
typed Month or Cost makes the workbook count what was typed, not what the row is worth.
"""

from __future__ import annotations

from xlsrc.model import fmt
from xlsrc.model.entry import TableShape
from xlsrc.model.issues import Issue
from xlsrc.model.rules import FORMULA_OVERWRITTEN, ROW_BELOW_TABLE, issue


def check_shape(shape: TableShape) -> list[Issue]:
    found: list[Issue] = []
    for raw in shape.below:
        message = (
            f"Row {raw.row} is typed below the Tracker table (it ends at row {shape.last_row}),"
            " where no formula counts it: it is in no figure. Run calloff validate (it grows"
            " the table to take the row in), or in Excel drag the table's corner down to it"
        )
        first = next((c for c, v in raw.values.items() if v is not None), "")
        found.append(
            issue(ROW_BELOW_TABLE, raw.sheet, raw.row, first, raw.values.get(first), message)
        )
    for row, column, value in shape.overwritten:
        message = (
            f"{column} holds a typed value ({fmt.found(value)}) instead of the workbook's"
            f" formula, so the workbook counts what was typed here while calloff counts the"
            f" row by its Date and Days. Run calloff validate (it puts the formula back), or"
            f" copy the {column} cell of another row over it"
        )
        found.append(issue(FORMULA_OVERWRITTEN, "Tracker", row, column, value, message))
    return found
