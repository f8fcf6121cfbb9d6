"""The portfolio workbook: one row per contract sorted by risk, the files skipped, the rules.

Sheets: Portfolio (the table, conditional formatting on risk, % used, forecast, returns,
escalations and the master check), Chart (cap used and forecast for the contracts most at
risk), Skipped (each file not summarised and why), Notes (the rules, from summary.py). Every
value goes through `put`: a supplier name or a file name never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule, DataBarRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.core import portfolio as summary
from xlsrc.core.portfolio import ContractLine, Skipped, days_since_return, risk_level
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put
from xlsrc.model.money import round_ratio

HEADER_ROW = 4
CHARTED = 30  # the chart shows this many contracts, most at risk first
NOT_CALCULATED = "not calculated"
PLACEHOLDERS = "PLACEHOLDER pricing"  # as the MI says it (xlsrc.edges.mi.export_xlsx)
NONE = "None"

COLUMNS: tuple[tuple[str, str | None, float], ...] = (
    ("Risk", None, 8),
    ("Contract", None, 13),
    ("Reference", None, 30),
    ("Supplier", None, 26),
    ("Areas", None, 26),
    ("Start", styles.DATE, 11),
    ("Ends", styles.DATE, 11),
    ("Break", styles.DATE, 11),
    ("Cap", styles.GBP, 13),
    ("Spent (net)", styles.GBP, 13),
    ("% used", styles.PCT, 9),
    ("Forecast at end", styles.GBP, 14),
    ("Forecast % of cap", styles.PCT, 10),
    ("Alert", None, 18),
    (PLACEHOLDERS, None, 16),
    ("Last month returned", styles.MONTH, 10),
    ("Days since last return", styles.INT, 10),
    ("Open escalations", styles.INT, 10),
    ("Open risks", styles.INT, 8),
    ("Master check (Python)", None, 10),
    ("Failing checks", None, 30),
    ("MasterCheck saved in file", None, 13),
    ("Tracker rows with errors", styles.INT, 10),
    ("Invoices checked", styles.INT, 9),
    ("Invoices failing", styles.INT, 9),
    ("File", None, 50),
)
COL = {name: get_column_letter(n) for n, (name, _, _) in enumerate(COLUMNS, start=1)}


def row_values(line: ContractLine, today: dt.date) -> tuple[object, ...]:
    failing = list(line.failing)
    if line.invoices_problem:
        failing.append(f"invoices unreadable: {line.invoices_problem}")
    cached = NOT_CALCULATED if line.master_cached is None else line.master_cached
    return (
        risk_level(line, today),
        line.contract_id,
        line.reference,
        line.supplier,
        ", ".join(line.areas),
        line.start,
        line.contract_end,
        line.break_,
        line.cap,
        line.spent,
        line.cap_used,
        line.forecast_end,
        round_ratio(line.forecast_share),
        line.alert,
        ", ".join(line.placeholders) or NONE,
        line.last_return_month,
        days_since_return(line, today),
        line.open_escalations,
        line.open_risks,
        line.master_check,
        "; ".join(failing),
        cached,
        line.rows_with_errors,
        line.invoices,
        line.invoices_failed,
        line.path,
    )


def build_portfolio(lines: list[ContractLine], skipped: list[Skipped], today: dt.date) -> Workbook:
    """`lines` already in risk order (summary.by_risk)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Portfolio"
    levels = [risk_level(line, today) for line in lines]
    counts = ", ".join(f"{levels.count(level)} {level.lower()}" for level in summary.LEVELS)
    styles.title(
        ws,
        f"Portfolio of call-off contracts — as at {today:%d/%m/%Y}",
        f"{len(lines)} contract workbook(s) read ({counts} risk), {len(skipped)} file(s)"
        " skipped (see Skipped). Sorted by risk; the rules are on the Notes sheet.",
    )
    twice = summary.duplicates(lines)
    if twice:
        text = "; ".join(f"{cid} ({len(paths)} files)" for cid, paths in twice.items())
        put(ws, 3, 1, f"Contracts read from more than one file: {text}").font = styles.BOLD
    styles.header_row(ws, HEADER_ROW, [c[0] for c in COLUMNS])
    ws.row_dimensions[HEADER_ROW].height = 45
    for n, (_, _, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    formats = [c[1] for c in COLUMNS]
    for r, line in enumerate(lines, start=HEADER_ROW + 1):
        for c, value in enumerate(row_values(line, today), start=1):
            cell = put(ws, r, c, value)
            if formats[c - 1]:
                cell.number_format = formats[c - 1]
    last = HEADER_ROW + max(len(lines), 1)
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{COL['File']}{last}"
    _formatting(ws, last)
    if lines:
        _chart(wb, ws, min(len(lines), CHARTED))
    _skipped(wb, skipped)
    _notes(wb)
    marking = summary.marking(lines)
    for sheet in wb.worksheets:
        styles.print_setup(
            sheet,
            landscape=True,
            title_rows=f"{HEADER_ROW}:{HEADER_ROW}" if sheet is ws else None,
            marking=marking,
            contract_id="Portfolio",
            fit_width=2 if sheet is ws else 1,
        )
    return wb


def _formatting(ws: Worksheet, last: int) -> None:
    def rule(column: str, *rules: Any) -> None:
        for r in rules:
            ws.conditional_formatting.add(f"{COL[column]}{HEADER_ROW + 1}:{COL[column]}{last}", r)

    rule(
        "Risk",
        CellIsRule(operator="equal", formula=['"High"'], fill=styles.RED_MARK),
        CellIsRule(operator="equal", formula=['"Medium"'], fill=styles.AMBER_MARK),
        CellIsRule(operator="equal", formula=['"Low"'], fill=styles.GREEN_MARK),
    )
    rule(
        "% used",
        DataBarRule(start_type="num", start_value=0, end_type="num", end_value=1, color="5B9BD5"),
    )
    rule(
        "Forecast % of cap", CellIsRule(operator="greaterThan", formula=["1"], fill=styles.RED_MARK)
    )
    rule(
        PLACEHOLDERS,
        CellIsRule(operator="notEqual", formula=[f'"{NONE}"'], fill=styles.AMBER_MARK),
    )
    rule(
        "Days since last return",
        CellIsRule(
            operator="greaterThan",
            formula=[str(summary.RETURN_OVERDUE_DAYS)],
            fill=styles.AMBER_MARK,
        ),
    )
    rule(
        "Open escalations",
        CellIsRule(operator="greaterThan", formula=["0"], fill=styles.AMBER_MARK),
    )
    for column in ("Master check (Python)", "MasterCheck saved in file"):
        rule(
            column,
            CellIsRule(operator="equal", formula=["TRUE"], fill=styles.GREEN_MARK),
            CellIsRule(operator="equal", formula=["FALSE"], fill=styles.RED_MARK),
        )


def _chart(wb: Workbook, ws: Worksheet, n: int) -> None:
    sheet = wb.create_sheet("Chart")
    styles.title(
        sheet,
        "Cap used and forecast",
        f"The {n} contract(s) most at risk (the Portfolio sheet's first {n} rows).",
    )
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = "Spend and forecast as a share of the cap"
    chart.y_axis.number_format = "0%"
    chart.y_axis.title = "share of the cap"
    first, last = HEADER_ROW + 1, HEADER_ROW + n
    for column in ("% used", "Forecast % of cap"):
        col = [c[0] for c in COLUMNS].index(column) + 1
        chart.add_data(
            Reference(ws, min_col=col, min_row=HEADER_ROW, max_row=last), titles_from_data=True
        )
    chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=last))
    chart.x_axis.scaling.orientation = "maxMin"  # most at risk at the top
    chart.height = max(8.0, 0.6 * n + 3)
    chart.width = 24
    sheet.add_chart(chart, "A4")


