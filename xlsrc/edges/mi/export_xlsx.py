"""The MI as a workbook: one sheet per KPI family, values only, with two native charts.

Sheets: Summary (headline, areas, scenarios, risks at a glance, the rules), Monthly (one row
per month, with the chart of spend against the cap), By area, Ratings (with the chart of
ratings over time), Risks, EHCP (monthly, local), SEN2 (annual, published: a different
measure, kept apart), Returns, Invoices. Every value goes through `put`, so no text becomes a
formula; money is written as exact Decimals with a £ format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc.core.mi import plan
from xlsrc.core.mi.kpis import MI
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.mi.export_json import placeholders
from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put

RATIO = "0.00%"
PLAN_DAYS = "0.00"
RAG_COLOURS = {"Red": "C00000", "Amber": "FFC000", "Green": "00B050"}
HEADER_ROW = 4

Column = tuple[str, str | None, float]  # header, number format, width


def _table(
    ws: Worksheet,
    top: int,
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    first_col: int = 1,
) -> int:
    """Headers at `top`, then the rows; returns the last row written."""
    styles.header_row(ws, top, [c[0] for c in columns], start_col=first_col)
    for n, (_, _, width) in enumerate(columns):
        letter = get_column_letter(first_col + n)
        current = ws.column_dimensions[letter].width or 0
        ws.column_dimensions[letter].width = max(current, width)
    r = top
    for r, values in enumerate(rows, start=top + 1):
        for n, value in enumerate(values):
            cell = put(ws, r, first_col + n, value)
            number_format = columns[n][1]
            if number_format:
                cell.number_format = number_format
    return max(r, top)


def _sheet(
    wb: Workbook, mi: MI, name: str, heading: str, note: str, *, repeat_header: bool = True
) -> Worksheet:
    ws = wb.create_sheet(name)
    styles.title(ws, f"{heading} — {mi.terms.contract.id}", note)
    styles.print_setup(
        ws,
        landscape=True,
        title_rows=f"{HEADER_ROW}:{HEADER_ROW}" if repeat_header else None,
        marking=mi.terms.contract.protective_marking,
        contract_id=mi.terms.contract.id,
    )
    return ws


def _rag(ws: Worksheet, month_col: int, first: int, last: int, colour_cols: dict[str, int]) -> Any:
    """A stacked column chart of Red/Amber/Green counts by month."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Annex A ratings over time (all areas)"
    chart.y_axis.title = "Annex A rows"
    for colour, col in colour_cols.items():
        data = Reference(ws, min_col=col, min_row=first - 1, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.series[-1].graphicalProperties.solidFill = RAG_COLOURS[colour]
        chart.series[-1].graphicalProperties.line.solidFill = RAG_COLOURS[colour]
    chart.set_categories(Reference(ws, min_col=month_col, min_row=first, max_row=last))
    chart.x_axis.number_format = "mmm yyyy"
    chart.height, chart.width = 9, 22
    return chart


def write_xlsx(mi: MI, path: Path) -> None:
    save_workbook(build_xlsx(mi), path)


def build_xlsx(mi: MI) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    _summary(wb, mi)
    _monthly(wb, mi)
    _by_area(wb, mi)
    _ratings(wb, mi)
    _risks(wb, mi)
    _ehcp(wb, mi)
    _sen2(wb, mi)
    _returns(wb, mi)
    _invoices(wb, mi)
    wb.active = 0
    return wb


def _summary(wb: Workbook, mi: MI) -> None:
    terms, t = mi.terms, mi.totals
    ws = _sheet(
        wb,
        mi,
        "Summary",
        "Management information",
        f"As at {mi.today:%d/%m/%Y}. Computed by calloff from the workbook's own data: the same"
        " figures as calloff's totals and the monthly returns.",
        repeat_header=False,
    )
    c = terms.contract
    facts: list[tuple[str, object, str | None]] = [
        ("Contract", c.id, None),
        ("Reference", c.reference, None),
        ("Title", c.title, None),
        ("Supplier", c.supplier, None),
        ("Areas", ", ".join(mi.area_names), None),
        ("Start", terms.dates.start, styles.DATE),
        ("Completion date", terms.dates.end, styles.DATE),
        ("Break", terms.dates.break_, styles.DATE),
        ("The break", terms.effective.break_state, None),
        ("Contract end in force", terms.contract_end, styles.DATE),
        ("Cap (net)", terms.cap_now, styles.GBP),
        ("Day rate now", terms.effective.rate_now, styles.GBP),
        (
            "Figures still placeholders (not agreed)",
            ", ".join(placeholders(terms)).capitalize() or "None: the pricing is agreed",
            None,
        ),
        ("Latest month with delivery", t.AsOfMonth, styles.MONTH),
        ("Days delivered", t.TotalDays, styles.DAYS),
        ("Spend to date (net)", t.TotalNet, styles.GBP),
        ("VAT", t.TotalVAT, styles.GBP),
        ("Spend incl. VAT", t.TotalGross, styles.GBP),
        ("Headroom to cap", t.Headroom, styles.GBP_NEG),
        ("Cap used", t.CapUsedPct, RATIO),
        ("Alert", t.AlertBand, None),
        ("Run-rate per month", t.RunRate, styles.GBP),
        ("Forecast at the break", t.ForecastBreak, styles.GBP),
        ("Forecast at the end", t.ForecastEnd, styles.GBP),
        ("Tracker rows with errors (left out)", mi.rows_with_errors, styles.INT),
        ("Open risks", mi.risks.open, styles.INT),
        (f"Open risks scoring {mi.risks.threshold} or more", mi.risks.at_or_above_threshold, None),
        ("Escalations now (all kinds below)", mi.escalations.total, styles.INT),
        (_not_sufficient_label(mi), _areas_said(mi.escalations.not_sufficient), None),
        ("Open risks escalated to VCU", mi.risks.escalations, styles.INT),
        ("Escalations and asks of the Department open", mi.escalations.asks, styles.INT),
        ("Returns issued (all versions)", len(mi.returns), styles.INT),
        (
            "Invoices checked / passed",
            f"{len(mi.invoices)} / {sum(i.result == 'PASS' for i in mi.invoices)}",
            None,
        ),
    ]
    styles.header_row(ws, HEADER_ROW, ["Figure", "Value"])
    for r, (label, value, number_format) in enumerate(facts, start=HEADER_ROW + 1):
        put(ws, r, 1, label).font = styles.BOLD
        cell = put(ws, r, 2, value)
        if number_format:
            cell.number_format = number_format
    styles.widths(ws, {"A": 36, "B": 40})
    last = _table(
        ws,
        HEADER_ROW,
        [
            ("Area", None, 30),
            ("Days allocated", styles.DAYS, 12),
            ("Planned to date", PLAN_DAYS, 12),
            ("Days delivered", styles.DAYS, 12),
            ("Days remaining", styles.DAYS, 12),
            ("Net", styles.GBP, 14),
        ],
        [(a.area, a.allocated, a.planned_to_date, a.days, a.remaining, a.net) for a in mi.areas],
        first_col=4,
    )
    last = _table(
        ws,
        last + 2,
        [
            ("Scenario", None, 30),
            ("Ends", styles.DATE, 12),
            ("Forecast net", styles.GBP, 12),
            ("Headroom", styles.GBP_NEG, 12),
        ],
        [(s.label, s.ends, s.forecast, s.headroom) for s in t.scenarios],
        first_col=4,
    )
    notes = [
        "Days planned: " + plan.PLAIN_RULE,
        "EHCP timeliness: each area's own monthly figure against its trajectory (EHCP sheet);"
        " the annual SEN2 figure is a different, published measure, shown apart and never"
        " compared with it.",
        "Escalations: an area the latest recommendation to VCU calls Not sufficient, an open"
        " risk flagged for VCU or with the status Escalated (the Risks sheet as it stands now;"
        " it keeps no history), and an escalation or ask of the Department (Report sheet) not"
        " yet resolved.",
        "Returns: the Audit sheet's 'Return issued' rows; days after month end = the date issued"
        " minus the last day of the month returned.",
        "This MI holds figures, IDs and labels only, never notes, evidence or risk descriptions.",
    ]
    r = max(last, HEADER_ROW + len(facts)) + 2
    put(ws, r, 1, "Rules").font = styles.BOLD
    for n, text in enumerate(notes, start=r + 1):
        cell = put(ws, n, 1, text)
        cell.alignment = styles.WRAP
        ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=9)
        ws.row_dimensions[n].height = 15 * (1 + len(text) // 150)


def _not_sufficient_label(mi: MI) -> str:
    month = mi.escalations.month
    return "Areas recommended Not sufficient to VCU" + (f" ({month:%b %Y})" if month else "")


def _areas_said(areas: tuple[str, ...]) -> str:
    """ "2: Oxfordshire, Medway", or "None"."""
    return f"{len(areas)}: {', '.join(areas)}" if areas else "None"


def _monthly(wb: Workbook, mi: MI) -> None:
    ws = _sheet(
        wb,
        mi,
        "Monthly",
        "Month by month",
        "Delivery against plan, spend against the cap, forecasts as each month's return states"
        " them, returns and invoices. Months after the current one show only their plan.",
    )
    cap = mi.terms.cap_now
    columns: list[Column] = [
        ("Month", styles.MONTH, 10),
        ("In term", None, 7),
        ("Days planned", PLAN_DAYS, 9),
        ("Days delivered", styles.DAYS, 9),
        ("Cumulative planned", PLAN_DAYS, 11),
        ("Cumulative delivered", styles.DAYS, 11),
        ("Net", styles.GBP, 12),
        ("VAT", styles.GBP, 11),
        ("Gross", styles.GBP, 12),
        ("Cumulative net", styles.GBP, 13),
        ("Cap", styles.GBP, 12),
        ("% of cap", RATIO, 9),
        ("Headroom", styles.GBP_NEG, 12),
        ("Forecast at end (as at month)", styles.GBP, 14),
        ("Forecast at break (as at month)", styles.GBP, 14),
        ("Return issued", styles.DATE, 11),
        ("Days after month end", styles.INT, 10),
        ("Return versions", styles.INT, 9),
        ("Invoice", None, 24),
    ]
    rows = [
        (
            m.month,
            "Yes" if m.in_term else "No",
            m.planned,
            m.days,
            m.cumulative_planned,
            m.cumulative_days,
            m.net,
            m.vat,
            m.gross,
            m.cumulative_net,
            cap,
            m.cap_used,
            m.headroom,
            m.forecast_end,
            m.forecast_break,
            m.return_issued,
            m.return_days_after,
            m.return_versions if m.reported else None,
            m.invoice,
        )
        for m in mi.months
    ]
    last = _table(ws, HEADER_ROW, columns, rows)
    ws.row_dimensions[HEADER_ROW].height = 45
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    if not rows:
        return
    first = HEADER_ROW + 1
    chart = LineChart()
    chart.title = "Cumulative spend (net) against the cap"
    chart.y_axis.title = "£"
    chart.y_axis.number_format = '"£"#,##0'
    for header in ("Cumulative net", "Cap", "Forecast at end (as at month)"):
        col = [c[0] for c in columns].index(header) + 1
        chart.add_data(
            Reference(ws, min_col=col, min_row=HEADER_ROW, max_row=last), titles_from_data=True
        )
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.x_axis.number_format = "mmm yyyy"
    for series in chart.series:
        series.smooth = False
    chart.series[1].graphicalProperties.line.dashStyle = "dash"
    chart.height, chart.width = 9, 22
    ws.add_chart(chart, f"B{last + 3}")


def _by_area(wb: Workbook, mi: MI) -> None:
    ws = _sheet(wb, mi, "By area", "Days by area against plan", "One row per month and area.")
    rows = [
        (m.month, a.area, a.planned, a.days, a.cumulative_planned, a.cumulative_days, a.net)
        for m in mi.months
        for a in m.areas
    ]
    _table(
        ws,
        HEADER_ROW,
        [
            ("Month", styles.MONTH, 10),
            ("Area", None, 16),
            ("Days planned", PLAN_DAYS, 10),
            ("Days delivered", styles.DAYS, 10),
            ("Cumulative planned", PLAN_DAYS, 12),
            ("Cumulative delivered", styles.DAYS, 12),
            ("Net", styles.GBP, 13),
        ],
        rows,
    )
    ws.freeze_panes = f"A{HEADER_ROW + 1}"


def _ratings(wb: Workbook, mi: MI) -> None:
    ws = _sheet(
        wb,
        mi,
        "Ratings",
        "Annex A ratings by colour",
        "How many Annex A rows (outcome x success measure) each area has rated Red, Amber and"
        " Green each month; on the right, all areas together (the chart).",
    )
    _table(
        ws,
        HEADER_ROW,
        [
            ("Month", styles.MONTH, 10),
            ("Area", None, 16),
            ("Red", styles.INT, 7),
            ("Amber", styles.INT, 7),
            ("Green", styles.INT, 7),
            ("Not rated", styles.INT, 9),
        ],
        [(r.month, r.area, r.red, r.amber, r.green, r.not_rated) for r in mi.ratings],
    )
    months: dict[dt.date, list[int]] = {}
    for r in mi.ratings:
        total = months.setdefault(r.month, [0, 0, 0, 0])
        for n, v in enumerate((r.red, r.amber, r.green, r.not_rated)):
            total[n] += v
    last = _table(
        ws,
        HEADER_ROW,
        [
            ("Month", styles.MONTH, 10),
            ("Red", styles.INT, 7),
            ("Amber", styles.INT, 7),
            ("Green", styles.INT, 7),
            ("Not rated", styles.INT, 9),
        ],
        [(m, *v) for m, v in months.items()],
        first_col=8,
    )
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    if months:
        chart = _rag(ws, 8, HEADER_ROW + 1, last, {"Red": 9, "Amber": 10, "Green": 11})
        ws.add_chart(chart, f"N{HEADER_ROW}")


def _risks(wb: Workbook, mi: MI) -> None:
    r = mi.risks
    ws = _sheet(
        wb,
        mi,
        "Risks",
        "Open risks by score",
        f"As the Risks sheet stands now. {r.open} open, {r.at_or_above_threshold} scoring"
        f" {r.threshold} or more, {r.escalations} escalation(s) to VCU.",
    )
    last = _table(
        ws,
        HEADER_ROW,
        [
            ("ID", None, 8),
            ("Area", None, 14),
            ("Outcome", None, 10),
            ("Likelihood", styles.INT, 10),
            ("Impact", styles.INT, 8),
            ("Score", styles.INT, 7),
            ("Owner (role)", None, 24),
            ("Status", None, 11),
            ("Escalate to VCU", None, 10),
        ],
        [
            (
                x.id,
                x.area,
                x.outcome,
                x.likelihood,
                x.impact,
                x.score,
                x.owner,
                x.status,
                "Yes" if x.escalate else "No",
            )
            for x in r.lines
        ],
    )
    by_score: list[tuple[object, int]] = [(score, n) for score, n in r.by_score.items()]
    if r.unscored:
        by_score.append(("not scored", r.unscored))
    _table(ws, last + 2, [("Score", None, 8), ("Open risks", styles.INT, 14)], by_score)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"


def _ehcp(wb: Workbook, mi: MI) -> None:
    ws = _sheet(
        wb,
        mi,
        "EHCP",
        "EHCP timeliness (local, monthly)",
        "Each area's own monthly figure against its trajectory. Not the SEN2 figure (see SEN2):"
        " the two are different measures and are never compared.",
    )
    _table(
        ws,
        HEADER_ROW,
        [
            ("Month", styles.MONTH, 10),
            ("Area", None, 16),
            ("New EHC plans issued", styles.INT, 12),
            ("Within 20 weeks", styles.INT, 11),
            ("% within 20 weeks", RATIO, 11),
            ("Trajectory", RATIO, 10),
            ("Against trajectory", None, 18),
        ],
        [
            (e.month, e.area, e.issued, e.within_20_weeks, e.pct, e.trajectory, e.versus_trajectory)
            for e in mi.ehcp
        ],
    )
    ws.freeze_panes = f"A{HEADER_ROW + 1}"


def _sen2(wb: Workbook, mi: MI) -> None:
    ws = _sheet(
        wb,
        mi,
        "SEN2",
        "SEN2 (annual, published)",
        "The published annual SEN2 figure: % of new EHC plans issued within 20 weeks, per"
        " calendar year. Kept apart from the local monthly figures.",
    )
    _table(
        ws,
        HEADER_ROW,
        [
            ("Year", "0", 8),
            ("Area", None, 16),
            ("% within 20 weeks", RATIO, 12),
            ("Published", None, 30),
        ],
        [(s.year, s.area, s.pct, s.published) for s in mi.sen2],
    )


def _returns(wb: Workbook, mi: MI) -> None:
    ws = _sheet(
        wb,
        mi,
        "Returns",
        "Monthly returns issued",
        "From the Audit sheet. Days after month end: date issued minus the month's last day.",
    )
    _table(
        ws,
        HEADER_ROW,
        [
            ("Month", styles.MONTH, 10),
            ("Version", styles.INT, 8),
            ("Issued", styles.DATE, 11),
            ("Days after month end", styles.INT, 11),
            ("Tracker rows", styles.INT, 9),
            ("Net returned", styles.GBP, 13),
        ],
        [(r.month, r.version, r.issued, r.days_after_month_end, r.rows, r.net) for r in mi.returns],
    )
    ws.freeze_panes = f"A{HEADER_ROW + 1}"


def _invoices(wb: Workbook, mi: MI) -> None:
    note = (
        "Each Invoices sheet row, checked as `calloff invoice-check` checks it."
        if mi.invoices_problem is None
        else f"The invoices could not be checked: {mi.invoices_problem}"
    )
    ws = _sheet(wb, mi, "Invoices", "Invoices checked", note)
    _table(
        ws,
        HEADER_ROW,
        [
            ("Month", styles.MONTH, 10),
            ("Invoice number", None, 14),
            ("Invoices row", styles.INT, 9),
            ("Net", styles.GBP, 12),
            ("VAT", styles.GBP, 11),
            ("Gross", styles.GBP, 12),
            ("Tracker net", styles.GBP, 12),
            ("Result", None, 8),
            ("Differences", None, 40),
        ],
        [
            (
                i.month,
                i.number,
                i.row,
                i.net,
                i.vat,
                i.gross,
                i.tracker_net,
                i.result,
                ", ".join(i.codes),
            )
            for i in mi.invoices
        ],
    )
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
