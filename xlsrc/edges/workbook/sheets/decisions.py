"""The Decisions and Rates tables, and the term in force, on the Contract sheet.

`Decisions` is typed into directly (or filled by `calloff decide`): one row per dated decision.
`Rates` is the rate card: its first row is the starting rate (the contract start and DayRate,
locked formulas), each further row a later rate applying to days dated on or after its From.
The "Term in force" cells are formulas over the two tables with defined names (EffectiveEnd,
BreakState, ExtensionMonths, ...) that the Tracker, Budget and Checks use;
xlsrc.model.terms.effective
computes the same in Python.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import formula, put
from xlsrc.edges.workbook.names import define
from xlsrc.model import layout
from xlsrc.model.terms.decisions import KIND_LABELS, Decision
from xlsrc.model.terms.effective import CONTINUED, NO_BREAK, NOT_YET_DECIDED, TERMINATED
from xlsrc.model.terms.models import Terms

DECISIONS_TABLE = layout.DECISIONS_TABLE
RATES_TABLE = layout.RATES_TABLE
DECISIONS_CAPACITY = 20  # Excel cannot grow a Table on a protected sheet: rows made up front
RATES_CAPACITY = 12

# Header -> (Decision attribute, number format); the headers are layout.DECISION_COLUMNS.
_FORMATS = {
    "decided": styles.DATE,
    "effective": styles.DATE,
    "months": styles.INT,
    "days_per_month": styles.DAYS,
    "rate": styles.GBP,
    "days": styles.DAYS,
    "notice": styles.DATE,
    "cap": styles.GBP,
}
DECISION_COLUMNS: dict[str, tuple[str, str | None]] = {
    header: (attr, _FORMATS.get(attr)) for header, attr in layout.DECISION_COLUMNS.items()
}
HEADERS = tuple(DECISION_COLUMNS)
RATE_HEADERS = layout.RATE_HEADERS
KIND_LIST = "DecisionKindList"


def _c(name: str) -> str:
    return f"{DECISIONS_TABLE}[{name}]"


KIND = _c("Decision")
TERMINATED_F = f'COUNTIF({KIND},"{KIND_LABELS["terminate-at-break"]}")>0'
EARLY_COUNT = f'COUNTIF({KIND},"{KIND_LABELS["end-early"]}")'


def cap_on(day: str) -> str:
    """The cap in force on `day` (a formula giving a date): the cap variation taking effect
    last on or before it, else the order's cap (xlsrc.model.terms.effective.cap_on)."""
    kind, eff, cap = f'{KIND}="{KIND_LABELS["vary-cap"]}"', _c("Takes effect"), _c("New cap")
    latest = f"SUMPRODUCT(MAX(({kind})*({eff}<={day})*{eff}))"
    label = f'"{KIND_LABELS["vary-cap"]}"'
    return (
        f"IF({latest}=0,Cap,SUMIFS({cap},{KIND},{label},{eff},{latest})"
        f"/COUNTIFS({KIND},{label},{eff},{latest}))"
    )


def term_formulas() -> list[tuple[str, str, str, str]]:
    """(defined name, label, formula, number format) of the term in force."""
    dpm, eff = _c("Days per month"), _c("Takes effect")
    latest = f'SUMPRODUCT(MAX(({dpm}<>"")*{eff}))'
    return [
        (
            "BreakState",
            "The break",
            f'IF(NOT(ISNUMBER(BreakDate)),"{NO_BREAK}",IF({TERMINATED_F},"{TERMINATED}",'
            f'IF(COUNTIF({KIND},"{KIND_LABELS["continue"]}")>0,"{CONTINUED}","{NOT_YET_DECIDED}")))',
            "@",
        ),
        (
            "ExtensionMonths",
            "Extension agreed (months)",
            f'SUMIFS({_c("Months")},{KIND},"{KIND_LABELS["extend"]}")',
            styles.INT,
        ),
        (
            "TermEnded",
            "Ended by a decision (terminated or ended early)?",
            f'IF(OR(BreakState="{TERMINATED}",{EARLY_COUNT}>0),"Yes","No")',
            "@",
        ),
        (
            "EffectiveEnd",
            "Contract end in force",
            f'IF(BreakState="{TERMINATED}",BreakDate,IF({EARLY_COUNT}>0,'
            f'SUMIFS({_c("Takes effect")},{KIND},"{KIND_LABELS["end-early"]}"),'
            "EDATE(EndDate,ExtensionMonths)))",
            styles.DATE,
        ),
        (
            "ExtensionDaysPerMonth",
            "Call-off days per month (the decision taking effect last)",
            f'IF(COUNT({dpm})=0,"",SUMIFS({dpm},{eff},{latest})'
            f'/COUNTIFS({eff},{latest},{dpm},"<>"))',
            styles.DAYS,
        ),
        (
            "CapNow",
            "Cap in force (the cap variation taking effect last; else the order's cap)",
            cap_on(f"MAX({_c('Takes effect')})"),
            styles.GBP,
        ),
        (
            "RateNow",
            "Day rate now (last line of the Rates table)",
            f"INDEX({RATES_TABLE}[Day rate],COUNT({RATES_TABLE}[From]))",
            styles.GBP,
        ),
    ]


