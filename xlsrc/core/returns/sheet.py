"""The monthly return as a sheet, described as plain data: values (never formulas: a return is
what was issued), styles, merged paragraphs, column widths, row heights and the print set-up,
laid out to read on screen and print on A4 portrait. Both sinks draw this one description:
xlsrc.edges.fileio.sheet_writer with openpyxl (`calloff return`), xlsrc.adapters.xl.write with
xlwings (the Build return button). The last line is the period-lock seal over every number
above it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from xlsrc.core.returns.gather import invoice_line
from xlsrc.core.returns.model import CloseOut, MonthlyReturn, PlanLine, Progress
from xlsrc.core.returns.seal import (
    SEAL_LABEL,
    footer_seal,
    return_record,
    seal_of,
    sheet_numbers,
)
from xlsrc.core.returns.sections import break_words
from xlsrc.model import fmt, pagination, palette, textfit
from xlsrc.model.writes import (
    SIDE_MARGIN,
    TOP_MARGIN,
    Align,
    Font,
    Page,
    SheetPicture,
    Style,
)

COLUMNS = 6  # A to F
WIDTHS = {"A": 30, "B": 16, "C": 15, "D": 12, "E": 13, "F": 38}
BOLD = Font(bold=True)
RAG_FILL = {"Red": palette.RED, "Amber": palette.AMBER, "Green": palette.GREEN}
RECOMMENDATION_FILL = {
    "Sufficient": palette.GREEN,
    "At risk": palette.AMBER,
    "Not sufficient": palette.RED,
}
SECTION_FONT = Font(bold=True, size=12, color=palette.NAVY)
TITLE_FONT = Font(bold=True, size=14, color=palette.NAVY)
MARKING_FONT = Font(bold=True, color=palette.MARKING_RED)
HEADER_FONT = Font(bold=True, color=palette.WHITE)
SEAL_FONT = Font(italic=True, size=8)
MERGED = Align(vertical="top", wrap=True)
WRAP = Align(vertical="top", wrap=True)
TOP = Align(vertical="top")
WRAP_INDENTED = Align(vertical="top", wrap=True, indent=1)
PAIR_VALUE = Align(horizontal="left", vertical="top", wrap=True)
INDENT_PT = 9.0  # one level of a cell's indent


def get_letter(column: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[column - 1]


NO_EVIDENCE = "No evidence recorded for this month."
SAME_EVIDENCE = "As for the outcome, above."


def _evidence(p: Progress) -> str:
    return (p.evidence + (f" Next steps: {p.next_steps}" if p.next_steps else "")).strip()


class Writer:
    """Rows top to bottom; each helper writes one kind of line and moves on. Cells are kept
    as plain data: values, styles, merges and row heights, as a sheet would hold them."""

    def __init__(self) -> None:
        self.row = 1
        self.cells: dict[tuple[int, int], object] = {}
        self.styles: dict[tuple[int, int], Style] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.heights: dict[int, float] = {}
        self.keep: set[int] = set()  # rows printed on the same page as the row after them
        self.sections = 0

    def put(self, row: int, column: int, value: object, **style: object) -> None:
        self.cells[(row, column)] = value
        self.style(row, column, **style)

    def style(self, row: int, column: int, **changes: object) -> None:
        """Change some of a cell's style (font, fill, align, number_format), keep the rest."""
        if changes:
            self.styles[(row, column)] = replace(self.styles.get((row, column), Style()), **changes)  # type: ignore[arg-type]

    def fill(self, row: int, column: int, rgb: str) -> None:
        self.style(row, column, fill=rgb)

    def merge(self, row: int, first: int, last: int) -> None:
        """Merge one row's columns `first`..`last`: the cells after the first are merged away
        (their values and styles gone), as in a worksheet."""
        self.merges.append((row, first, row, last))
        for column in range(first + 1, last + 1):
            self.cells.pop((row, column), None)
            self.styles.pop((row, column), None)

    def numbers(self) -> str:
        """The digest of every number written so far, with its place (the seal's "sheet")."""
        return sheet_numbers(self.grid())

    def grid(self) -> list[list[object]]:
        last = max((r for r, _ in self.cells), default=0)
        width = max((c for _, c in self.cells), default=0)
        return [[self.cells.get((r, c)) for c in range(1, width + 1)] for r in range(1, last + 1)]

    def gap(self) -> None:
        if self.row - 1 in self.keep:  # a heading's gap goes with it
            self.keep.add(self.row)
        self.row += 1

    def lead_in(self) -> None:
        """The row just written leads into the next: no page ends after it."""
        self.keep.add(self.row - 1)

    def section(self, text: str) -> None:
        """A numbered section title: sections a contract does not have leave no gap."""
        self.gap()
        self.sections += 1
        for c in range(1, COLUMNS + 1):
            self.fill(self.row, c, palette.SECTION_BLUE)
        self.put(self.row, 1, f"{self.sections}. {text}", font=SECTION_FONT)
        self.row += 1
        self.lead_in()

    def paragraph(self, text: str, *, italic: bool = False, bold: bool = False) -> None:
        """A paragraph over the six columns; a bold one heads what follows it."""
        self.put(self.row, 1, text, align=MERGED, font=Font(bold=bold, italic=italic))
        self.merge(self.row, 1, COLUMNS)
        self.row += 1
        if bold:
            self.lead_in()

    def pair(self, label: str, value: object, number_format: str | None = None) -> None:
        self.put(self.row, 1, label, font=BOLD, align=WRAP)
        self.put(self.row, 2, value, align=PAIR_VALUE)
        if number_format:
            self.style(self.row, 2, number_format=number_format)
        self.merge(self.row, 2, COLUMNS)
        self.row += 1

    def header(self, *cells: str, numeric: tuple[int, ...] = ()) -> None:
        """One line of column headers; a header followed by blank ones spans them too, so
        no header is squeezed into a narrow column and broken. The `numeric` columns' headers
        span nothing and are right-aligned, over their right-aligned numbers."""
        for c, text in enumerate(cells, start=1):
            self.put(
                self.row,
                c,
                text,
                font=HEADER_FONT,
                fill=palette.NAVY,
                align=Align(horizontal="right" if c in numeric else None, vertical="center"),
            )
        for c, text in enumerate(cells, start=1):
            if text and c not in numeric:  # a number's header stays over its numbers
                span = next((i for i in range(c + 1, len(cells) + 1) if cells[i - 1]), None)
                end = (span or len(cells) + 1) - 1
                if end > c:
                    self.merge(self.row, c, end)
        self.heights[self.row] = 16
        self.row += 1
        self.lead_in()

    def measure(self, p: Progress, evidence: str | None = None) -> None:
        """A success measure (wording over three columns), its rating, change and evidence
        (`evidence`: what to show instead, when the outcome states it once for all)."""
        r = self.row
        if evidence is None:
            evidence = _evidence(p) or NO_EVIDENCE
        wording = f"{p.measure}: {p.measure_text}"
        for c, value in (
            (1, wording),
            (4, p.rating or "not rated"),
            (5, p.change),
            (6, evidence),
        ):
            self.put(r, c, value, align=WRAP)
        self.merge(r, 1, 3)
        if p.rating in RAG_FILL:
            self.fill(r, 4, RAG_FILL[p.rating])
        self.row += 1

    def values(
        self, *cells: object, formats: dict[int, str] | None = None, wrap_last: bool = False
    ) -> None:
        for c, value in enumerate(cells, start=1):
            align = (
                WRAP_INDENTED
                if (wrap_last and c == len(cells))
                else Align(  # text a little in from a right-aligned number before it
                    vertical="top",
                    horizontal="left" if isinstance(value, str) else None,
                    indent=1 if isinstance(value, str) and c > 1 else 0,
                )
            )
            self.put(self.row, c, value, align=align)
            if formats and c in formats:
                self.style(self.row, c, number_format=formats[c])
        self.row += 1

    def fit(self) -> None:
        """Every row tall enough for its text, measured in the font's real widths
        (xlsrc.model.textfit) and wrapped to its column or merged columns; text that would run
        into a filled neighbour wraps rather than being cut."""
        spans = {(r, first): last for r, first, _, last in self.merges}
        for (r, c), value in sorted(self.cells.items()):
            if not isinstance(value, str) or not value:
                continue
            last = spans.get((r, c), c)
            style = self.styles.get((r, c), Style())
            font = style.font or Font()
            size, bold = float(font.size or textfit.DEFAULT_SIZE), bool(font.bold)
            align = style.align or Align()
            width = sum(WIDTHS[get_letter(i)] for i in range(c, last + 1))
            room = textfit.column_points(width) - INDENT_PT * align.indent
            wrap = bool(align.wrap)
            blocked = self.cells.get((r, last + 1)) not in (None, "")
            if not wrap and blocked and textfit.text_width(value, size, bold) > room:
                self.style(r, c, align=replace(align, wrap=True, vertical="top"))
                wrap = True
            lines = textfit.wrapped_lines(value, room, size, bold) if wrap else 1
            self.heights[r] = max(self.heights.get(r, 0.0), textfit.row_height(lines, size))