def _skipped(wb: Workbook, skipped: list[Skipped]) -> None:
    ws = wb.create_sheet("Skipped")
    styles.title(
        ws,
        "Files skipped",
        "Not summarised: not a contract workbook, damaged, or unreadable; the reason says which.",
    )
    styles.header_row(ws, HEADER_ROW, ["File", "Reason"])
    styles.widths(ws, {"A": 60, "B": 100})
    for r, s in enumerate(skipped, start=HEADER_ROW + 1):
        put(ws, r, 1, s.path)
        put(ws, r, 2, s.reason).alignment = styles.WRAP


def _notes(wb: Workbook) -> None:
    ws = wb.create_sheet("Notes")
    styles.title(ws, "How the portfolio is computed", "From xlsrc/portfolio/summary.py.")
    styles.widths(ws, {"A": 120})
    paragraphs = [" ".join(p.split()) for p in (summary.__doc__ or "").split("\n\n")]
    for r, text in enumerate(paragraphs, start=HEADER_ROW):
        put(ws, r, 1, text.replace("`", "")).alignment = styles.WRAP
        ws.row_dimensions[r].height = 15 * (1 + len(text) // 110)


def write_portfolio(
    lines: list[ContractLine], skipped: list[Skipped], today: dt.date, out: Path
) -> None:
    save_workbook(build_portfolio(lines, skipped, today), out)
