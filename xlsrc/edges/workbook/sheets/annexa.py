"""AnnexA sheet: outcomes x success measures x areas, with a RAG rating for every month.

One row per (area, outcome, success measure), each outcome in the order form's own words (in
full on its first row). Rating columns run from the start month to the latest possible end
(after the maximum extension); months beyond the current end are shaded. Row 3 says what each
colour means; below the table a roll-up gives each outcome and area the worst rating of the
measures under it, by formula (`xlsrc.core.returns.rollup` is its Python twin).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import formula as put_formula
from xlsrc.edges.workbook.cells import put
from xlsrc.model import layout
from xlsrc.model.dates import months_in_range
from xlsrc.model.terms.models import RATINGS, Terms

FIXED_WIDTHS = (13, 11, 14, 60, 11, 46)
AS_ABOVE = "(as above) "
RAG_FILLS = {"Red": styles.RED_FILL, "Amber": styles.AMBER_FILL, "Green": styles.GREEN_FILL}
RAG_MARKS = {"Red": styles.RED_MARK, "Amber": styles.AMBER_MARK, "Green": styles.GREEN_MARK}
ROLLUP_TITLE = "Roll-up: each outcome and area takes the worst rating of its success measures"


def matrix_rows(terms: Terms) -> list[tuple[str, str, str, str, str, str]]:
    """(area short, outcome id, kind, outcome text, measure id, measure text) in sheet order."""
    rows = []
    for area in terms.areas:
        for outcome in terms.outcomes_for(area.code):
            for i, mid in enumerate(outcome.measures):
                rows.append(
                    (
                        area.short,
                        outcome.id,
                        outcome.kind,
                        outcome.full_wording if i == 0 else AS_ABOVE + outcome.text,
                        mid,
                        terms.measure_text(outcome, mid),
                    )
                )
    return rows


def rag_key(terms: Terms) -> str:
    return "  ".join(f"{r}: {m}" for r, m in terms.rag_meaning().items())


def build(wb: Workbook, terms: Terms) -> None:
    ws = wb.create_sheet(layout.ANNEXA)
    styles.title(
        ws,
        f"Annex A progress — {terms.contract.id}",
        "Rate each success measure every month (Red / Amber / Green); record the month's "
        "evidence and agreed next steps on the Evidence sheet. Shaded months fall after the "
        "current end date. The roll-up below the table gives each outcome and area the worst "
        "rating under it.",
    )
    for c, (rating, meaning) in zip((1, 4, 6), terms.rag_meaning().items(), strict=True):
        cell = put(ws, 3, c, f"{rating}: {meaning}")
        cell.alignment = styles.WRAP
        cell.fill = RAG_FILLS[rating]
    ws.merge_cells("A3:C3")
    ws.row_dimensions[3].height = 58
    ws["A2"].alignment = styles.WRAP  # the help text wraps within the fixed columns
    ws.merge_cells("A2:F2")
    ws.row_dimensions[2].height = 26
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
        for c in range(n_fixed + 1, len(headers) + 1):  # the monthly ratings
            styles.input_cell(ws.cell(r, c))
            ws.cell(r, c).alignment = styles.WRAP
    for i, width in enumerate(FIXED_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for r in range(first, last + 1):
        ws.row_dimensions[r].height = 45
        styles.fit_height(ws, r)

    first_month_col = get_column_letter(n_fixed + 1)
    last_col = get_column_letter(len(headers))
    ratings = f"{first_month_col}{first}:{last_col}{last}"
    rag = DataValidation(type="list", formula1="RAGList", allow_blank=True)
    rag.error, rag.errorTitle = "Pick Red, Amber or Green.", "Rating"
    rag.showErrorMessage = True
    rag.add(ratings)
    ws.add_data_validation(rag)
    rolled = _rollup(ws, terms, months, n_fixed, first, last)
    for word, fill in RAG_MARKS.items():
        for target in (ratings, rolled):
            ws.conditional_formatting.add(
                target, CellIsRule(operator="equal", formula=[f'"{word}"'], fill=fill)
            )

    table = Table(displayName=layout.ANNEXA_TABLE, ref=f"A{layout.HEADER_ROW}:{last_col}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    ws.add_table(table)
    for i in range(len(months)):
        ws.column_dimensions[get_column_letter(n_fixed + 1 + i)].width = 9
    ws.freeze_panes = ws.cell(layout.FIRST_DATA_ROW, 3).coordinate
    styles.protect(ws)
    styles.print_setup(
        ws,
        landscape=True,
        title_rows=f"{layout.HEADER_ROW}:{layout.HEADER_ROW}",
        title_cols=f"A:{key_columns_end()}",
        fit_width=0,
        marking=terms.contract.protective_marking,
        contract_id=terms.contract.id,
    )
    # 50%: area, outcome (with its wording) and measure on every page, 10 pages for the
    # CON_22889 sample; 60% takes 18, and repeating A:B only (no measure) 12.
    ws.page_setup.scale = 50
    ws.sheet_properties.pageSetUpPr.fitToPage = False


def key_columns_end() -> str:
    """The last column repeated on every printed page: up to the measure's ID, so each
    rating can be read against its area, outcome and measure."""
    fixed = layout.ANNEXA_FIXED
    return get_column_letter(fixed.index("Measure") + 1 if "Measure" in fixed else 2)


def _rollup(
    ws: Any, terms: Terms, months: list[dt.date], n_fixed: int, first: int, last: int
) -> str:
    """Formulas below the table: per outcome and per area, the worst rating in each month
    (Red over Amber over Green; blank when nothing is rated). Returns the range they fill."""
    assert n_fixed == 6  # the roll-up's header has one cell per fixed column
    top = last + 3
    put(ws, top, 1, ROLLUP_TITLE).font = styles.BOLD
    styles.header_row(
        ws,
        top + 1,
        ["Area", "Outcome", "Kind", "Outcome", "", "", *map(layout.month_header, months)],
    )
    area_col, outcome_col = f"$A${first}:$A${last}", f"$B${first}:$B${last}"
    row = top + 2
    for area in terms.areas:
        lines = [(o.id, o.kind, o.text) for o in terms.outcomes_for(area.code)]
        lines.append(("All", "area", f"{area.short}: every outcome"))
        for oid, kind, text in lines:
            for c, value in enumerate((area.short, oid, kind, text), start=1):
                put(ws, row, c, value).alignment = styles.WRAP
            # Wrapped within the columns printed on every page (up to the measure's ID).
            end = column_index_from_string(key_columns_end())
            ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=end)
            # EXACT, not COUNTIFS' criteria: a name is matched as it is, never read as a
            # pattern (* ? ~) or a comparison (=, <, >), and in its own case (as Python does).
            match = f'EXACT({area_col},"{_quoted(area.short)}")' + (
                "" if oid == "All" else f'*EXACT({outcome_col},"{_quoted(oid)}")'
            )
            for i in range(len(months)):
                col = get_column_letter(n_fixed + 1 + i)
                rng = f"{col}${first}:{col}${last}"
                formula = '""'
                for word in reversed(RATINGS):  # build inside out: Red is tested first
                    # `=` compares whole cells, in any case: xlsrc.core.returns.rollup.rating.
                    formula = f'IF(SUMPRODUCT({match}*({rng}="{word}"))>0,"{word}",{formula})'
                put_formula(ws, row, n_fixed + 1 + i, "=" + formula)
            if oid == "All":
                for c in range(1, n_fixed + len(months) + 1):
                    ws.cell(row, c).font = styles.BOLD
            row += 1
    first_col, last_col = get_column_letter(n_fixed + 1), get_column_letter(n_fixed + len(months))
    return f"{first_col}{top + 2}:{last_col}{row - 1}"


def _quoted(text: str) -> str:
    return text.replace('"', '""')
