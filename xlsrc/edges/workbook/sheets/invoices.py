"""Invoices sheet: the supplier's invoices as received, checked live against the Tracker.

The invoice register. Finance records each invoice (`calloff invoice record`, or typed here and
the Record invoice button): Month (the first month it covers), Invoice number, Net, VAT, Gross,
Date received, To month (the last month it covers; blank: Month only), Invoice date, PO and
Status (Raised, Paid or Credited). A credit note is a line of its own with negative amounts.
Locked formulas show what the Tracker says those months cost, the differences, and whether the
invoice passes (days x rate, VAT per the terms' rounding, gross = net + VAT, no month twice,
cumulative invoiced within the cap). `calloff invoice-check` does the same in Python. The
register is the source of the Budget's "Invoiced to date".
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

INPUTS = (
    "Month",
    "Invoice number",
    "Net",
    "VAT",
    "Gross",
    "Date received",
    "To month",
    "Invoice date",
    "PO",
    "Status",
)
STATUSES = layout.INVOICE_STATUSES
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
PASS, FAIL, CREDITED = "PASS", "CHECK", "Credited"
UNREADABLE = (
    "a Month or To month that is not a date (or a To month before its Month), a Net, VAT or"
    " Gross that is not a number, or a Status not on the list; run Validate"
)
WIDTHS = (11, 16, 13, 12, 13, 12, 11, 12, 16, 10, 13, 13, 12, 12, 15, 40)


def row_formulas(r: int) -> dict[str, str]:
    c = COL
    month, net, vat, gross = (f"{c[h]}{r}" for h in ("Month", "Net", "VAT", "Gross"))
    to = f"{c['To month']}{r}"
    blank = f'{month}=""'
    # The counting rule: a row whose Month is not a date or whose Net, VAT or Gross is not a
    # number (text such as "3,120.00" included) counts nowhere; calloff validate names the cell.
    # So does one whose To month is not a date (or is before its Month) or whose Status is
    # not on the list (xlsrc.core.invoices.check.sheet_invoice, the ledger's half).
    status = f"{c['Status']}{r}"
    off_list = f'AND({status}<>"",' + ",".join(f'{status}<>"{s}"' for s in STATUSES) + ")"
    unread = (
        f"IF(AND(ISNUMBER({month}),ISNUMBER({net}),ISNUMBER({vat}),ISNUMBER({gross})),"
        f'OR(IF(ISNUMBER({to}),{to}<DATE(YEAR({month}),MONTH({month}),1),{to}<>""),'
        f"{off_list}),TRUE)"
    )
    skip = f"OR({blank},{unread})"
    first = layout.FIRST_DATA_ROW
    last = first + layout.INVOICES_CAPACITY - 1
    months, nets, statuses = (f"{c[h]}${first}:{c[h]}${last}" for h in ("Month", "Net", "Status"))
    # A month is its calendar month whatever day was typed: 15/03 and 01/03 are both March.
    month_start = f"DATE(YEAR({month}),MONTH({month}),1)"
    next_month = f"DATE(YEAR({month}),MONTH({month})+1,1)"
    # The months it covers: Month to To month (blank: Month only), whatever day was typed.
    covers_to = f'IF({to}="",{month},{to})'
    after = f"DATE(YEAR({covers_to}),MONTH({covers_to})+1,1)"
    in_month = f'{months},">="&{month_start},{months},"<"&{next_month}'
    # Invoiced twice: two invoices in force (not credited, not a credit note) for its month.
    live = f'AND({net}>=0,{status}<>"Credited")'
    twice = f'AND({live},COUNTIFS({in_month},{statuses},"<>Credited",{nets},">=0")>1)'
    return {
        "Tracker net": (
            f'=IF({skip},"",SUMIFS(Tracker[Cost],Tracker[Month],">="&{month_start},'
            f'Tracker[Month],"<"&{after}))'
        ),
        # A credit note (negative) cancels the month's credited invoice: it nets to nothing.
        "Net difference": (
            f'=IF({skip},"",IF({net}<0,{net}+SUMIFS({nets},{in_month},{statuses},"Credited"),'
            f"{net}-{c['Tracker net']}{r}))"
        ),
        "VAT due": f'=IF({skip},"",ROUND({net}*VATRate,2))',
        "VAT difference": f'=IF({skip},"",{vat}-{c["VAT due"]}{r})',
        # Invoices for this month and every earlier one, in whatever order they were typed.
        "Cumulative invoiced": f'=IF({skip},"",SUMIFS({nets},{months},"<"&{next_month}))',
        "Result": (
            f'=IF({blank},"",IF({unread},"{FAIL}: {UNREADABLE}",'
            f'IF({status}="Credited","{CREDITED}",'
            f"IF(AND(ABS({c['Net difference']}{r})<0.005,"
            f"ABS({c['VAT difference']}{r})<0.005,ABS({gross}-{net}-{vat})<0.005,"
            f'NOT({twice}),{c["Cumulative invoiced"]}{r}<=CapNow),"{PASS}",'
            f'"{FAIL}: "&IF(ABS({c["Net difference"]}{r})>=0.005,"net differs from tracker; ","")'
            f'&IF(ABS({c["VAT difference"]}{r})>=0.005,"VAT differs; ","")'
            f'&IF(ABS({gross}-{net}-{vat})>=0.005,"gross is not net + VAT; ","")'
            f'&IF({twice},"month invoiced twice; ","")'
            f'&IF({c["Cumulative invoiced"]}{r}>CapNow,"over the cap; ","")))))'
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
    formats = {
        "Month": styles.MONTH,
        "To month": styles.MONTH,
        "Date received": styles.DATE,
        "Invoice date": styles.DATE,
        "Invoice number": "@",
        "PO": "@",
        "Status": "@",
    }
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
    money = DataValidation(type="decimal", allow_blank=True, operator="between")
    money.formula1, money.formula2 = "-1000000000", "1000000000"
    money.error = "Amounts are in pounds (a credit note's are negative)."
    status = DataValidation(type="list", formula1=f'"{",".join(STATUSES)}"', allow_blank=True)
    status.error = "Status is Raised, Paid or Credited."
    for dv in (month, money, status):
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
    month.add(f"{COL['Month']}{first}:{COL['Month']}{last}")
    month.add(f"{COL['To month']}{first}:{COL['To month']}{last}")
    status.add(f"{COL['Status']}{first}:{COL['Status']}{last}")
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
