"""Lists sheet (hidden): the drop-down lists, one named column each."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.names import define
from xlsrc.model import layout
from xlsrc.model.entry import ALLOWED_DAYS
from xlsrc.model.terms.decisions import KIND_LABELS
from xlsrc.model.terms.models import Terms


def list_values(terms: Terms) -> dict[str, list[object]]:
    return {
        "AreaList": [a.short for a in terms.areas],
        "AdvisorList": [a.id for a in terms.advisors],
        "ActivityList": list(terms.activities),
        "OutcomeList": [o.id for o in terms.outcomes],
        "DaysList": [float(d) for d in ALLOWED_DAYS],
        "RAGList": list(layout.RAG),
        "YesNoList": list(layout.YES_NO),
        "ScoreList": [1, 2, 3, 4, 5],
        "RiskStatusList": list(layout.RISK_STATUSES),
        "OwnerRoleList": list(terms.risk_owner_roles),
        "RiskAreaList": [layout.ALL_AREAS, *(a.short for a in terms.areas)],
        "RecommendationList": list(layout.RECOMMENDATIONS),
        "MeasureList": [m.id for m in terms.measures],
        "PlanStatusList": list(layout.PLAN_STATUSES),
        "EventList": list(layout.EVENTS),
        "DecisionKindList": list(KIND_LABELS.values()),
        "MonthsList": list(range(1, max(terms.extension.max_months, 1) + 1)),
    }


def build(wb: Workbook, terms: Terms) -> None:
    ws = wb.create_sheet(layout.LISTS)
    values = list_values(terms)
    assert tuple(values) == layout.LIST_NAMES
    for col, (name, items) in enumerate(values.items(), start=1):
        letter = get_column_letter(col)
        put(ws, 1, col, name).font = styles.BOLD
        for row, item in enumerate(items, start=2):
            put(ws, row, col, item)
        define(wb, name, layout.LISTS, f"{letter}2:{letter}{len(items) + 1}")
        ws.column_dimensions[letter].width = 28
    ws.sheet_state = "hidden"
    styles.protect(ws)