def describe(ret: MonthlyReturn) -> SheetPicture:
    """The return's sheet, sealed: its last line is the seal over every number above it."""
    w = _body(ret)
    footer = ""
    if ret.draft:  # never issued, so never sealed
        w.put(w.row, 1, f"{DRAFT}: not signed off, not issued and not sealed.", font=SEAL_FONT)
    else:
        record = return_record(ret, w.numbers())
        w.put(w.row, 1, SEAL_LABEL + seal_of(record), font=SEAL_FONT)
        if ret.issued_on is not None:
            footer = footer_seal(record)
    w.row += 1
    w.fit()
    first, last = 2, w.row - 1  # row 1, the marking, prints in every page's header instead
    room = pagination.page_room(
        pagination.fit_scale(WIDTHS.values(), SIDE_MARGIN, landscape=False),
        TOP_MARGIN,
        landscape=False,
    )
    return SheetPicture(
        ret.sheet_name,
        w.grid(),
        w.styles,
        w.merges,
        dict(WIDTHS),
        w.heights,
        Page(
            landscape=False,
            marking=_marking(ret),
            contract_id=ret.contract_id,
            area=f"A{first}:F{last}",
            row_breaks=tuple(pagination.page_breaks(w.heights, first, last, room, w.keep)),
            seal=footer,
        ),
        protected=True,
    )


