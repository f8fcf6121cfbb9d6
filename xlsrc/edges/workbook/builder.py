"""Build the governed workbook: the orchestrator only calls the sheet builders in order.

It returns the workbook; whoever asked for it saves it (xlsrc.actions.build.build_to).
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.workbook.protection import WorkbookProtection

from xlsrc.edges.workbook import owned_parts, styles
from xlsrc.edges.workbook.sheets import (
    annexa,
    audit,
    budget,
    checks,
    contract,
    ehcp,
    evidence,
    guide,
    invoices,
    issues,
    lists,
    plans,
    report,
    risks,
    tracker,
    vcu,
)
from xlsrc.model import layout
from xlsrc.model.terms.models import Terms


def build_workbook(
    terms: Terms,
    terms_source: str = "bundled terms",
    tracker_capacity: int = layout.TRACKER_CAPACITY,
) -> Workbook:
    wb = Workbook()
    guide.build(wb, terms, terms_source)
    contract.build(wb, terms)
    tracker.build(wb, terms, capacity=tracker_capacity)
    annexa.build(wb, terms)
    evidence.build(wb, terms)
    plans.build(wb, terms)
    ehcp.build(wb, terms)
    vcu.build(wb, terms)
    report.build(wb, terms)
    risks.build(wb, terms)
    invoices.build(wb, terms)
    budget.build(wb, terms)
    checks.build(wb, terms)
    issues.build(wb, terms)
    audit.build(wb, terms)
    lists.build(wb, terms)
    assert tuple(ws.title for ws in wb.worksheets) == layout.SHEET_ORDER
    for ws in wb.worksheets:
        styles.fit_header_words(ws)
        styles.fit_rows(ws)
    # Excel recomputes every formula on open (openpyxl stores no cached values).
    owned_parts.recalculate_on_load(wb)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    return wb
