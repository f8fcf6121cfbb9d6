"""Checks sheet: each check in words, then OK or what is wrong, then its TRUE/FALSE formula and
its defined name; MasterCheck is TRUE only when all are.

These are the workbook's own guards, visible without Python. `calloff validate` goes further
(row by row, with messages); these catch what a formula can see.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import formula, put
from xlsrc.edges.workbook.names import define
from xlsrc.edges.workbook.sheets import budget
from xlsrc.model import layout
from xlsrc.model.terms.decisions import KIND_LABELS
from xlsrc.model.terms.effective import DUE_STATES, NOT_YET_DECIDED, TERMINATED
from xlsrc.model.terms.models import Terms

# The columns: the check in words, OK or what is wrong, the formula's TRUE/FALSE (the cell the
# name points at), the name, and (hidden) what Result says when the check is not met.
COLUMNS = ("What is checked", "Result", "Met", "Name", "When not met")
# (defined name, what is checked, formula)
CHECKS: tuple[tuple[str, str, str], ...] = (
    (
        "CheckTrackerEqualsBudget",
        "Tracker cost total equals the Budget's monthly total",
        "ABS(SUM(Tracker[Cost])-SUM(BudgetNetCol))<0.005",
    ),
    (
        "CheckDaysEqualBudget",
        "Tracker days equal the Budget's monthly days",
        "ABS(SUM(Tracker[Days])-SUM(BudgetDaysCol))<0.0001",
    ),
    (
        "CheckEveryRowCounts",
        "Every row typed in the Tracker counts (its Month is filled in; docs/counting.md)",
        'SUMPRODUCT(--((Tracker[Date]<>"")+(Tracker[Advisor]<>"")+(Tracker[Area]<>"")'
        '+(Tracker[Activity]<>"")+(Tracker[Outcomes]<>"")+(Tracker[Days]<>"")'
        '+(Tracker[Notes]<>"")>0))=COUNT(Tracker[Month])',
    ),
    (
        "CheckInTerm",
        "No entry dated before the start or after the contract end",
        'COUNTIFS(Tracker[Date],"<"&StartDate)+COUNTIFS(Tracker[Date],">"&ContractEnd)=0',
    ),
    (
        "CheckBreak",
        "No entry after the break date if the contract was terminated at the break",
        f'OR(BreakState<>"{TERMINATED}",COUNTIFS(Tracker[Date],">"&BreakDate)=0)',
    ),
    ("CheckWithinCap", "Spend to date is within the cap", "TotalNet<=CapNow"),
    (
        "CheckDaysValid",
        "Every Days value is 0.5 or 1",
        "COUNTA(Tracker[Days])=COUNTIF(Tracker[Days],0.5)+COUNTIF(Tracker[Days],1)",
    ),
    (
        "CheckRowsComplete",
        "Every row with days has a date, advisor, area and activity",
        "AND(COUNT(Tracker[Date])=COUNTA(Tracker[Days]),COUNTA(Tracker[Advisor])=COUNTA(Tracker[Days]),"
        "COUNTA(Tracker[Area])=COUNTA(Tracker[Days]),COUNTA(Tracker[Activity])=COUNTA(Tracker[Days]))",
    ),
    (
        "CheckAreasKnown",
        "Every Area is one of the contract's",
        "SUMPRODUCT(COUNTIF(Tracker[Area],AreaList))=COUNTA(Tracker[Area])",
    ),
    (
        "CheckAdvisorsKnown",
        "Every Advisor is known to the contract",
        "SUMPRODUCT(COUNTIF(Tracker[Advisor],AdvisorList))=COUNTA(Tracker[Advisor])",
    ),
    (
        "CheckActivitiesKnown",
        "Every Activity is from the list",
        "SUMPRODUCT(COUNTIF(Tracker[Activity],ActivityList))=COUNTA(Tracker[Activity])",
    ),
    (
        "CheckDecisions",
        "Decisions: extensions in whole months within the maximum, one break decision, at most"
        " one early end, each decided by a role from the list (calloff validate: every rule)",
        "AND(ExtensionMonths<=ExtensionMaxMonths,"
        "SUMPRODUCT(COUNTIF(Decisions[Months],MonthsList))=COUNT(Decisions[Months]),"
        f'COUNTIF(Decisions[Decision],"{KIND_LABELS["continue"]}")'
        f'+COUNTIF(Decisions[Decision],"{KIND_LABELS["terminate-at-break"]}")<=1,'
        f'COUNTIF(Decisions[Decision],"{KIND_LABELS["end-early"]}")<=1,'
        "SUMPRODUCT(COUNTIF(OwnerRoleList,Decisions[Decided by (role)]))"
        "=COUNTA(Decisions[Decided by (role)]))",
    ),
    (
        "CheckRates",
        "Rates: every line has a From and a day rate, each From after the one above (no gaps)",
        "AND(COUNT(Rates[From])=COUNT(Rates[Day rate]),"
        "COUNT(Rates[From])=COUNTA(Rates[From]),"
        'SUMPRODUCT((RatesFromBelow<>"")'
        '*(((RatesFromAbove="")+(RatesFromBelow<=RatesFromAbove))>0))=0)',
    ),
    (
        "CheckContractRows",
        "No Decisions or Rates row found broken by the last Validate (listed on the Issues"
        " sheet; calloff leaves such a row out of the term in force, these formulas do not)",
        f"{layout.DECISION_ROW_ERRORS}=0",
    ),
    (
        "CheckInvoicesWithinCap",
        "Net invoiced to date is within the cap",
        "InvoicedToDate<=CapNow",
    ),
    (
        "CheckInvoicesPass",
        "Every invoice entered matches the Tracker, or is Credited (see the Invoices sheet)",
        # An invoice its credit note cancels (Credited) passes with it.
        'COUNTIF(Invoices[Result],"PASS")+COUNTIF(Invoices[Result],"Credited")'
        "=COUNT(Invoices[Month])",
    ),
    (
        "CheckAllocationFitsCap",
        "Days allocated to the areas, at the day rate, fit the cap",
        "SUM(Areas[Days allocated])*RateNow<=CapNow",
    ),
)


# Warnings: shown under the checks, never part of MasterCheck.
WARNINGS: tuple[tuple[str, str, str], ...] = (
    (
        "WarnPlaceholders",
        "Day rate and days allocated are the agreed figures, not placeholders",
        'AND(DayRateIsPlaceholder<>"Yes",DaysArePlaceholder<>"Yes")',
    ),
    (
        "WarnForecastWithinCap",
        "Forecast at the contract end (with any days per month decided) is within the cap",
        "ForecastEnd<=CapNow",
    ),
    (
        "WarnNothingFallingDue",
        "No decision (break, end) is falling due or past its date: see the Guide's block"
        ' "Decisions falling due" for its date and notice date',
        "+".join(f'COUNTIF(DueStates,"{state}")' for state in DUE_STATES) + "=0",
    ),
    (
        "WarnBreakDecided",
        "The break is decided once the Tracker reaches two months before it",
        f'OR(BreakState<>"{NOT_YET_DECIDED}",NOT(ISNUMBER(BreakDate)),'
        "MAX(Tracker[Date])<EDATE(BreakDate,-2))",
    ),
    (
        "WarnAreasWithinAllocation",
        "Every area's days recorded are within its allocation (the Budget's days by area)",
        "SUMPRODUCT(--(BudgetAreaUsedCol>BudgetAreaAllocatedCol))=0",
    ),
)


# What each check or warning says when it is not met (its Result column; OK otherwise).
WRONG: dict[str, str] = {
    "CheckTrackerEqualsBudget": "The Tracker's cost total and the Budget's monthly totals differ",
    "CheckDaysEqualBudget": "The Tracker's days and the Budget's monthly days differ",
    "CheckEveryRowCounts": "A Tracker row does not count (its Month is empty): run Validate",
    "CheckInTerm": "A Tracker entry is dated before the start or after the contract end",
    "CheckBreak": "A Tracker entry is dated after the break, and the contract ended at the break",
    "CheckWithinCap": "Spend to date is over the cap",
    "CheckDaysValid": "A Days value is not 0.5 or 1",
    "CheckRowsComplete": "A Tracker row with days lacks its date, advisor, area or activity",
    "CheckAreasKnown": "A Tracker row names an area that is not the contract's",
    "CheckAdvisorsKnown": "A Tracker row names an advisor the contract does not know",
    "CheckActivitiesKnown": "A Tracker row's activity is not from the list",
    "CheckDecisions": "A decision breaks the contract's rules: run Validate to see which",
    "CheckRates": "A Rates line lacks its From or day rate, or is out of date order",
    "CheckContractRows": "Validate found a Decisions or Rates row broken: see the Issues sheet",
    "CheckInvoicesWithinCap": "Net invoiced to date is over the cap",
    "CheckInvoicesPass": "An invoice does not match the Tracker: see the Invoices sheet",
    "CheckAllocationFitsCap": "The areas' allocated days, at the day rate, cost more than the cap",
    "WarnPlaceholders": "The day rate or the days allocated are still placeholders",
    "WarnForecastWithinCap": "The forecast at the contract end is over the cap",
    "WarnNothingFallingDue": "A decision is falling due or past its date: see the Guide",
    "WarnBreakDecided": "The break is not decided and the Tracker is within two months of it",
    # Its Result names each area over (over_allocation_words), this is what docs say of it.
    "WarnAreasWithinAllocation": "An area has more days recorded than its allocation",
}


def over_allocation_words(terms: Terms) -> str:
    """Each area over its allocation in words, "Oxfordshire: 51 days recorded against an
    allocation of 50", joined by "; " (the Budget's days by area; the twin of
    xlsrc.actions.check_voices.over_allocation)."""
    top = budget.positions(terms).area_top
    sheet = f"'{layout.BUDGET}'!"
    parts = []
    for r in range(top + 1, top + 1 + len(terms.areas)):
        area, allocated, used = (f"{sheet}{c}{r}" for c in "ABC")
        parts.append(
            f'IF({used}>{allocated},"; "&{area}&": "&{used}'
            f'&" days recorded against an allocation of "&{allocated},"")'
        )
    return f"=MID({'&'.join(parts)},3,1000)"


def build(wb: Workbook, terms: Terms) -> None:
    ws = wb.create_sheet(layout.CHECKS)
    styles.title(
        ws,
        f"Checks — {terms.contract.id}",
        "Each line reads OK, or says what is wrong. Every check is a formula (TRUE when met),"
        " named for other formulas; the first line is met only when all the checks are.",
    )
    styles.header_row(ws, layout.HEADER_ROW, list(COLUMNS))
    top_row = layout.HEADER_ROW - 1
    first = layout.FIRST_DATA_ROW
    last = first + len(CHECKS) - 1
    _row(ws, top_row, "All the checks below are met", "Not all: see the rows below", "MasterCheck")
    master = formula(ws, top_row, 3, f"=AND(C{first}:C{last})")
    _met(master)
    for c in (1, 2, 3):
        ws.cell(top_row, c).font = styles.BOLD
    define(wb, "MasterCheck", layout.CHECKS, f"C{top_row}")
    for r, (name, what, expr) in enumerate(CHECKS, start=first):
        _row(ws, r, what, WRONG[name], name)
        _met(formula(ws, r, 3, f"={expr}"))
        define(wb, name, layout.CHECKS, f"C{r}")
    define(wb, "MetOfChecks", layout.CHECKS, f"C{first}:C{last}")
    define(wb, "ResultOfChecks", layout.CHECKS, f"B{first}:B{last}")
    top = last + 2
    put(ws, top, 1, "Warnings (not part of the checks above)").font = styles.BOLD
    for r, (name, what, expr) in enumerate(WARNINGS, start=top + 1):
        _row(ws, r, what, WRONG[name], name)
        _met(formula(ws, r, 3, f"={expr}"))
        define(wb, name, layout.CHECKS, f"C{r}")
        if name == "WarnAreasWithinAllocation":
            formula(ws, r, 5, over_allocation_words(terms))
    define(wb, "MetOfWarnings", layout.CHECKS, f"C{top + 1}:C{top + len(WARNINGS)}")
    define(wb, "ResultOfWarnings", layout.CHECKS, f"B{top + 1}:B{top + len(WARNINGS)}")
    warned = f"B{top + 1}:B{top + len(WARNINGS)}"
    ws.conditional_formatting.add(
        warned, FormulaRule(formula=[f"C{top + 1}=FALSE"], fill=styles.AMBER_MARK)
    )
    results = f"B{top_row}:B{last}"
    ws.conditional_formatting.add(
        results, FormulaRule(formula=[f"C{top_row}=TRUE"], fill=styles.GREEN_MARK)
    )
    ws.conditional_formatting.add(
        results, FormulaRule(formula=[f"C{top_row}=FALSE"], fill=styles.RED_MARK)
    )
    styles.widths(ws, {"A": 58, "B": 44, "C": 9, "D": 27, "E": 44})
    ws.column_dimensions["E"].hidden = True
    ws.freeze_panes = f"A{layout.FIRST_DATA_ROW}"
    styles.protect(ws)
    styles.print_setup(
        ws,
        landscape=False,
        title_rows=f"{layout.HEADER_ROW}:{layout.HEADER_ROW}",
        marking=terms.contract.protective_marking,
        contract_id=terms.contract.id,
    )


def _met(cell: Any) -> None:
    styles.calc_cell(cell)
    cell.alignment = styles.TOP


def _row(ws: Worksheet, r: int, what: str, wrong: str, name: str) -> None:
    """One check: its sentence, OK or what is wrong (from the formula in column C), its name.
    What is wrong is a value in the hidden column E, not text inside the formula: a formula
    naming a sheet in its text counts as reading it (xlsrc.edges.formulas.cache)."""
    put(ws, r, 1, what).alignment = styles.WRAP
    shown = formula(ws, r, 2, f'=IF(C{r},"OK",E{r})')
    shown.alignment = styles.WRAP
    styles.calc_cell(shown)
    put(ws, r, 4, name).alignment = styles.TOP
    put(ws, r, 5, wrong)
