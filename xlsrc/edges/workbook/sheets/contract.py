"""Contract sheet: the terms, as named input cells and reference tables.

Scalar terms (dates, money, extension) are unlocked input cells with defined names that every
formula uses. The structural lists (areas, advisors, activities, outcomes) shape other sheets,
so they are shown locked here and changed in the terms file followed by a rebuild.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.names import define
from xlsrc.edges.workbook.sheets import decisions
from xlsrc.model import layout
from xlsrc.model.terms.authority import POWER_LABELS
from xlsrc.model.terms.models import Terms

_NUMBER_FORMATS = {
    "date": styles.DATE,
    "int": styles.INT,
    "days": styles.DAYS,
    "money": styles.GBP,
    "percent": styles.PCT,
}
PLACEHOLDER_NOTE = "PLACEHOLDER: not stated in the order form. Set it from the agreed pricing."


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
    for field in layout.CONTRACT_TERMS:
        put(ws, row, 1, field.label).alignment = styles.TOP
        cell = put(ws, row, 2, layout.contract_cell_value(terms, field))
        styles.input_cell(cell, _NUMBER_FORMATS.get(field.kind or ""))
        cell.alignment = styles.WRAP
        note = field.note
        if field.name == "DayRate" and terms.money.day_rate_is_placeholder:
            note = PLACEHOLDER_NOTE
        put(ws, row, 3, note).alignment = styles.WRAP
        define(wb, field.name, layout.CONTRACT, f"B{row}")
        if field.name in layout.YES_NO_TERMS:
            yes_no.add(f"B{row}")
        elif field.name in ("Cap", "DayRate"):
            positive.add(f"B{row}")
        row += 1

    # Alert bands: a small named vertical range.
    row += 1
    put(ws, row, 1, "Budget alert bands (fraction of cap)").font = styles.BOLD
    row += 1
    first = row
    for band in terms.alerts.cap_bands:
        put(ws, row, 1, f"Band {row - first + 1}")
        styles.input_cell(put(ws, row, 2, band), "0%")
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
    row = _table(
        ws,
        row,
        layout.WORDING_TABLE,
        ["Outcome", "Paragraph (order form, Annex A)"],
        [[o.id, paragraph] for o in terms.outcomes for paragraph in o.wording],
        note="Each outcome as the order form states it, one row per paragraph.",
    )
    row = _table(
        ws,
        row,
        layout.RAG_TABLE,
        ["Rating", "Meaning"],
        [[r.rating, r.meaning] for r in terms.rag],
        note="What an Annex A rating means; a roll-up takes the worst rating below it.",
    )
    row = _table(
        ws,
        row,
        layout.POWERS_TABLE,
        list(layout.POWER_HEADERS),
        [[POWER_LABELS[p], "; ".join(roles)] for p, roles in terms.powers.items()],
        note="Who may do what, from the order form: the Department decides, the supplier "
        "reports, the Department accepts. Changed in the terms file and a rebuild.",
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
    ws: Any,
    row: int,
    name: str,
    headers: list[str],
    rows: Sequence[Sequence[object]],
    unlocked_cols: AbstractSet[int] = frozenset(),
    note: str = "",
) -> int:
    """Write a titled Excel Table at `row`; return the next free row."""
    put(ws, row, 1, name).font = styles.BOLD
    if note:
        put(ws, row, 2, note).font = styles.SUBTITLE
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
