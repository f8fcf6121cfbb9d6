"""Invoices sheet: the supplier's invoices as received, checked live against the Tracker.

Finance types Month, Invoice number, Net, VAT, Gross and Date received; locked formulas show
what the Tracker says that month should cost, the differences, and whether the invoice
passes (days x rate, VAT per the terms' rounding, gross = net + VAT, no month twice,
cumulative invoiced within the cap). `calloff invoice-check` does the same in Python.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import formula
from xlsrc.edges.workbook.sheets import common
from xlsrc.model import layout
from xlsrc.model.terms.models import Terms

INPUTS = ("Month", "Invoice number", "Net", "VAT", "Gross", "Date received")
CALCULATED = (
    "Tracker net",
    "Net difference",
    "VAT due",
    "VAT difference",
    "Cumulative invoiced",
    "Result",
)
HEADERS = INPUTS + CALCULATED
COL = {h: get_column_letter(i) for i, h in enumerate(HEADERS, start=1)}
PASS, FAIL = "PASS", "CHECK"
WIDTHS = (11, 16, 13, 12, 13, 12, 13, 13, 12, 12, 15, 40)


def row_formulas(r: int) -> dict[str, str]:
    c = COL
    month, net, vat, gross = (f"{c[h]}{r}" for h in ("Month", "Net", "VAT", "Gross"))
    blank = f'{month}=""'
    first = layout.FIRST_DATA_ROW
    last = first + layout.INVOICES_CAPACITY - 1
    months, nets = (f"{c[h]}${first}:{c[h]}${last}" for h in ("Month", "Net"))
    # A month is its calendar month whatever day was typed: 15/03 and 01/03 are both March.
    month_start = f"DATE(YEAR({month}),MONTH({month}),1)"
    next_month = f"DATE(YEAR({month}),MONTH({month})+1,1)"
    twice = f'COUNTIFS({months},">="&{month_start},{months},"<"&{next_month})>1'
    return {
        "Tracker net": f'=IF({blank},"",SUMIFS(Tracker[Cost],Tracker[Month],{month_start}))',
        "Net difference": f'=IF({blank},"",{net}-{c["Tracker net"]}{r})',
        "VAT due": f'=IF({blank},"",ROUND({net}*VATRate,2))',
        "VAT difference": f'=IF({blank},"",{vat}-{c["VAT due"]}{r})',
        # Invoices for this month and every earlier one, in whatever order they were typed.
        "Cumulative invoiced": f'=IF({blank},"",SUMIFS({nets},{months},"<"&{next_month}))',
        "Result": (
            f'=IF({blank},"",IF(AND(ABS({c["Net difference"]}{r})<0.005,'
            f"ABS({c['VAT difference']}{r})<0.005,ABS({gross}-{net}-{vat})<0.005,"
            f'NOT({twice}),{c["Cumulative invoiced"]}{r}<=CapNow),"{PASS}",'
            f'"{FAIL}: "&IF(ABS({c["Net difference"]}{r})>=0.005,"net differs from tracker; ","")'
            f'&IF(ABS({c["VAT difference"]}{r})>=0.005,"VAT differs; ","")'
            f'&IF(ABS({gross}-{net}-{vat})>=0.005,"gross is not net + VAT; ","")'
            f'&IF({twice},"month invoiced twice; ","")'
            f'&IF({c["Cumulative invoiced"]}{r}>CapNow,"over the cap; ","")))'
        ),
    }


def build(wb: Workbook, terms: Terms, capacity: int = layout.INVOICES_CAPACITY) -> None:
    ws = wb.create_sheet(layout.INVOICES)
    styles.title(
        ws,
        f"Invoices — {terms.contract.id}",
        "Type each invoice as received (yellow). Grey columns check it against the Tracker: "
        "days x rate, VAT, gross = net + VAT, one invoice per month, within the cap.",
    )
    styles.header_row(ws, layout.HEADER_ROW, list(HEADERS))
    first, last = layout.FIRST_DATA_ROW, layout.HEADER_ROW + capacity
    formats = {"Month": styles.MONTH, "Date received": styles.DATE, "Invoice number": "@"}
    for r in range(first, last + 1):
        for h in INPUTS:
            styles.input_cell(ws[f"{COL[h]}{r}"], formats.get(h, styles.GBP))
        for h, text in row_formulas(r).items():
            cell = formula(ws, r, HEADERS.index(h) + 1, text)
            styles.calc_cell(cell, "@" if h == "Result" else styles.GBP_NEG)
    month = DataValidation(
        type="date",
        operator="between",
        formula1="StartDate",
        formula2="LatestEnd",
        allow_blank=True,
    )
    month.error = "Month must be inside the contract term (type the 1st of the month)."
    money = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
    )
    money.error = "Amounts are in pounds, 0 or more."
    for dv in (month, money):
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
    month.add(f"{COL['Month']}{first}:{COL['Month']}{last}")
    money.add(f"{COL['Net']}{first}:{COL['Gross']}{last}")
    result = f"{COL['Result']}{first}:{COL['Result']}{last}"
    ws.conditional_formatting.add(
        result, CellIsRule(operator="equal", formula=[f'"{PASS}"'], fill=styles.GREEN_MARK)
    )
    top = f"{COL['Result']}{first}"
    ws.conditional_formatting.add(
        result, FormulaRule(formula=[f'AND({top}<>"",{top}<>"{PASS}")'], fill=styles.RED_MARK)
    )
    common.add_table(
        ws,
        layout.INVOICES_TABLE,
        f"A{layout.HEADER_ROW}:{COL[HEADERS[-1]]}{last}",
        "TableStyleMedium2",
    )
    common.column_widths(ws, WIDTHS)
    common.finish(ws, terms, freeze=f"C{layout.FIRST_DATA_ROW}")
