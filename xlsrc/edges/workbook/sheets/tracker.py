"""Tracker sheet: the advisors' call-off days, as the Excel Table `Tracker`.

Input columns are unlocked with drop-downs; Month and Cost are locked formulas. The table is
pre-sized (Excel cannot grow a Table on a protected sheet); `format_rows` is shared with the
writer that grows it.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableFormula, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import formula
from xlsrc.edges.workbook.sheets import common
from xlsrc.model import layout
from xlsrc.model.entry import ALL_COLUMNS, INPUT_COLUMNS
from xlsrc.model.terms.models import Terms

COL = {name: get_column_letter(i) for i, name in enumerate(ALL_COLUMNS, start=1)}
FORMATS = {"Date": styles.DATE, "Days": styles.DAYS, "Month": styles.MONTH, "Cost": styles.GBP}
WIDTHS = {
    "Date": 12,
    "Advisor": 10,
    "Area": 14,
    "Activity": 28,
    "Outcomes": 18,
    "Days": 7,
    "Notes": 60,
    "Month": 11,
    "Cost": 12,
}
LAST_COL = COL[ALL_COLUMNS[-1]]


# The counting window's ends as defined names (xlsrc.core.tracker.counting.counting_window).
WINDOW_FIRST, WINDOW_LAST = "StartDate", "ContractEnd"
# The lists a name must equal exactly to count, by input column.
NAME_LISTS = {"Advisor": "AdvisorList", "Area": "AreaList", "Activity": "ActivityList"}


def counts_formula(row: int) -> str:
    """xlsrc.core.tracker.counting's rule for one row, as an Excel condition (TRUE: it counts).

    The first AND only asks what kind each cell is, so the second never meets an error or a
    comparison between text and a number; EXACT is case- and space-sensitive, as the rule is
    (MATCH and SUMIFS are neither, and MATCH reads * and ? as wildcards).
    """
    d, days = f"{COL['Date']}{row}", f"{COL['Days']}{row}"
    names = {c: f"{COL[c]}{row}" for c in NAME_LISTS}
    kinds = ",".join(
        [
            f"ISNUMBER({d}),NOT(ISLOGICAL({d}))",
            f"ISNUMBER({days}),NOT(ISLOGICAL({days}))",
            *(f"ISTEXT({cell})" for cell in names.values()),
        ]
    )
    values = ",".join(
        [
            f"{d}>={WINDOW_FIRST},{d}<={WINDOW_LAST}",
            f"OR({days}=0.5,{days}=1)",
            *(f"SUMPRODUCT(--EXACT({cell},{NAME_LISTS[c]}))>0" for c, cell in names.items()),
        ]
    )
    return f"IF(AND({kinds}),AND({values}),FALSE)"


def price_formula(row: int) -> str:
    """What a counted row costs: ROUND(days x the day rate in force on its date, 2)
    (xlsrc.model.money.line_cost, xlsrc.model.terms.effective.EffectiveTerm.rate_on)."""
    return f"ROUND({COL['Days']}{row}*{rate_on(COL['Date'] + str(row))},2)"


def row_formulas(row: int) -> dict[str, str]:
    """The workbook-owned columns of one Tracker row: Month is the first of the month of a row
    that counts (blank otherwise), and Cost prices only rows whose Month is a date."""
    d, month = f"{COL['Date']}{row}", f"{COL['Month']}{row}"
    return {
        "Month": f'=IF({counts_formula(row)},DATE(YEAR({d}),MONTH({d}),1),"")',
        "Cost": f'=IF(ISNUMBER({month}),{price_formula(row)},"")',
    }


def rate_on(date_cell: str) -> str:
    """The day rate in force on a (counted, so dated) row's date: the Rates line with the
    latest From on or before it; the rate card is in date order (CheckRates)."""
    count = f'COUNTIF({layout.RATES_TABLE}[From],"<="&{date_cell})'
    return f"INDEX({layout.RATES_TABLE}[Day rate],MAX(1,{count}))"


def format_rows(ws: Worksheet, first: int, last: int) -> None:
    """Styles, protection and formulas for Tracker rows first..last (inclusive)."""
    for row in range(first, last + 1):
        for c, name in enumerate(ALL_COLUMNS, start=1):
            cell = ws.cell(row, c)
            cell.alignment = styles.WRAP if name in ("Notes", "Activity") else styles.TOP
            if name in INPUT_COLUMNS:
                cell.protection = styles.UNLOCKED
            else:
                cell.protection = styles.LOCKED
                cell.fill = styles.CALC_FILL
            if name in FORMATS:
                cell.number_format = FORMATS[name]
        for name, text in row_formulas(row).items():
            formula(ws, row, ALL_COLUMNS.index(name) + 1, this_row(text, row))


_SAME_ROW = re.compile(r'"(?:[^"]|"")*"|(?<![\w$.])([A-Z]{1,3})([0-9]+)(?![\w(\[.!])')


def this_row(text: str, row: int) -> str:
    """A row formula as Excel writes a table's calculated column: each reference to a cell of
    the same Tracker row becomes Tracker[[#This Row],[Column]] (string literals untouched)."""
    names = {letter: name for name, letter in COL.items()}

    def replace(m: re.Match[str]) -> str:
        letter, digits = m.group(1), m.group(2)
        if letter is None or int(digits) != row or letter not in names:
            return m.group(0)
        return f"{layout.TRACKER_TABLE}[[#This Row],[{names[letter]}]]"

    return _SAME_ROW.sub(replace, text)


def declare_calculated_columns(ws: Worksheet, table: Table) -> None:
    """Name the table's columns and give the formula columns their calculated-column formula,
    so Excel fills Month, Cost... on a row added to the table."""
    if not table.tableColumns:
        table._initialise_columns()
        for column, name in zip(table.tableColumns, ALL_COLUMNS, strict=True):
            column.name = name
    first = layout.FIRST_DATA_ROW
    formulas = {n: this_row(t, first)[1:] for n, t in row_formulas(first).items()}
    for column in table.tableColumns:
        if column.name in formulas:
            column.calculatedColumnFormula = TableFormula(attr_text=formulas[column.name])


def data_validations(first: int, last: int) -> list[DataValidation]:
    """Drop-downs and limits for the input columns; ranges carry no sheet name (Excel rule)."""

    def rng(name: str) -> str:
        return f"{COL[name]}{first}:{COL[name]}{last}"

    def dv(
        kind: str, column: str, title: str, prompt: str, error: str, **kw: Any
    ) -> DataValidation:
        v = DataValidation(type=kind, allow_blank=True, **kw)
        v.promptTitle, v.prompt = title, prompt
        v.errorTitle, v.error = f"{column}: not allowed", error
        v.showInputMessage = v.showErrorMessage = True
        v.add(rng(column))
        return v

    outcomes = dv(
        "list",
        "Outcomes",
        "Outcomes",
        "Annex A outcome ID(s) this work serves, e.g. OX-PA3. Several: OX-PA3, OX-0",
        "Not a single outcome ID from the list. Kept: separate several IDs with commas.",
        formula1="OutcomeList",
        errorStyle="information",
    )
    return [
        dv(
            "date",
            "Date",
            "Date",
            "A date inside the contract term (dd/mm/yyyy).",
            "The date must be inside the contract term (Contract sheet: start date to the "
            "end date after any agreed extension).",
            operator="between",
            formula1="StartDate",
            formula2="ContractEnd",
        ),
        dv(
            "list",
            "Advisor",
            "Advisor",
            "Your advisor ID (not your name).",
            "Pick an advisor ID from the list.",
            formula1="AdvisorList",
        ),
        dv(
            "list",
            "Area",
            "Local area",
            "The local area this work was for.",
            "Pick one of the contract's local areas.",
            formula1="AreaList",
        ),
        dv(
            "list",
            "Activity",
            "Activity",
            "What the time was spent on.",
            "Pick an activity from the list.",
            formula1="ActivityList",
        ),
        outcomes,
        dv(
            "list",
            "Days",
            "Days",
            "0.5 for a half day, 1 for a full day.",
            "Days must be 0.5 or 1.",
            formula1="DaysList",
        ),
        dv(
            "textLength",
            "Notes",
            "Notes",
            "What was done. No names, e-mail addresses or phone numbers (confidential).",
            "Notes are limited to 1,000 characters.",
            operator="lessThanOrEqual",
            formula1="1000",
        ),
    ]


def build(wb: Workbook, terms: Terms, capacity: int = layout.TRACKER_CAPACITY) -> None:
    ws = wb.create_sheet(layout.TRACKER)
    styles.title(
        ws,
        f"Day tracker — {terms.contract.id}",
        "One row per advisor, date, area and activity. Type in the white columns; Month and "
        "Cost (grey) are calculated. Days: 0.5 or 1.",
    )
    styles.header_row(ws, layout.HEADER_ROW, list(ALL_COLUMNS))
    first, last = layout.FIRST_DATA_ROW, layout.HEADER_ROW + capacity
    format_rows(ws, first, last)
    for v in data_validations(first, last):
        ws.add_data_validation(v)
    add_conditional_formats(ws, first, last)
    table = Table(displayName=layout.TRACKER_TABLE, ref=f"A{layout.HEADER_ROW}:{LAST_COL}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    declare_calculated_columns(ws, table)
    ws.add_table(table)
    styles.widths(ws, {COL[n]: w for n, w in WIDTHS.items()})
    common.finish(ws, terms, freeze=f"B{layout.FIRST_DATA_ROW}")
    set_print_area(ws, last)


def set_print_area(ws: Worksheet, last: int) -> None:
    """Print the whole table: rows typed in Excel are inside it too (the table is pre-sized),
    so nothing typed is left off the page; every writer that grows the table calls this."""
    ws.print_area = f"A1:{LAST_COL}{last}"


def add_conditional_formats(ws: Worksheet, first: int, last: int) -> None:
    """Immediate feedback in Excel itself: a date outside the term or bad days turn red."""
    d, days = COL["Date"], COL["Days"]
    ws.conditional_formatting.add(
        f"{d}{first}:{d}{last}",
        FormulaRule(
            formula=[f"AND(ISNUMBER({d}{first}),OR({d}{first}<StartDate,{d}{first}>ContractEnd))"],
            fill=styles.RED_MARK,
        ),
    )
    ws.conditional_formatting.add(
        f"{days}{first}:{days}{last}",
        FormulaRule(
            formula=[f'AND({days}{first}<>"",{days}{first}<>0.5,{days}{first}<>1)'],
            fill=styles.RED_MARK,
        ),
    )