DRAFT = "DRAFT"


def _marking(ret: MonthlyReturn) -> str:
    """The marking heading the sheet and every printed page; a draft says so there too."""
    return f"{DRAFT} (not issued) · {ret.marking}" if ret.draft else ret.marking


def sealed_record(ret: MonthlyReturn) -> dict[str, object]:
    """The record and seal of `ret` as its Return sheet states them."""
    record = return_record(ret, _body(ret).numbers())
    return {**record, "seal": seal_of(record)}


def _body(ret: MonthlyReturn) -> Writer:
    """Everything above the seal line."""
    w = Writer()
    # On screen the marking heads the sheet; printed, every page's header carries it, so row 1
    # is left out of the print area (the marking once per page).
    w.put(1, 1, _marking(ret), font=MARKING_FONT)
    version = "" if ret.version == 1 else f" — version {ret.version} (corrected)"
    kind = (
        "Interim return"
        if ret.is_interim
        else ("Final return" if ret.is_final else "Monthly return")
    )
    draft = f"{DRAFT} " if ret.draft else ""
    w.put(2, 1, f"{draft}{kind} — {ret.period}{version}", font=TITLE_FONT)
    w.row = 3
    w.pair("Contract", ret.contract_id)
    w.pair("Reference", ret.reference)
    w.pair("Supplier", ret.supplier)
    w.pair("Authority", ret.authority)
    w.pair("Period", ret.period)
    w.pair("Date prepared", ret.prepared, palette.DATE)
    w.pair("Version", ret.version)
    if ret.term is not None:
        day = ret.as_of_day
        w.pair(
            "Term",
            f"Ends {fmt.day(ret.term.end)} (the end in force at {fmt.day(day)}). "
            + break_words(ret.term, day),
        )
    if ret.is_final:
        w.pair("Status", f"FINAL RETURN: the contract ends on {fmt.day(ret.delivery.contract_end)}")
    if ret.is_interim:
        w.pair("Status", "INTERIM RETURN: the month so far; not an invoice")
    elif ret.is_nil:
        w.pair("Status", "NIL RETURN: no call-off days delivered this month")
    if ret.next_report_due:
        w.gap()
        w.paragraph(_next_report(ret), bold=True)
    if ret.not_recorded:
        w.gap()
        w.paragraph(
            f"Not recorded for {ret.period}: " + "; ".join(ret.not_recorded) + ". "
            "Issued on confirmation that these were not available.",
            bold=True,
        )
        w.style(w.row - 1, 1, font=MARKING_FONT)

    _summary(w, ret)
    _delivery(w, ret)
    _invoice(w, ret)
    w.section("Progress against Annex A")
    _annex_a(w, ret)
    _plans(w, ret)
    if ret.shows_timeliness:
        _timeliness(w, ret)
    _meetings(w, ret)
    _risks(w, ret)
    _vcu(w, ret)
    _next_month(w, ret)
    if ret.closeout is not None:
        _closeout(w, ret.closeout)
    closing = w.row
    _signoff(w, ret)

    w.gap()
    w.keep.update(range(closing, w.row + 2))  # the sign-off, the lock and the seal print together
    if ret.draft:
        w.paragraph(
            f"{DRAFT}: this return is not signed off and not issued; {ret.period} is not "
            f"locked. Days delivered this month: {fmt.days(ret.delivery.days)}.",
            italic=True,
        )
        return w
    w.paragraph(
        f"Issuing this return locks {ret.period}: {ret.entry_count} tracker row(s), "
        f"fingerprint {ret.entries_fingerprint[:23]}… recorded on the Audit sheet. "
        f"Days delivered this month: {fmt.days(ret.delivery.days)}.",
        italic=True,
    )
    return w


