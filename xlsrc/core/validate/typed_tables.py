"""The typed tables besides the Tracker follow its counting rule: a cell holding what its
column's formulas cannot read as the column needs (text for a number or a date, a rating not
on the list, an error value) is an error at its cell, and counts nowhere, in Python (the
readers leave it out) and in the formulas (they test ISNUMBER before they compute).

`TYPED_TABLES` declares, per table, what each typed column needs; `check_table` judges one
table's cells against it. Which cells a table has is the workbook's business (the caller reads
them); this module only judges plain values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from xlsrc.core.validate.parse import is_blank, read_date
from xlsrc.model import fmt, layout
from xlsrc.model.issues import Issue
from xlsrc.model.rules import CELL_UNREADABLE, issue
from xlsrc.model.terms.sections import RATINGS
from xlsrc.model.typed import read_number
from xlsrc.model.writes import column_letter

Kind = Literal["date", "number", "whole", "percent", "score", "rating", "status"]
# What a spreadsheet shows for a formula that failed (an error value typed or pasted in).
ERROR_VALUES = frozenset(
    {"#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)
_NEEDS = {
    "date": "a date (dd/mm/yyyy, in a cell formatted as a date)",
    "number": "a number",
    "whole": "a whole number, 0 or more",
    "percent": "a percentage from 0% to 100%",
    "score": "a whole number from 1 to 5",
    "rating": f"one of {', '.join(RATINGS)}",
    "status": f"one of {', '.join(layout.INVOICE_STATUSES)}",
}


@dataclass(frozen=True)
class TypedTable:
    """A table people type into: the sheet it is on, and what each typed column needs.
    `rest`: what every column after the named ones needs (AnnexA's months of ratings)."""

    sheet: str
    table: str
    columns: dict[str, Kind]
    rest: Kind | None = None
    # The first column of the table on its sheet (1 = A), for the cell a message names.
    first_column: int = 1
    skip: tuple[str, ...] = field(default=())  # header columns never judged


TYPED_TABLES: tuple[TypedTable, ...] = (
    TypedTable(
        layout.INVOICES,
        layout.INVOICES_TABLE,
        {
            "Month": "date",
            "Net": "number",
            "VAT": "number",
            "Gross": "number",
            "Date received": "date",
            "To month": "date",
            "Invoice date": "date",
            "Status": "status",
        },
    ),
    TypedTable(
        layout.EHCP,
        layout.EHCP_TABLE,
        {
            "Month": "date",
            "New EHC plans issued": "whole",
            "Issued within 20 weeks": "whole",
            "Trajectory %": "percent",
        },
    ),
    TypedTable(
        layout.EHCP,
        layout.SEN2_TABLE,
        {
            "Calendar year": "whole",
            "% within 20 weeks (SEN2, excl. exceptions)": "percent",
            "Published on": "date",
        },
        first_column=9,
    ),
    TypedTable(layout.PLANS, layout.PLANS_TABLE, {"Due": "date", "Completed on": "date"}),
    TypedTable(layout.EVIDENCE, layout.EVIDENCE_TABLE, {"Month": "date"}),
    TypedTable(
        layout.REPORT,
        layout.AREA_REPORT_TABLE,
        {"Month": "date", "Days planned next month": "number"},
    ),
    TypedTable(
        layout.REPORT,
        layout.KEY_DATES_TABLE,
        {"Return month": "date", "Date": "date", "Days planned": "number"},
    ),
    TypedTable(layout.REPORT, layout.ASKS_TABLE, {"Raised": "date", "Resolved on": "date"}),
    TypedTable(
        layout.REPORT,
        layout.SIGNOFF_TABLE,
        {"Month": "date", "Prepared on": "date", "Approved on": "date"},
    ),
    TypedTable(
        layout.RISKS,
        layout.RISKS_TABLE,
        {
            "Likelihood (1-5)": "score",
            "Impact (1-5)": "score",
            "Raised": "date",
            "Last reviewed": "date",
        },
    ),
    TypedTable(layout.VCU, layout.VCU_TABLE, {"Month": "date"}),
    TypedTable(layout.ANNEXA, layout.ANNEXA_TABLE, {}, rest="rating", skip=layout.ANNEXA_FIXED),
)


def check_table(
    spec: TypedTable, headers: list[str], rows: list[list[object]], first_row: int
) -> list[Issue]:
    """An error for each cell of the table that its column's formulas cannot read."""
    judged: list[tuple[int, str, Kind]] = []
    for c, header in enumerate(headers):
        kind = spec.columns.get(header)
        if kind is None and spec.rest is not None and header not in spec.skip:
            kind = spec.rest
        if kind is not None:
            judged.append((c, header, kind))
    out = []
    for n, values in enumerate(rows):
        for c, header, kind in judged:
            value = values[c] if c < len(values) else None
            problem = unreadable(kind, value)
            if problem is None:
                continue
            cell = f"{spec.sheet}!{column_letter(spec.first_column + c)}{first_row + n}"
            message = (
                f"{header} must be {_NEEDS[kind]}; found {fmt.found(value)}{problem}, so the"
                f" workbook's formulas and calloff count it nowhere ({cell}). {_fix(kind, value)}"
            )
            out.append(issue(CELL_UNREADABLE, spec.sheet, first_row + n, header, value, message))
    return out


def unreadable(kind: Kind, value: object) -> str | None:
    """None when the formulas read `value` as `kind` needs (or it is blank); else a few words
    saying why not, to follow the value in a message ("" when the value says it all)."""
    if is_blank(value):
        return None
    if isinstance(value, str) and value.strip() in ERROR_VALUES:
        return ", an error value"
    if kind == "date":
        if isinstance(value, dt.date):
            return None
        return ", which is text" if isinstance(value, str) else ""
    if kind == "rating":
        # In any case, as the roll-up's `=` reads it (xlsrc.core.returns.rollup.rating).
        known = {r.lower() for r in RATINGS}
        return None if isinstance(value, str) and value.lower() in known else ""
    if kind == "status":
        known = {s.lower() for s in layout.INVOICE_STATUSES}
        return None if isinstance(value, str) and value.strip().lower() in known else ""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return ", which is text" if isinstance(value, str) else ""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if kind == "whole" and (number < 0 or number != number.to_integral_value()):
        return ""
    if kind == "percent" and not 0 <= number <= 1:
        return ""
    if kind == "score" and (number not in range(1, 6)):
        return ""
    return None


def _fix(kind: Kind, value: object) -> str:
    if kind == "date" and isinstance(value, str):
        day, _ = read_date(value)
        if day is not None:
            return f"Retype {fmt.day(day)} as a date"
        return "Retype it as a date"
    if kind == "rating":
        return f"Choose {', '.join(RATINGS)} from the list"
    if kind == "status":
        return f"Choose {', '.join(layout.INVOICE_STATUSES)} from the list"
    number = read_number(value) if isinstance(value, str) else None
    if number is not None:
        return f"Retype {format(number, 'f')} as a number, not text"
    if kind == "percent" and isinstance(value, int | float) and 1 < value <= 100:
        return f"Type it as a percentage ({value}%), not as {value}"
    return f"Retype it as {_NEEDS[kind]}"
