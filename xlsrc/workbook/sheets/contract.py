"""Contract sheet: the terms, as named input cells and reference tables.

Scalar terms (dates, money, extension) are unlocked input cells with defined names that every
formula uses. The structural lists (areas, advisors, activities, outcomes) shape other sheets,
so they are shown locked here and changed in the terms file followed by a rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from xlsrc.terms.decisions import DayRateFrom
from xlsrc.terms.models import Terms
from xlsrc.workbook import layout, styles
from xlsrc.workbook.cells import put
from xlsrc.workbook.names import define
from xlsrc.workbook.sheets import decisions


@dataclass(frozen=True)
class Field:
    name: str  # defined name
    path: tuple[str, str]  # where it lives in Terms (section, attribute)
    label: str
    fmt: str | None = None
    note: str = ""


SCALARS: tuple[Field, ...] = (
    Field("ContractId", ("contract", "id"), "Contract number (Jaggaer)"),
    Field("ContractReference", ("contract", "reference"), "Reference"),
    Field("ContractTitle", ("contract", "title"), "Title"),
    Field("ContractForm", ("contract", "form"), "Form"),
    Field("Authority", ("contract", "authority"), "Authority"),
    Field("ServiceAddress", ("contract", "service_address"), "Service address"),
    Field("Supplier", ("contract", "supplier"), "Supplier"),
    Field("InvoiceAddress", ("contract", "invoice_address"), "Invoice address"),
    Field(
        "ProtectiveMarking",
        ("contract", "protective_marking"),
        "Protective marking",
        note="Printed at the top of every page.",
    ),
    Field("OrderDate", ("dates", "order"), "Order date", styles.DATE),
    Field("StartDate", ("dates", "start"), "Service commencement", styles.DATE),
    Field("EndDate", ("dates", "end"), "Completion date (before any extension)", styles.DATE),
    Field("BreakDate", ("dates", "break_"), "Break date (Department may terminate)", styles.DATE),
    Field(
        "ExtensionMaxMonths",
        ("extension", "max_months"),
        "Extension allowed (months, max)",
        styles.INT,
    ),
    Field(
        "ExtensionNoticeMonths",
        ("extension", "notice_months"),
        "Notice of extension (months)",
        styles.INT,
    ),
    Field("Cap", ("money", "cap"), "Maximum contract value (excl. VAT)", styles.GBP),
    Field("VATRate", ("money", "vat_rate"), "VAT rate", styles.PCT),
    Field(
        "VATRounding",
        ("money", "vat_rounding"),
        "VAT rounding rule",
        note="per-invoice-half-up: VAT on each month's net, to the penny, halves up.",
    ),
    Field(
        "DayRate",
        ("money", "day_rate"),
        "Day rate from the start (excl. VAT)",
        styles.GBP,
        "Later rates: the Rates table below, each with a decision.",
    ),
    Field(
        "RiskThreshold",
        ("reporting", "risk_score_threshold"),
        "Risk score shown in returns (1-25)",
        styles.INT,
        "Risks at or above this score, or flagged for VCU, go in the monthly return.",
    ),
    Field(
        "NamesMayBeShown",
        ("confidentiality", "names_may_be_shown"),
        "Returns may name people?",
        note="No unless agreed: names are confidential.",
    ),
    Field(
        "DayRateIsPlaceholder",
        ("money", "day_rate_is_placeholder"),
        "Day rate still a placeholder?",
        note="Set No once the agreed rate is entered.",
    ),
    Field(
        "DaysArePlaceholder",
        ("allocation", "days_are_placeholder"),
        "Days allocated still placeholders?",
        note="Set No once agreed per area.",
    ),
)
YES_NO_FIELDS = (
    "NamesMayBeShown",
    "DayRateIsPlaceholder",
    "DaysArePlaceholder",
)

PLACEHOLDER_NOTE = "PLACEHOLDER: not stated in the order form. Set it from the agreed pricing."


def cell_value(terms: Terms, field: Field) -> object:
    section, attr = field.path
    value = getattr(getattr(terms, section), attr)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


def build(wb: Workbook, terms: Terms) -> None:
    ws = wb.create_sheet(layout.CONTRACT)
    styles.title(
        ws,
        f"Contract terms — {terms.contract.id}",
        "Inputs. Yellow cells may be edited; every other sheet reads them by name.",
    )
    styles.header_row(ws, 3, ["Term", "Value", "Notes"])
    row = 4
    yes_no = DataValidation(type="list", formula1="YesNoList", allow_blank=False)
    positive = DataValidation(type="decimal", operator="greaterThan", formula1="0")
    positive.error = "Must be a positive amount."
    for dv in (yes_no, positive):
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
    for field in SCALARS:
        ws.cell(row, 1, field.label).alignment = styles.TOP
        cell = put(ws, row, 2, cell_value(terms, field))
        styles.input_cell(cell, field.fmt)
        cell.alignment = styles.WRAP
        note = field.note
        if field.name == "DayRate" and terms.money.day_rate_is_placeholder:
            note = PLACEHOLDER_NOTE
        put(ws, row, 3, note).alignment = styles.WRAP
        define(wb, field.name, layout.CONTRACT, f"B{row}")
        if field.name in YES_NO_FIELDS:
            yes_no.add(f"B{row}")
        elif field.name in ("Cap", "DayRate"):
            positive.add(f"B{row}")
        row += 1

    # Alert bands: a small named vertical range.
    row += 1
    ws.cell(row, 1, "Budget alert bands (fraction of cap)").font = styles.BOLD
    row += 1
    first = row
    for band in terms.alerts.cap_bands:
        ws.cell(row, 1, f"Band {row - first + 1}")
        styles.input_cell(ws.cell(row, 2, band), "0%")
        row += 1
    define(wb, "CapBands", layout.CONTRACT, f"B{first}:B{row - 1}")
    for i in range(len(terms.alerts.cap_bands)):
        define(wb, f"CapBand{i + 1}", layout.CONTRACT, f"B{first + i}")

    row = decisions.build(wb, ws, terms, row + 1)
    ws.cell(
        row,
        1,
        "Areas, advisors, activities and Annex A outcomes shape the other sheets: "
        "change them in the terms file and rebuild (calloff build).",
    ).font = styles.SUBTITLE
    row += 2
    allocated = _areas_note(terms)
    row = _table(
        ws,
        row,
        layout.AREAS_TABLE,
        ["Code", "Name", "Short name", "Days allocated"],
        [[a.code, a.name, a.short, a.days_allocated] for a in terms.areas],
        unlocked_cols={4},
        note=allocated,
    )
    row = _table(
        ws,
        row,
        layout.ADVISORS_TABLE,
        ["Advisor ID", "Role"],
        [[a.id, a.role] for a in terms.advisors],
        note="IDs and roles only: names and contact details are confidential.",
    )
    row = _table(ws, row, layout.ACTIVITIES_TABLE, ["Activity"], [[a] for a in terms.activities])
    row = _table(
        ws,
        row,
        layout.MEASURES_TABLE,
        ["Measure", "Success measure"],
        [[m.id, m.text] for m in terms.measures],
    )
    variants = [
        [name, mid, text]
        for name, texts in terms.measure_variants.items()
        for mid, text in texts.items()
    ]
    if variants:
        row = _table(ws, row, layout.VARIANTS_TABLE, ["Variant", "Measure", "Wording"], variants)
    row = _table(
        ws,
        row,
        layout.OUTCOMES_TABLE,
        ["Outcome", "Areas", "Kind", "Outcome text", "Measures", "Variant"],
        [
            [
                o.id,
                ", ".join(o.areas),
                o.kind,
                o.text,
                ", ".join(o.measures),
                o.measure_variant or "",
            ]
            for o in terms.outcomes
        ],
    )
    styles.widths(ws, {"A": 34, "B": 44, "C": 40, "D": 50, "E": 20, "F": 8})
    for r in range(4, ws.max_row + 1):
        styles.fit_height(ws, r)
    ws.freeze_panes = "A4"
    styles.protect(ws)
    styles.print_setup(
        ws,
        landscape=True,
        title_rows=None,
        marking=terms.contract.protective_marking,
        contract_id=terms.contract.id,
    )


def _areas_note(terms: Terms) -> str:
    if terms.allocation.days_are_placeholder:
        return "Days allocated: PLACEHOLDER, not stated in the order form."
    return ""


def _table(
    ws,
    row: int,
    name: str,
    headers: list[str],
    rows: list[list[object]],
    unlocked_cols: set[int] = frozenset(),
    note: str = "",
) -> int:
    """Write a titled Excel Table at `row`; return the next free row."""
    ws.cell(row, 1, name).font = styles.BOLD
    if note:
        ws.cell(row, 2, note).font = styles.SUBTITLE
    top = row + 1
    styles.header_row(ws, top, headers)
    for r, values in enumerate(rows, start=top + 1):
        for c, value in enumerate(values, start=1):
            cell = put(ws, r, c, value)
            cell.alignment = styles.WRAP
            if c in unlocked_cols:
                styles.input_cell(cell, styles.DAYS)
    last_col = chr(ord("A") + len(headers) - 1)
    table = Table(displayName=name, ref=f"A{top}:{last_col}{top + len(rows)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    return top + len(rows) + 2


def snapshot(terms: Terms) -> dict[str, str]:
    """Each named term of the Contract sheet as text (numbers normalised), for comparison."""
    out = {}
    for field in SCALARS:
        value = cell_value(terms, field)
        if isinstance(value, Decimal):
            value = format(value.normalize(), "f")
        out[field.name] = "" if value is None else str(value)
    out[RATES_KEY] = rates_text(terms)
    return out


RATES_KEY = "Rates"


def rates_text(terms: Terms) -> str:
    """The rate card after the starting rate, as text: "2024-04-01 700.00; ..."."""
    return "; ".join(rates_text_line(line) for line in terms.day_rates)


def rates_text_line(line: DayRateFrom) -> str:
    return f"{line.from_.isoformat()} {format(line.rate.normalize(), 'f')}"