def _annex_a(w: Writer, ret: MonthlyReturn) -> None:
    """Each area, each outcome in the order form's words, each measure's rating and evidence."""
    rated = sum(bool(p.rating) for p in ret.progress)
    evidenced = sum(p.evidenced for p in ret.progress)
    w.paragraph(
        f"{rated} of {len(ret.progress)} success measures are rated for {ret.period}, "
        f"{evidenced} of them with evidence recorded for the month. Each outcome and area "
        "takes the worst rating of the success measures under it.",
        italic=True,
    )
    for rating, meaning in ret.rag_key.items():
        w.pair(rating, meaning)
        w.fill(w.row - 1, 1, RAG_FILL[rating])
    for area in ret.annex_a:
        w.gap()
        w.paragraph(
            f"{area.area}: overall {area.rating or 'not rated'} "
            f"({area.rated} of {area.measures} success measures rated)",
            bold=True,
        )
        if area.rating:
            w.fill(w.row - 1, 1, RAG_FILL[area.rating])
        for outcome in area.outcomes:
            w.gap()
            w.paragraph(
                f"{outcome.outcome} ({outcome.kind}): {outcome.rating or 'not rated'} "
                f"({outcome.rated} of {len(outcome.measures)} rated)",
                bold=True,
            )
            for paragraph in outcome.wording:
                w.paragraph(paragraph, italic=True)
            w.header("Success measure", "", "", "Rating", "Change", "Evidence; next steps")
            said = {_evidence(p) for p in outcome.measures}
            if len(outcome.measures) > 1 and len(said) == 1 and "" not in said:
                # One evidence for every measure: said once, for the outcome.
                w.paragraph(f"Evidence for all {len(outcome.measures)}: {said.pop()}")
                w.lead_in()
                for p in outcome.measures:
                    w.measure(p, SAME_EVIDENCE)
            else:
                for p in outcome.measures:
                    w.measure(p)


def money(value: Decimal) -> float:
    """Cells hold numbers (pounds, exact to the penny in binary for these magnitudes)."""
    return float(value)


