"""Budget sheet: live formulas over the Tracker table, nothing typed here.

Headline figures (defined names), scenarios (break / end / extensions), days by area against
allocation, a month-by-month table (days and net by area, VAT per invoice month, cumulative)
and a native chart of cumulative spend against the cap. xlsrc.core.totals computes the same
figures in Python; the LibreOffice test holds the two to the penny.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.axis import DateAxis
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RichTextProperties,
)
from openpyxl.formatting.rule import CellIsRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.core.totals.bands import FORECAST_OVER, OVER_CAP
from xlsrc.core.totals.budget import SCENARIOS
from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import formula, put
from xlsrc.edges.workbook.names import define
from xlsrc.edges.workbook.sheets import decisions
from xlsrc.model import layout
from xlsrc.model.dates import months_in_range
from xlsrc.model.terms.models import Terms

HEADLINE_ROW = 5
# Shown wherever figures built on placeholder pricing are (under the Budget's headline figures).
PLACEHOLDER_TEXT = (
    "PLACEHOLDER pricing: the day rate and/or days allocated are not the agreed figures yet"
    " (Contract sheet); every £ figure here uses them."
)
PLACEHOLDER_FORMULA = (
    f'IF(OR(DayRateIsPlaceholder="Yes",DaysArePlaceholder="Yes"),"{PLACEHOLDER_TEXT}","")'
)


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    expr: str
    fmt: str
    how: str


def _ahead(until: str) -> str:
    """Whole months from AsOfMonth to the month of `until` (negative when already past)."""
    return f"((YEAR({until})-YEAR(AsOfMonth))*12+MONTH({until})-MONTH(AsOfMonth))"


def forecast_to(until: str) -> str:
    """Net spend at `until` if the average month so far carries on; actual if already past.

    Months after the completion date (an extension's) are forecast at the latest call-off
    days per month decided, at the rate now, when one is decided (xlsrc.core.totals.budget)."""
    ahead = _ahead(until)
    ext = f"MAX(0,MIN({ahead},{_months('EndDate', until)}))"
    run_rate = f"ROUND(TotalNet*(MonthsElapsed+{ahead})/MonthsElapsed,2)"
    with_days = (
        f"ROUND(TotalNet*(MonthsElapsed+{ahead}-{ext})/MonthsElapsed,2)"
        f"+{ext}*ROUND(ExtensionDaysPerMonth*RateNow,2)"
    )
    return (
        f"IF(MonthsElapsed=0,0,IF({ahead}>=0,"
        f"IF(ISNUMBER(ExtensionDaysPerMonth),{with_days},{run_rate}),"
        f'SUMIFS(Tracker[Cost],Tracker[Date],"<="&{until})))'
    )


def _months(first: str, last: str) -> str:
    """Whole calendar months from first's month to last's month."""
    return f"((YEAR({last})-YEAR({first}))*12+MONTH({last})-MONTH({first}))"


def scenario_end(until: str) -> str:
    """A scenario's end: no later than the contract's end once a decision has ended it."""
    return f'IF(TermEnded="Yes",MIN({until},EffectiveEnd),{until})'


def alert_band_formula(n_bands: int) -> str:
    """Nested IFs over CapBand1..n, worded like xlsrc.core.totals.bands.alert_band; within the
    cap, a forecast to the end over it (with an extension's days per month) is said too."""
    expr = '"Below "&TEXT(CapBand1,"0%")&" of cap"'
    for i in range(1, n_bands + 1):
        expr = f'IF(CapUsedPct>=CapBand{i},TEXT(CapBand{i},"0%")&" of cap or more",{expr})'
    return f'IF(TotalNet>CapNow,"{OVER_CAP}",{expr}&IF(ForecastEnd>CapNow,"{FORECAST_OVER}",""))'


def figures(terms: Terms, vat_range: str) -> list[Figure]:
    return [
        Figure(
            "ContractEnd",
            "Contract end in force",
            "EffectiveEnd",
            styles.DATE,
            "From the decisions: break, early end or completion + extension",
        ),
        Figure(
            "LatestEnd",
            "Latest possible end (maximum extension)",
            'IF(TermEnded="Yes",EffectiveEnd,EDATE(EndDate,ExtensionMaxMonths))',
            styles.DATE,
            "Completion date + maximum; the end once a decision ended the contract",
        ),
        Figure(
            "TotalDays",
            "Days delivered",
            'SUMIFS(Tracker[Days],Tracker[Month],">0")',
            styles.DAYS,
            "Days of the Tracker rows that count (Month filled in)",
        ),
        Figure(
            "TotalNet",
            "Spend to date (net)",
            "SUM(Tracker[Cost])",
            styles.GBP,
            "Sum of Tracker costs; each = ROUND(days x day rate, 2)",
        ),
        Figure(
            "TotalVAT",
            "VAT to date",
            f"SUM({vat_range})",
            styles.GBP,
            "Sum of each month's VAT (per-invoice rounding)",
        ),
        Figure(
            "TotalGross", "Spend to date incl. VAT", "TotalNet+TotalVAT", styles.GBP, "Net + VAT"
        ),
        Figure(
            "Headroom",
            "Headroom to the cap (net)",
            "CapNow-TotalNet",
            styles.GBP_NEG,
            "Cap - spend; negative means over the cap",
        ),
        Figure(
            "CapUsedPct", "Cap used", "ROUND(TotalNet/CapNow,4)", styles.PCT, "Spend / cap in force"
        ),
        Figure(
            "AlertBand",
            "Alert",
            alert_band_formula(len(terms.alerts.cap_bands)),
            "@",
            "Bands on the Contract sheet",
        ),
        Figure(
            "DaysLeft",
            "Days left at the day rate",
            "FLOOR(MAX(0,Headroom)/RateNow,0.5)",
            styles.DAYS,
            "Whole half-days the headroom still buys",
        ),
        Figure(
            "AsOfMonth",
            "Latest month with delivery",
            'IF(COUNT(Tracker[Month])=0,"",MAX(Tracker[Month]))',
            styles.MONTH,
            "Forecasts run from here",
        ),
        Figure(
            "MonthsElapsed",
            "Months elapsed",
            f'IF(AsOfMonth="",0,{_ahead_from_start()}+1)',
            styles.INT,
            "Start month to latest month, inclusive",
        ),
        Figure(
            "RunRate",
            "Run-rate (net per month)",
            "IF(MonthsElapsed=0,0,ROUND(TotalNet/MonthsElapsed,2))",
            styles.GBP,
            "Spend / months elapsed",
        ),
        Figure(
            "NetToBreak",
            "Spend up to the break date",
            'IF(ISNUMBER(BreakDate),SUMIFS(Tracker[Cost],Tracker[Date],"<="&BreakDate),0)',
            styles.GBP,
            "Tracker costs dated on or before the break",
        ),
        Figure(
            "ForecastBreak",
            "Forecast at the break date",
            f"IF(ISNUMBER(BreakDate),{forecast_to('BreakDate')},0)",
            styles.GBP,
            "Run-rate to the break; actual once it has passed",
        ),
        Figure(
            "ForecastEnd",
            "Forecast at the contract end",
            forecast_to("ContractEnd"),
            styles.GBP,
            "Run-rate to the contract end",
        ),
        # The invoice register (Invoices sheet): a row counts when its checks run (the
        # counting rule: Tracker net is a number), credit notes as negative lines.
        Figure(
            "InvoicedToDate",
            "Invoiced to date (net, the register)",
            'SUMIFS(Invoices[Net],Invoices[Tracker net],">=0")',
            styles.GBP,
            "Sum of the Invoices sheet's nets, credit notes negative",
        ),
        Figure(
            "InvoicedHeadroom",
            "Cap not yet invoiced (net)",
            "CapNow-InvoicedToDate",
            styles.GBP_NEG,
            "Cap in force - invoiced; negative means invoiced over the cap",
        ),
        Figure(
            "DeliveredNotInvoiced",
            "Delivered, not yet invoiced (net)",
            "TotalNet-InvoicedToDate",
            styles.GBP_NEG,
            "Spend to date - invoiced; negative means invoiced ahead of delivery",
        ),
    ]


def _ahead_from_start() -> str:
    return "((YEAR(AsOfMonth)-YEAR(StartDate))*12+MONTH(AsOfMonth)-MONTH(StartDate))"


@dataclass(frozen=True)
class Positions:
    """Where each block of the Budget sheet sits (readers and tests use this too)."""

    scenario_top: int
    area_top: int
    month_top: int  # group header row; the area-name header row is just below
    first_month: int
    last_month: int
    cols: dict[str, int]

    def col(self, name: str) -> str:
        return get_column_letter(self.cols[name])


def positions(terms: Terms) -> Positions:
    areas = [a.short for a in terms.areas]
    months = months_in_range(terms.dates.start, terms.latest_possible_end)
    scen_top = HEADLINE_ROW + len(figures(terms, "X1")) + 2
    area_top = scen_top + len(SCENARIOS) + 3
    month_top = area_top + len(areas) + 4
    cols: dict[str, int] = {"Month": 1, "Status": 2}
    for i, area in enumerate(areas):
        cols[f"days:{area}"] = 3 + i
    cols["Days"] = 3 + len(areas)
    for i, area in enumerate(areas):
        cols[f"net:{area}"] = cols["Days"] + 1 + i
    cols["Net"] = cols["Days"] + 1 + len(areas)
    for j, name in enumerate(("VAT", "Gross", "Cumulative net", "Cumulative gross", "Cap")):
        cols[name] = cols["Net"] + 1 + j
    first = month_top + 2
    return Positions(scen_top, area_top, month_top, first, first + len(months) - 1, cols)


def build(wb: Workbook, terms: Terms) -> None:
    ws = wb.create_sheet(layout.BUDGET)
    styles.title(
        ws,
        f"Budget against the cap — {terms.contract.id}",
        "Calculated from the Tracker and the Contract sheet. Nothing to type here.",
    )
    areas = [a.short for a in terms.areas]
    months = months_in_range(terms.dates.start, terms.latest_possible_end)
    pos = positions(terms)
    cols, col = pos.cols, pos.col
    first_month, last_month, month_top = pos.first_month, pos.last_month, pos.month_top

    vat_range = f"{col('VAT')}{first_month}:{col('VAT')}{last_month}"
    _headline(ws, wb, terms, vat_range)
    # Under the headline figures: whether they rest on placeholder pricing.
    below = HEADLINE_ROW + len(figures(terms, vat_range))
    formula(ws, below, 1, f"={PLACEHOLDER_FORMULA}").font = styles.BOLD
    ws.conditional_formatting.add(
        f"A{below}", CellIsRule(operator="notEqual", formula=['""'], fill=styles.AMBER_MARK)
    )
    _scenarios(ws, pos.scenario_top)
    _areas(ws, pos.area_top, areas)
    rows = f"{pos.area_top + 1}:{{c}}{pos.area_top + len(areas)}"
    define(wb, "BudgetAreaAllocatedCol", layout.BUDGET, "B" + rows.format(c="B"))
    define(wb, "BudgetAreaUsedCol", layout.BUDGET, "C" + rows.format(c="C"))
    _month_table(ws, wb, month_top, first_month, months, areas, cols, col)
    draw_chart(ws, terms)
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 20
    ws.column_dimensions["C"].width = 16
    for c in range(4, max(cols.values()) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 13
    ws.freeze_panes = "B4"
    styles.protect(ws)
    styles.print_setup(
        ws,
        landscape=True,
        title_rows=None,
        marking=terms.contract.protective_marking,
        contract_id=terms.contract.id,
    )


def _headline(ws: Worksheet, wb: Workbook, terms: Terms, vat_range: str) -> None:
    styles.header_row(ws, HEADLINE_ROW - 1, ["Headline", "Value", "How it is worked out"])
    ws.merge_cells(
        start_row=HEADLINE_ROW - 1, start_column=3, end_row=HEADLINE_ROW - 1, end_column=5
    )
    for r, fig in enumerate(figures(terms, vat_range), start=HEADLINE_ROW):
        put(ws, r, 1, fig.label)
        cell = formula(ws, r, 2, f"={fig.expr}")
        styles.calc_cell(cell, fig.fmt)
        put(ws, r, 3, fig.how).font = styles.SUBTITLE
        define(wb, fig.name, layout.BUDGET, f"B{r}")
    band = f"B{HEADLINE_ROW + [f.name for f in figures(terms, 'X1')].index('AlertBand')}"
    ws.conditional_formatting.add(
        band, CellIsRule(operator="equal", formula=[f'"{OVER_CAP}"'], fill=styles.RED_MARK)
    )
    used = f"B{HEADLINE_ROW + [f.name for f in figures(terms, 'X1')].index('CapUsedPct')}"
    for op, bound, fill in (
        ("greaterThanOrEqual", "CapBand3", styles.RED_MARK),
        ("greaterThanOrEqual", "CapBand2", styles.AMBER_MARK),
        ("lessThan", "CapBand2", styles.GREEN_MARK),
    ):
        if len(terms.alerts.cap_bands) >= 3:
            ws.conditional_formatting.add(
                used, CellIsRule(operator=op, formula=[bound], fill=fill, stopIfTrue=True)
            )


def _scenarios(ws: Worksheet, top: int) -> None:
    styles.header_row(ws, top, ["Scenario", "Ends", "Forecast net", "Headroom at end"])
    for r, (label, until) in enumerate(SCENARIOS, start=top + 1):
        put(ws, r, 1, label)
        styles.calc_cell(formula(ws, r, 2, f"={scenario_end(until)}"), styles.DATE)
        styles.calc_cell(formula(ws, r, 3, f"={forecast_to(f'B{r}')}"), styles.GBP)
        styles.calc_cell(formula(ws, r, 4, f"={decisions.cap_on(f'B{r}')}-C{r}"), styles.GBP_NEG)
    put(
        ws,
        top + len(SCENARIOS) + 1,
        1,
        "Forecasts assume the average monthly spend so far carries on; once a date has "
        "passed they show what was actually spent up to it.",
    ).font = styles.SUBTITLE


def _areas(ws: Worksheet, top: int, areas: list[str]) -> None:
    styles.header_row(
        ws,
        top,
        [
            "Area",
            "Days allocated",
            "Days used",
            "Days remaining",
            "Net spend",
            "Share of allocation",
        ],
    )
    for r, area in enumerate(areas, start=top + 1):
        put(ws, r, 1, area)
        cells = {
            2: (f"=INDEX(Areas[Days allocated],MATCH(A{r},Areas[Short name],0))", styles.DAYS),
            3: (f'=SUMIFS(Tracker[Days],Tracker[Area],A{r},Tracker[Month],">0")', styles.DAYS),
            4: (f"=B{r}-C{r}", styles.DAYS),
            5: (f"=SUMIFS(Tracker[Cost],Tracker[Area],A{r})", styles.GBP),
            6: (f'=IF(B{r}=0,"",ROUND(C{r}/B{r},4))', styles.PCT),
        }
        for c, (text, fmt) in cells.items():
            styles.calc_cell(formula(ws, r, c, text), fmt)


def _month_table(
    ws: Any,
    wb: Any,
    top: int,
    first: int,
    months: list[dt.date],
    areas: list[str],
    cols: dict[str, int],
    col: Callable[[str], str],
) -> None:
    n = len(areas)
    groups = {cols["days:" + areas[0]]: "Days by area", cols["net:" + areas[0]]: "Net by area"}
    for c, text in groups.items():
        put(ws, top, c, text).font = styles.BOLD
        ws.merge_cells(start_row=top, start_column=c, end_row=top, end_column=c + n - 1)
    headers = [
        "Month",
        "Status",
        *areas,
        "Days",
        *areas,
        "Net",
        "VAT",
        "Gross",
        "Cumulative net",
        "Cumulative gross",
        "Cap",
    ]
    styles.header_row(ws, top + 1, headers)
    a, last = col("Month"), first + len(months) - 1
    for r in range(first, last + 1):
        start = "=DATE(YEAR(StartDate),MONTH(StartDate),1)" if r == first else f"=EDATE(A{r - 1},1)"
        cells = {
            "Month": (start, styles.MONTH),
            "Status": (f'=IF({a}{r}<=ContractEnd,"In term","Beyond end")', "@"),
        }
        for area in areas:
            hdr = f"{get_column_letter(cols['days:' + area])}${top + 1}"
            cells["days:" + area] = (
                f"=SUMIFS(Tracker[Days],Tracker[Area],{hdr},Tracker[Month],${a}{r})",
                styles.DAYS,
            )
            hdr = f"{get_column_letter(cols['net:' + area])}${top + 1}"
            cells["net:" + area] = (
                f"=SUMIFS(Tracker[Cost],Tracker[Area],{hdr},Tracker[Month],${a}{r})",
                styles.GBP,
            )
        d0, d1 = col("days:" + areas[0]), col("days:" + areas[-1])
        n0, n1 = col("net:" + areas[0]), col("net:" + areas[-1])
        cells["Days"] = (f"=SUM({d0}{r}:{d1}{r})", styles.DAYS)
        cells["Net"] = (f"=SUM({n0}{r}:{n1}{r})", styles.GBP)
        cells["VAT"] = (f"=ROUND({col('Net')}{r}*VATRate,2)", styles.GBP)
        cells["Gross"] = (f"={col('Net')}{r}+{col('VAT')}{r}", styles.GBP)
        cells["Cumulative net"] = (f"=SUM({col('Net')}${first}:{col('Net')}{r})", styles.GBP)
        cells["Cumulative gross"] = (f"=SUM({col('Gross')}${first}:{col('Gross')}{r})", styles.GBP)
        cells["Cap"] = (f"={decisions.cap_on(f'EOMONTH({a}{r},0)')}", styles.GBP)
        for name, (text, fmt) in cells.items():
            styles.calc_cell(formula(ws, r, cols[name], text), fmt)
    for name in ("Month", "Days", "Net", "VAT", "Gross", "Cumulative net"):
        define(
            wb,
            f"Budget{name.title().replace(' ', '')}Col",
            layout.BUDGET,
            f"{col(name)}{first}:{col(name)}{last}",
        )
    ws.conditional_formatting.add(
        f"A{first}:{col('Cap')}{last}",
        CellIsRule(operator="equal", formula=['"Beyond end"'], fill=styles.MUTED_MARK),
    )


def draw_chart(ws: Worksheet, terms: Terms) -> None:
    """The native chart of cumulative net spend against the cap, over the month table up to
    the month of the contract's end in force (the builder draws it; calloff decide draws it
    again when a decision moves the end; xlsrc.edges.workbook.owned_parts draws it again after
    another program's save has lost it)."""
    pos = positions(terms)
    _chart(ws, pos.cols, pos.first_month, chart_last_row(terms), pos.month_top)


def chart_last_row(terms: Terms) -> int:
    """The month table's row for the month of the end in force: the chart's lines stop there.
    Its range ends there rather than at a blank or #N/A, which LibreOffice draws as 0 (Excel
    draws "" as 0 too); the rows below it show "Beyond end"."""
    pos = positions(terms)
    months = months_in_range(terms.dates.start, terms.contract_end)
    return min(pos.first_month + len(months) - 1, pos.last_month)


def _chart(ws: Any, cols: dict[str, int], first: int, last: int, top: int) -> None:
    chart = LineChart()
    chart.title = "Cumulative spend (net) against the cap"
    chart.y_axis.title = "£ (excl. VAT)"
    # No "£0" at the foot of the axis: it would sit on the first month's label.
    chart.y_axis.number_format = '"£"#,##0;-"£"#,##0;""'
    chart.height, chart.width = 9, 20
    for name in ("Cumulative net", "Cap"):
        c = cols[name]
        values = Reference(ws, min_col=c, min_row=top + 1, max_row=last)
        chart.add_data(values, titles_from_data=True)
    for series in chart.series:  # straight lines between the months, no markers
        series.smooth = False
        series.marker.symbol = "none"
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    # Months as dates, a label each quarter, upright: labels never run together.
    chart.x_axis = DateAxis(crossAx=100)
    chart.x_axis.number_format = "mmm yy"
    chart.x_axis.majorTimeUnit = "months"
    chart.x_axis.majorUnit = 3
    chart.y_axis.crossAx = 500
    chart.x_axis.txPr = RichText(
        bodyPr=RichTextProperties(rot=0, vert="horz"),
        p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties()), endParaRPr=None)],
    )
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    ws.add_chart(chart, f"G{HEADLINE_ROW - 1}")
