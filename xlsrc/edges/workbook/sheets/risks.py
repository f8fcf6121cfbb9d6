"""Risks sheet: the delivery risk register (order form 3.2: risks reviewed, managed, reported).

Owners are recorded by role, never by name. Score = likelihood x impact (locked formula).
The register starts with the risks the order form itself makes plain.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import formula, put
from xlsrc.edges.workbook.sheets import common
from xlsrc.model import layout
from xlsrc.model.terms.models import Terms

HEADERS = (
    "ID",
    "Risk",
    "Area",
    "Outcome",
    "Likelihood (1-5)",
    "Impact (1-5)",
    "Score",
    "Owner (role)",
    "Mitigation",
    "Escalate to VCU",
    "Status",
    "Raised",
    "Last reviewed",
)
WIDTHS = (7, 40, 13, 10, 10, 9, 7, 20, 40, 10, 11, 11, 11)
SCORE_RED, SCORE_AMBER = 15, 8
COL = {h: get_column_letter(i) for i, h in enumerate(HEADERS, start=1)}


def seed_risks(terms: Terms) -> list[dict[str, object]]:
    """Risks every call-off of this kind starts with, worded from the terms."""
    owner = terms.risk_owner_roles[0]
    seeds = [
        dict(
            risk=f"Spend reaches the £{terms.money.cap:,.2f} cap before the end date, "
            "cutting support short.",
            likelihood=2,
            impact=4,
            mitigation="Monthly review of the Budget sheet forecast; agree days per area.",
        ),
        dict(
            risk="Confidential information (names, contact details, unpublished DSG data) "
            "appears in a report or tracker note.",
            likelihood=2,
            impact=4,
            mitigation="IDs and roles only; calloff validate flags personal data in notes.",
        ),
    ]
    if terms.dates.break_:
        seeds.insert(
            0,
            dict(
                risk=f"The Department terminates at the break ({terms.dates.break_:%d/%m/%Y}) "
                "if later funding is not confirmed.",
                likelihood=3,
                impact=4,
                mitigation="Plan deliverables to reach a stable point by the break date.",
            ),
        )
    return [
        dict(id=f"R-{i:02d}", owner=owner, status="Open", escalate="No", **s)
        for i, s in enumerate(seeds, start=1)
    ]


def build(wb: Workbook, terms: Terms, capacity: int = layout.RISKS_CAPACITY) -> None:
    ws = wb.create_sheet(layout.RISKS)
    styles.title(
        ws,
        f"Risk register — {terms.contract.id}",
        "Risks to delivery, reviewed monthly. Owners by role, never by name. "
        f"Score = likelihood x impact; {SCORE_RED}+ red, {SCORE_AMBER}+ amber.",
    )
    styles.header_row(ws, layout.HEADER_ROW, list(HEADERS))
    first, last = layout.FIRST_DATA_ROW, layout.HEADER_ROW + capacity
    seeds = seed_risks(terms)
    for r in range(first, last + 1):
        for c, header in enumerate(HEADERS, start=1):
            cell = ws.cell(r, c)
            if header == "Score":
                styles.calc_cell(cell, styles.INT)
            else:
                styles.input_cell(cell)
                cell.alignment = styles.WRAP
            if header in ("Raised", "Last reviewed"):
                cell.number_format = styles.DATE
        lik, imp = COL["Likelihood (1-5)"], COL["Impact (1-5)"]
        formula(
            ws,
            r,
            HEADERS.index("Score") + 1,
            f'=IF(AND(ISNUMBER({lik}{r}),ISNUMBER({imp}{r})),{lik}{r}*{imp}{r},"")',
        )
    for r, seed in enumerate(seeds, start=first):
        values = {
            "ID": seed["id"],
            "Risk": seed["risk"],
            "Area": layout.ALL_AREAS,
            "Likelihood (1-5)": seed["likelihood"],
            "Impact (1-5)": seed["impact"],
            "Owner (role)": seed["owner"],
            "Mitigation": seed["mitigation"],
            "Escalate to VCU": seed["escalate"],
            "Status": seed["status"],
        }
        for header, value in values.items():
            put(ws, r, HEADERS.index(header) + 1, value)

    def lst(header: str, source: str, **kw: Any) -> None:
        v = DataValidation(type="list", formula1=source, allow_blank=True, **kw)
        v.error = f"{header}: pick a value from the list."
        v.showErrorMessage = True
        v.add(f"{COL[header]}{first}:{COL[header]}{last}")
        ws.add_data_validation(v)

    lst("Area", "RiskAreaList")
    lst("Outcome", "OutcomeList")
    lst("Likelihood (1-5)", "ScoreList")
    lst("Impact (1-5)", "ScoreList")
    lst("Owner (role)", "OwnerRoleList")
    lst("Escalate to VCU", "YesNoList")
    lst("Status", "RiskStatusList")
    score = f"{COL['Score']}{first}:{COL['Score']}{last}"
    ws.conditional_formatting.add(
        score,
        CellIsRule(operator="greaterThanOrEqual", formula=[str(SCORE_RED)], fill=styles.RED_MARK),
    )
    ws.conditional_formatting.add(
        score,
        CellIsRule(
            operator="between",
            formula=[str(SCORE_AMBER), str(SCORE_RED - 1)],
            fill=styles.AMBER_MARK,
        ),
    )
    last_col = get_column_letter(len(HEADERS))
    table = Table(displayName=layout.RISKS_TABLE, ref=f"A{layout.HEADER_ROW}:{last_col}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    common.column_widths(ws, WIDTHS)
    for r in range(first, first + len(seeds)):
        styles.fit_height(ws, r)
    common.finish(ws, terms, freeze=f"C{layout.FIRST_DATA_ROW}")