def _date(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "no date"


def _days(value: Decimal | None) -> str:
    return "not planned" if value is None else fmt.days(value)


def _summary(w: Writer, ret: MonthlyReturn) -> None:
    w.section("Summary by area")
    w.header(
        "Area",
        "This month",
        "To date",
        "Allocated",
        "Over?",
        "Recommendation to VCU",
        numeric=(2, 3, 4),
    )
    for a in ret.summaries:
        w.values(
            a.area,
            fmt.days(a.days_month),
            fmt.days(a.days_to_date),
            fmt.days(a.allocated) if a.allocated else "none set",
            f"OVER by {(a.days_to_date - a.allocated).normalize():f}"
            if a.over_allocation
            else "no",
            a.recommendation,
            wrap_last=True,
        )
        if a.over_allocation:
            for c in (3, 5):
                w.fill(w.row - 1, c, palette.RED)
    over = [a for a in ret.summaries if a.over_allocation]
    for a in over:
        w.paragraph(
            f"{a.area} has used {fmt.days(a.days_to_date)} of the {fmt.days(a.allocated)} "
            "allocated to it: agree more days with the Department or move days from another "
            "area.",
            bold=True,
        )
    for a in ret.summaries:
        w.gap()
        w.paragraph(f"{a.area}: {a.judgement or 'no summary judgement recorded'}", bold=True)
        if a.narrative:
            w.paragraph(a.narrative)
        for said in ret.contradictions:
            if said.area == a.area and said.acknowledged:
                w.paragraph(f"Acknowledged: {said.what}. {said.acknowledged}", italic=True)
        if a.dbv or a.dbv_days:
            liaison = a.dbv or "Liaison recorded on the Tracker."
            days = f" ({fmt.days(a.dbv_days)} this month)" if a.dbv_days else ""
            w.paragraph(f"DBV / Safety Valve liaison{days}: {liaison}")


def _delivery(w: Writer, ret: MonthlyReturn) -> None:
    d = ret.delivery
    w.section("Delivery")
    w.header("Area", "Days", "Net", "", "", "", numeric=(2, 3))
    for line in d.by_area:
        w.values(
            line.name, money(line.days), money(line.net), formats={2: palette.DAYS, 3: palette.GBP}
        )
    w.values(
        "Total this month", money(d.days), money(d.net), formats={2: palette.DAYS, 3: palette.GBP}
    )
    w.style(w.row - 1, 1, font=BOLD)
    if d.by_advisor:
        w.gap()
        w.header("Advisor", "Days", "Net", "", "", "", numeric=(2, 3))
        for line in d.by_advisor:
            w.values(
                line.name,
                money(line.days),
                money(line.net),
                formats={2: palette.DAYS, 3: palette.GBP},
            )
    w.gap()
    w.pair("Days to date", float(d.cumulative_days), palette.DAYS)
    w.pair("Spend to date (net)", money(d.cumulative_net), palette.GBP)
    w.pair("Spend to date incl. VAT", money(d.cumulative_gross), palette.GBP)
    w.pair("Cap (net)", money(d.cap), palette.GBP)
    w.pair("Cap used", float(d.cap_used), palette.PCT)
    w.pair("Headroom to the cap", money(d.headroom), palette.GBP_NEG)
    w.pair("Alert", d.alert)
    if d.invoiced is not None:  # the register, as at the month
        w.pair("Invoiced to date (net)", money(d.invoiced.InvoicedToDate), palette.GBP)
        w.pair(
            "Delivered, not yet invoiced", money(d.invoiced.DeliveredNotInvoiced), palette.GBP_NEG
        )
    if d.break_date and d.forecast_break is not None:  # only while the break is ahead
        w.pair(f"Forecast to {d.break_date:%d/%m/%Y}", money(d.forecast_break), palette.GBP)
    if not ret.is_final:  # the final return's figures to date are the contract's
        w.pair(f"Forecast to {d.contract_end:%d/%m/%Y}", money(d.forecast_end), palette.GBP)


def _next_report(ret: MonthlyReturn) -> str:
    areas = ", ".join(v.area for v in ret.vcu if v.recommendation == "Not sufficient")
    return (
        f"Progress is not sufficient in {areas}: the next report, an interim return, is due "
        f"by {_date(ret.next_report_due)}."
    )


def _invoice(w: Writer, ret: MonthlyReturn) -> None:
    w.section("Invoice narrative")
    if ret.is_interim:
        w.paragraph(
            "Interim return: no invoice. The month's invoice goes with its monthly return.",
            italic=True,
        )
        return
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
        so = ret.signoff
        refs = (
            f"Invoice number {so.invoice or 'not recorded'}; purchase order number "
            f"{so.purchase_order or 'not recorded'}."
            if so
            else "Invoice and purchase order numbers not recorded (Report sheet, Sign-off)."
        )
        w.paragraph(f"Invoice for {ret.period}: {invoice_line(ret)}. {refs}", bold=True)
        if ret.day_rate_placeholder:
            w.paragraph(
                f"The day rate of {fmt.money(ret.day_rate)} is a PLACEHOLDER in the terms "
                "file: confirm it against the order form before this invoice is paid.",
                italic=True,
            )


def _bullet(w: Writer, text: str) -> None:
    w.paragraph(f"• {text}")


def _plan_line(p: PlanLine) -> str:
    done = f"; completed {_date(p.completed)}" if p.completed else ""
    trajectory = f" Trajectory: {p.evidence}" if p.evidence else ""
    return f"{p.area} — {p.plan}: {p.action} (due {_date(p.due)}{done}).{trajectory}"


def _plans(w: Writer, ret: MonthlyReturn) -> None:
    w.section("Progress against the improvement plans")
    plans = ret.plans
    if plans is None or plans.is_empty:
        w.paragraph("No improvement-plan actions recorded (Plans sheet).", italic=True)
        return
    pct = f" ({fmt.share(plans.done_by_month_end, plans.total)})" if plans.total else ""
    w.paragraph(
        f"By {_date(plans.as_at)}, {plans.done_by_month_end} of {plans.total} actions and "
        f"milestones due had been completed{pct}.",
        italic=True,
    )
    for title, lines in (
        ("Due this month", plans.due),
        ("Completed this month", plans.completed),
        ("Slipped: due by the month's end and not completed", plans.slipped),
    ):
        w.paragraph(f"{title}: {len(lines)}", bold=True)
        for p in lines:
            _bullet(w, _plan_line(p))


def _timeliness(w: Writer, ret: MonthlyReturn) -> None:
    w.section("EHCP timeliness")
    w.paragraph(
        "The area's own monthly figure (new EHC plans issued within 20 weeks) against "
        "its trajectory. The published SEN2 figure below is a different, annual measure "
        "(excluding exceptions): the two are never compared or combined.",
        italic=True,
    )
    w.header(
        "Area",
        "Plans issued",
        "In 20 weeks",
        "% (local)",
        "Trajectory",
        "Against it",
        numeric=(2, 3, 4, 5),
    )
    for t in ret.timeliness:
        w.values(
            t.area,
            t.issued if t.issued is not None else "—",
            t.within_20_weeks if t.within_20_weeks is not None else "—",
            float(t.pct) if t.pct is not None else "—",
            float(t.trajectory) if t.trajectory is not None else "—",
            t.versus_trajectory,
            formats={4: palette.PCT, 5: palette.PCT},
        )
    w.gap()
    w.header("Area", "SEN2 year", "SEN2 %", "Published", "", "", numeric=(2, 3))
    for t in ret.timeliness:
        w.values(
            t.area,
            t.sen2_year or "—",
            float(t.sen2_pct) if t.sen2_pct is not None else "—",
            _date(t.sen2_published) if t.sen2_published else "none yet",
            formats={3: palette.PCT},
        )
    w.paragraph(
        f"SEN2: the latest figure DfE had published by the end of {ret.period}.", italic=True
    )


def _meetings(w: Writer, ret: MonthlyReturn) -> None:
    w.section("Meetings attended and representation")
    if not ret.meetings:
        w.paragraph(f"No meetings recorded on the Tracker for {ret.period}.", italic=True)
    for m in ret.meetings:
        role = f", {m.role}" if m.role else ""
        _bullet(
            w, f"{_date(m.date)} — {m.area} — {m.activity}: {m.advisor}{role}, {fmt.days(m.days)}."
        )


def _risks(w: Writer, ret: MonthlyReturn) -> None:
    w.section("Risks, escalations and asks of the Department")
    if not ret.risks:
        w.paragraph(
            "No open risk at or above the reporting threshold, and none flagged for VCU.",
            italic=True,
        )
    else:
        w.header(
            "Risk", "Area", "Score", "To VCU?", "Status", "Risk; mitigation; owner", numeric=(3,)
        )
        for r in ret.risks:
            reviewed = f" Last reviewed {_date(r.reviewed)}." if r.reviewed else ""
            w.values(
                r.id,
                r.area,
                r.score if r.score is not None else "—",
                "Yes" if r.escalate else "No",
                r.status,
                f"{r.description} Mitigation: {r.mitigation} Owner: {r.owner}.{reviewed}",
                wrap_last=True,
            )
    for prompt in ret.risk_prompts:
        w.paragraph(f"Review due: {prompt}.", bold=True)
    w.gap()
    if not ret.asks:
        w.paragraph("No escalation or ask of the Department open this month.", italic=True)
    for a in ret.asks:
        state = a.status + (f" {_date(a.resolved)}" if a.resolved else "")
        _bullet(
            w,
            f"Raised {_date(a.raised)} — {a.area} — owner: {a.owner or 'no owner recorded'} — "
            f"{state}: {a.text}",
        )


def _vcu(w: Writer, ret: MonthlyReturn) -> None:
    w.section("Recommendation to VCU")
    w.header("Area", "Recommendation", "", "", "", "Reason")
    for v in ret.vcu:
        w.values(v.area, v.recommendation, "", "", "", v.reason, wrap_last=True)
        if v.recommendation in RECOMMENDATION_FILL:
            w.fill(w.row - 1, 2, RECOMMENDATION_FILL[v.recommendation])
    if ret.next_report_due:
        w.paragraph(_next_report(ret), bold=True)


def _next_month(w: Writer, ret: MonthlyReturn) -> None:
    nm = ret.next_month
    if nm is None:
        return
    w.section(f"Next month's plan: {nm.month:%B %Y}")
    planned = [d for _, d in nm.days_by_area if d is not None]
    total = f" (total {fmt.days(sum(planned, Decimal(0)))})" if planned else ""
    w.paragraph(
        "Days planned: " + "; ".join(f"{a} {_days(d)}" for a, d in nm.days_by_area) + total + "."
    )
    if not nm.dates:
        w.paragraph("No key dates recorded (Report sheet, key dates).", italic=True)
    for k in nm.dates:
        days = f", {fmt.days(k.days)}" if k.days is not None else ""
        what = f": {k.activity.rstrip('.')}" if k.activity else ""
        _bullet(w, f"{_date(k.date)} — {k.area} — {k.event or 'event'}{what}{days}")


def _signoff(w: Writer, ret: MonthlyReturn) -> None:
    w.section("Sign-off")
    so = ret.signoff
    if so is None:
        w.paragraph(
            "Not yet signed off: record who prepared and approved it (by role) on the "
            "Report sheet.",
            italic=True,
        )
        return
    w.pair("Prepared by (role)", so.prepared_by or "not recorded")
    w.pair("Prepared on", _date(so.prepared_on))
    w.pair("Approved by (role)", so.approved_by or "not recorded")
    w.pair("Approved on", _date(so.approved_on))
    w.pair("Invoice number", so.invoice or "not recorded")
    w.pair("Purchase order number", so.purchase_order or "not recorded")


def _closeout(w: Writer, c: CloseOut) -> None:
    """The final return's close-out: the whole contract against what was agreed."""
    w.section("Close-out: the contract as a whole")
    w.paragraph(
        f"From {_date(c.start)} to {_date(c.end)}: {fmt.days(c.days)} delivered, "
        f"{fmt.money(c.net)} net ({fmt.money(c.gross)} including VAT) against the cap of "
        f"{fmt.money(c.cap)} ({fmt.share(c.net, c.cap)} used)."
    )
    w.header("Area", "Delivered", "Allocated", "Difference", "", "", numeric=(2, 3, 4))
    for area, days, allocated in c.by_area:
        diff = days - allocated
        w.values(
            area,
            fmt.days(days),
            fmt.days(allocated) if allocated else "none set",
            (f"+{diff.normalize():f}" if diff > 0 else f"{diff.normalize():f}")
            if allocated
            else "—",
        )
        for col in (2, 3, 4):
            w.style(w.row - 1, col, align=Align(horizontal="right", vertical="top"))
    w.gap()
    w.paragraph(
        f"Outcomes reached (Green in the final month): {len(c.outcomes_reached)}", bold=True
    )
    for line in c.outcomes_reached:
        _bullet(w, line)
    w.paragraph(f"Outcomes not reached: {len(c.outcomes_not_reached)}", bold=True)
    for line in c.outcomes_not_reached:
        _bullet(w, line)
    w.paragraph(f"Risks closed: {len(c.risks_closed)}", bold=True)
    for line in c.risks_closed:
        _bullet(w, line)
    if c.risks_open:
        w.paragraph(f"Risks still open at the end: {len(c.risks_open)}", bold=True)
        for line in c.risks_open:
            _bullet(w, line)
    w.gap()
    w.paragraph(f"Confidential information: {c.confidentiality}", bold=True)