def build(wb: Workbook, ws: Worksheet, terms: Terms, row: int) -> int:
    """Write the Decisions table, the Rates table and the term in force from `row`; return
    the next free row."""
    ws.cell(row, 1, "Decisions").font = styles.BOLD
    put(
        ws,
        row,
        2,
        "One row per decision, typed here or recorded with calloff decide. Who decided: a "
        "role, never a name. Rules: docs/decisions.md; Validate checks every row.",
    ).font = styles.SUBTITLE
    header = row + 1
    styles.header_row(ws, header, list(HEADERS))
    rows = [decision_values(d) for d in terms.decisions]
    last = header + max(DECISIONS_CAPACITY, len(rows) + 5)
    for r in range(header + 1, last + 1):
        values = rows[r - header - 1] if r - header - 1 < len(rows) else [None] * len(HEADERS)
        for c, (name, value) in enumerate(zip(HEADERS, values, strict=True), start=1):
            styles.input_cell(put(ws, r, c, value), DECISION_COLUMNS[name][1])
            ws.cell(r, c).alignment = styles.WRAP
    _table(ws, DECISIONS_TABLE, header, last, len(HEADERS))
    _decision_validations(ws, header + 1, last)

    row = last + 2
    ws.cell(row, 1, "Rates").font = styles.BOLD
    put(
        ws,
        row,
        2,
        "The rate card: each day is priced at the rate whose From is the latest on or before "
        "its date. First line: the start and the day rate above. Add later lines in date order.",
    ).font = styles.SUBTITLE
    rates_header = row + 1
    styles.header_row(ws, rates_header, list(RATE_HEADERS))
    styles.calc_cell(formula(ws, rates_header + 1, 1, "=StartDate"), styles.DATE)
    styles.calc_cell(formula(ws, rates_header + 1, 2, "=DayRate"), styles.GBP)
    lines = terms.day_rates
    rates_last = rates_header + 1 + max(RATES_CAPACITY, len(lines) + 3)
    for r in range(rates_header + 2, rates_last + 1):
        i = r - rates_header - 2
        line = lines[i] if i < len(lines) else None
        styles.input_cell(put(ws, r, 1, line.from_ if line else None), styles.DATE)
        styles.input_cell(put(ws, r, 2, line.rate if line else None), styles.GBP)
    _table(ws, RATES_TABLE, rates_header, rates_last, 2)
    # Each rate line beside the one above it, for CheckRates (in date order, no gaps).
    define(wb, "RatesFromAbove", ws.title, f"A{rates_header + 1}:A{rates_last - 1}")
    define(wb, "RatesFromBelow", ws.title, f"A{rates_header + 2}:A{rates_last}")
    dates = DataValidation(type="date", operator="greaterThan", formula1="StartDate")
    dates.error = "From must be a date after the contract start, later than the line above."
    money = DataValidation(type="decimal", operator="greaterThan", formula1="0")
    money.error = "A day rate is a positive amount (excluding VAT)."
    for dv, col in ((dates, "A"), (money, "B")):
        dv.showErrorMessage = True
        dv.add(f"{col}{rates_header + 2}:{col}{rates_last}")
        ws.add_data_validation(dv)

    row = rates_last + 2
    ws.cell(row, 1, "Term in force (from the decisions)").font = styles.BOLD
    row += 1
    for name, label, text, fmt in term_formulas():
        ws.cell(row, 1, label)
        styles.calc_cell(formula(ws, row, 2, f"={text}"), fmt)
        define(wb, name, ws.title, f"B{row}")
        row += 1
    ws.cell(row, 1, "Decisions / Rates rows Validate found broken (left out above by calloff)")
    styles.calc_cell(put(ws, row, 2, 0), styles.INT)  # Validate writes it; locked
    define(wb, layout.DECISION_ROW_ERRORS, ws.title, f"B{row}")
    row += 1
    return row + 1


def decision_values(d: Decision) -> list[object]:
    values = []
    for attr, _fmt in DECISION_COLUMNS.values():
        value = getattr(d, attr)
        values.append(KIND_LABELS[value] if attr == "kind" else (value if value != "" else None))
    return values


def _table(ws: Worksheet, name: str, header: int, last: int, n_cols: int) -> None:
    table = Table(displayName=name, ref=f"A{header}:{get_column_letter(n_cols)}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)


def _decision_validations(ws: Worksheet, first: int, last: int) -> None:
    col = {name: get_column_letter(i) for i, name in enumerate(HEADERS, start=1)}

    def dv(name: str, error: str, **kw: Any) -> None:
        v = DataValidation(allow_blank=True, **kw)
        v.error, v.showErrorMessage = error, True
        v.add(f"{col[name]}{first}:{col[name]}{last}")
        ws.add_data_validation(v)

    dv("Decision", "Pick a decision from the list.", type="list", formula1=KIND_LIST)
    dv(
        "Decided by (role)",
        "A role from the list, never a name.",
        type="list",
        formula1="OwnerRoleList",
    )
    dv(
        "Months",
        "Whole months, 1 to the maximum extension.",
        type="whole",
        operator="between",
        formula1="1",
        formula2="ExtensionMaxMonths",
    )
    dv("Area", "One of the contract's areas.", type="list", formula1="AreaList")
    for name in ("Decided", "Takes effect", "Notice given"):
        dv(name, "A date (dd/mm/yyyy).", type="date", operator="greaterThan", formula1="0")
    dv(
        "New cap",
        "The new cap: an amount over zero, excluding VAT.",
        type="decimal",
        operator="greaterThan",
        formula1="0",
    )
    for name in ("Days per month", "Day rate", "Days allocated"):
        dv(
            name,
            "A number, zero or more.",
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
        )
