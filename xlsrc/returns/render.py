"""Write a MonthlyReturn as a sheet: values, not formulas (a return is what was issued),
laid out to read on screen and print on A4 portrait."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from xlsrc import fmt, layout
from xlsrc.returns.gather import invoice_line
from xlsrc.returns.model import MonthlyReturn
from xlsrc.workbook import styles
from xlsrc.workbook.cells import put

WIDTHS = {"A": 30, "B": 15, "C": 13, "D": 12, "E": 11, "F": 42}
SECTION_FILL = PatternFill("solid", fgColor="D9E1F2")
RAG_FILL = {"Red": styles.RED_FILL, "Amber": styles.AMBER_FILL, "Green": styles.GREEN_FILL}
MERGED = Alignment(wrap_text=True, vertical="top")


class Writer:
    """Rows top to bottom; each helper writes one kind of line and moves on."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws, self.row = ws, 1

    def gap(self) -> None:
        self.row += 1

    def section(self, text: str) -> None:
        self.gap()
        for c in range(1, 7):
            self.ws.cell(self.row, c).fill = SECTION_FILL
        put(self.ws, self.row, 1, text).font = Font(bold=True, size=12, color="1F3864")
        self.row += 1

    def paragraph(self, text: str, *, italic: bool = False, bold: bool = False) -> None:
        cell = put(self.ws, self.row, 1, text)
        cell.alignment = MERGED
        cell.font = Font(italic=italic, bold=bold)
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=6)
        lines = max(1, -(-len(text) // 120))
        self.ws.row_dimensions[self.row].height = 14 * lines
        self.row += 1

    def pair(self, label: str, value: object, fmt: str | None = None) -> None:
        put(self.ws, self.row, 1, label).font = styles.BOLD
        cell = put(self.ws, self.row, 2, value)
        if fmt:
            cell.number_format = fmt
        cell.alignment = Alignment(horizontal="left")
        self.ws.merge_cells(start_row=self.row, start_column=2, end_row=self.row, end_column=6)
        self.row += 1

    def header(self, *cells: str) -> None:
        styles.header_row(self.ws, self.row, list(cells))
        self.ws.row_dimensions[self.row].height = 16
        self.row += 1

    def values(
        self, *cells: object, formats: dict[int, str] | None = None, wrap_last: bool = False
    ) -> None:
        for c, value in enumerate(cells, start=1):
            cell = put(self.ws, self.row, c, value)
            cell.alignment = (
                styles.WRAP
                if (wrap_last and c == len(cells))
                else Alignment(
                    vertical="top", horizontal="left" if isinstance(value, str) else None
                )
            )
            if formats and c in formats:
                cell.number_format = formats[c]
        if wrap_last and isinstance(cells[-1], str):
            lines = max(1, -(-len(cells[-1]) // 46))
            self.ws.row_dimensions[self.row].height = max(14, 13 * lines)
        self.row += 1


def money(value: Decimal) -> float:
    """Cells hold numbers (pounds, exact to the penny in binary for these magnitudes)."""
    return float(value)


def render(wb: Workbook, ret: MonthlyReturn) -> Worksheet:
    index = wb.sheetnames.index(layout.LISTS) if layout.LISTS in wb.sheetnames else None
    ws = wb.create_sheet(ret.sheet_name, index=index)
    w = Writer(ws)
    put(ws, 1, 1, ret.marking).font = Font(bold=True, color="C00000")
    w.row = 2
    version = "" if ret.version == 1 else f" — version {ret.version} (corrected)"
    put(ws, 2, 1, f"Monthly return — {ret.period}{version}").font = styles.TITLE
    w.row = 3
    w.pair("Contract", ret.contract_id)
    w.pair("Reference", ret.reference)
    w.pair("Supplier", ret.supplier)
    w.pair("Authority", ret.authority)
    w.pair("Period", ret.period)
    w.pair("Date prepared", ret.prepared, styles.DATE)
    w.pair("Version", ret.version)
    if ret.is_nil:
        w.pair("Status", "NIL RETURN: no call-off days delivered this month")

    d = ret.delivery
    w.section("1. Delivery")
    w.header("Area", "Days", "Net", "", "", "")
    for line in d.by_area:
        w.values(
            line.name, money(line.days), money(line.net), formats={2: styles.DAYS, 3: styles.GBP}
        )
    w.values(
        "Total this month", money(d.days), money(d.net), formats={2: styles.DAYS, 3: styles.GBP}
    )
    ws.cell(w.row - 1, 1).font = styles.BOLD
    if d.by_advisor:
        w.gap()
        w.header("Advisor", "Days", "Net", "", "", "")
        for line in d.by_advisor:
            w.values(
                line.name,
                money(line.days),
                money(line.net),
                formats={2: styles.DAYS, 3: styles.GBP},
            )
    w.gap()
    w.pair("Days to date", float(d.cumulative_days), styles.DAYS)
    w.pair("Spend to date (net)", money(d.cumulative_net), styles.GBP)
    w.pair("Spend to date incl. VAT", money(d.cumulative_gross), styles.GBP)
    w.pair("Cap (net)", money(d.cap), styles.GBP)
    w.pair("Cap used", float(d.cap_used), styles.PCT)
    w.pair("Headroom to the cap", money(d.headroom), styles.GBP_NEG)
    w.pair("Alert", d.alert)
    if d.break_date and d.forecast_break is not None:
        w.pair(f"Forecast, break {d.break_date:%d/%m/%Y}", money(d.forecast_break), styles.GBP)
    w.pair(f"Forecast, end {d.contract_end:%d/%m/%Y}", money(d.forecast_end), styles.GBP)

    w.section("2. Invoice narrative")
    if ret.is_nil:
        w.paragraph(
            f"Nil return: no call-off days were delivered in {ret.period}, so no "
            "invoice is due for this month.",
            bold=True,
        )
    for area in ret.narrative:
        w.paragraph(area.area, bold=True)
        w.paragraph(area.paragraph)
        for note in area.notes:
            w.paragraph(f"• {note}", italic=True)
    if not ret.is_nil:
        w.paragraph(f"Invoice for {ret.period}: {invoice_line(ret)}.", bold=True)

    w.section("3. Progress against Annex A")
    evidenced = sum(p.evidenced for p in ret.progress)
    w.paragraph(
        f"{evidenced} of {len(ret.progress)} success measures have a rating and "
        f"evidence for {ret.period}.",
        italic=True,
    )
    w.header(
        "Area / outcome", "Measure", "Rating", "Change", "Evidence?", "Evidence; agreed next steps"
    )
    for p in ret.progress:
        text = p.evidence + (f" Next steps: {p.next_steps}" if p.next_steps else "")
        w.values(
            f"{p.area} {p.outcome}",
            p.measure,
            p.rating or "—",
            p.change,
            "Yes" if p.evidenced else "No",
            text.strip(),
            wrap_last=True,
        )
        if p.rating in RAG_FILL:
            ws.cell(w.row - 1, 3).fill = RAG_FILL[p.rating]

    w.section("4. EHCP timeliness")
    w.paragraph(
        "The area's own monthly figure (new EHC plans issued within 20 weeks) against "
        "its trajectory. The published SEN2 figure below is a different, annual measure "
        "(excluding exceptions): the two are never compared or combined.",
        italic=True,
    )
    w.header("Area", "Plans issued", "Within 20 wks", "% (local)", "Trajectory", "")
    for t in ret.timeliness:
        w.values(
            t.area,
            t.issued if t.issued is not None else "—",
            t.within_20_weeks if t.within_20_weeks is not None else "—",
            float(t.pct) if t.pct is not None else "—",
            float(t.trajectory) if t.trajectory is not None else "—",
            t.versus_trajectory,
            formats={4: styles.PCT, 5: styles.PCT},
        )
    w.gap()
    w.header("Area", "SEN2 year", "SEN2 % (annual)", "", "", "")
    for t in ret.timeliness:
        w.values(
            t.area,
            t.sen2_year or "—",
            float(t.sen2_pct) if t.sen2_pct is not None else "not published",
            formats={3: styles.PCT},
        )

    w.section("5. Risks and escalations")
    if not ret.risks:
        w.paragraph(
            "No open risk at or above the reporting threshold, and none flagged for VCU.",
            italic=True,
        )
    else:
        w.header("Risk", "Area", "Score", "To VCU?", "Status", "Risk; mitigation; owner")
        for r in ret.risks:
            w.values(
                r.id,
                r.area,
                r.score if r.score is not None else "—",
                "Yes" if r.escalate else "No",
                r.status,
                f"{r.description} Mitigation: {r.mitigation} Owner: {r.owner}",
                wrap_last=True,
            )

    w.section("6. Recommendation to VCU")
    w.header("Area", "Recommendation", "", "", "", "Reason")
    for v in ret.vcu:
        w.values(v.area, v.recommendation, "", "", "", v.reason, wrap_last=True)

    w.gap()
    w.paragraph(
        f"Issuing this return locks {ret.period}: {ret.entry_count} tracker row(s), "
        f"fingerprint {ret.entries_fingerprint[:23]}… recorded on the Audit sheet. "
        f"Days delivered this month: {fmt.days(d.days)}.",
        italic=True,
    )
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    styles.protect(ws)
    styles.print_setup(
        ws, landscape=False, title_rows=None, marking=ret.marking, contract_id=ret.contract_id
    )
    ws.print_area = f"A1:F{w.row}"
    return ws
