"""Plans sheet: the local area's improvement plans (priority action plan milestones and
actions) with due dates and status, so each return reports what was due, done and slipped,
with the trajectory (order form: "progress and trajectories")."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.sheets import common
from xlsrc.edges.workbook.sheets.inputs import Field, input_table
from xlsrc.model import layout
from xlsrc.model.terms.models import Terms

FIELDS = [
    Field("Area", choices="AreaList"),
    Field("Plan", wrap=True),
    Field("Action or milestone", wrap=True),
    Field("Due", styles.DATE),
    Field("Status", choices="PlanStatusList"),
    Field("Completed on", styles.DATE),
    Field("Evidence / trajectory", wrap=True),
]
WIDTHS = {"A": 13, "B": 22, "C": 46, "D": 11, "E": 11, "F": 12, "G": 50}


def build(wb: Workbook, terms: Terms, capacity: int = layout.PLANS_CAPACITY) -> None:
    ws = wb.create_sheet(layout.PLANS)
    styles.title(
        ws,
        f"Improvement plans — {terms.contract.id}",
        "The area's plans (e.g. its Priority Action Plan): each action or milestone, when it "
        f"is due and its status ({', '.join(layout.PLAN_STATUSES)}). A return lists those due "
        "in its month, completed, and slipped (past due and not done).",
    )
    last = input_table(
        ws, name=layout.PLANS_TABLE, top=layout.HEADER_ROW, fields=FIELDS, capacity=capacity
    )
    status = f"E{layout.FIRST_DATA_ROW}:E{last}"
    for word, fill in (
        (layout.PLAN_DONE, styles.GREEN_MARK),
        (layout.PLAN_SLIPPED, styles.RED_MARK),
        ("At risk", styles.AMBER_MARK),
    ):
        ws.conditional_formatting.add(
            status, CellIsRule(operator="equal", formula=[f'"{word}"'], fill=fill)
        )
    styles.widths(ws, WIDTHS)
    common.finish(ws, terms, freeze=f"A{layout.FIRST_DATA_ROW}")
