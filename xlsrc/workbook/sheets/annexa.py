"""AnnexA sheet: outcomes x success measures x areas, with a RAG rating for every month.

One row per (area, outcome, success measure). Rating columns run from the start month to the
latest possible end (after the maximum extension); months beyond the current end are shaded.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from xlsrc import layout
from xlsrc.dates import months_in_range
from xlsrc.terms.models import Terms
from xlsrc.workbook import styles
from xlsrc.workbook.cells import put

FIXED_WIDTHS = (13, 9, 13, 40, 8, 46, 36, 30)


def matrix_rows(terms: Terms) -> list[tuple[str, str, str, str, str, str]]:
    """(area short, outcome id, kind, outcome text, measure id, measure text) in sheet order."""
    rows = []
    for area in terms.areas:
        for outcome in terms.outcomes_for(area.code):
            for mid in outcome.measures:
                rows.append(
                    (
                        area.short,
                        outcome.id,
                        outcome.kind,
                        outcome.text,
                        mid,
                        terms.measure_text(outcome, mid),
                    )
                )
    return rows


def build(wb: Workbook, terms: Terms) -> None:
    ws = wb.create_sheet(layout.ANNEXA)
    styles.title(
        ws,
        f"Annex A progress — {terms.contract.id}",
        "Rate each success measure every month (Red / Amber / Green) and keep the evidence and "
        "agreed next steps current. Shaded months fall after the current end date.",
    )
    months = months_in_range(terms.dates.start, terms.latest_possible_end)
    headers = [*layout.ANNEXA_FIXED, *(layout.month_header(m) for m in months)]
    styles.header_row(ws, layout.HEADER_ROW, headers)
    n_fixed = len(layout.ANNEXA_FIXED)
    for i, month in enumerate(months):
        if month > terms.contract_end:
            ws.cell(layout.HEADER_ROW, n_fixed + 1 + i).fill = styles.MUTED_FILL
            ws.cell(layout.HEADER_ROW, n_fixed + 1 + i).font = styles.BOLD

    rows = matrix_rows(terms)
    first = layout.FIRST_DATA_ROW
    last = first + len(rows) - 1
    for r, values in enumerate(rows, start=first):
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value).alignment = styles.WRAP
        for c in range(n_fixed - 1, len(headers) + 1):  # evidence, next steps, ratings
            styles.input_cell(ws.cell(r, c))
            ws.cell(r, c).alignment = styles.WRAP
        ws.row_dimensions[r].height = 45

    first_month_col = get_column_letter(n_fixed + 1)
    last_col = get_column_letter(len(headers))
    ratings = f"{first_month_col}{first}:{last_col}{last}"
    rag = DataValidation(type="list", formula1="RAGList", allow_blank=True)
    rag.error, rag.errorTitle = "Pick Red, Amber or Green.", "Rating"
    rag.showErrorMessage = True
    rag.add(ratings)
    ws.add_data_validation(rag)
    for word, fill in (
        ("Red", styles.RED_MARK),
        ("Amber", styles.AMBER_MARK),
        ("Green", styles.GREEN_MARK),
    ):
        ws.conditional_formatting.add(
            ratings, CellIsRule(operator="equal", formula=[f'"{word}"'], fill=fill)
        )

    table = Table(displayName=layout.ANNEXA_TABLE, ref=f"A{layout.HEADER_ROW}:{last_col}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    ws.add_table(table)
    for i, width in enumerate(FIXED_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for i in range(len(months)):
        ws.column_dimensions[get_column_letter(n_fixed + 1 + i)].width = 9
    ws.freeze_panes = ws.cell(layout.FIRST_DATA_ROW, 3).coordinate
    styles.protect(ws)
    styles.print_setup(
        ws,
        landscape=True,
        title_rows=f"{layout.HEADER_ROW}:{layout.HEADER_ROW}",
        title_cols="A:B",
        fit_width=0,
        marking=terms.contract.protective_marking,
        contract_id=terms.contract.id,
    )
    ws.page_setup.scale = 70
    ws.sheet_properties.pageSetUpPr.fitToPage = False
