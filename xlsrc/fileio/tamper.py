"""Tamper evidence for the contract terms: the Contract sheet now against the terms recorded
on the Audit sheet when the workbook was built. A change may be agreed (an extension, the real
day rate), so it is a warning that names the term; it is never silently accepted."""

from __future__ import annotations

import json

from xlsrc import layout
from xlsrc.issues import Issue
from xlsrc.rules import TERM_CHANGED, TERMS_TABLES_CHANGED, Rule, issue
from xlsrc.terms.fingerprint import terms_fingerprint
from xlsrc.terms.models import Terms

from .names_xml import parse_ref
from .progress_reader import read_audit
from .source import WorkbookSource


def changed_terms(book: WorkbookSource, terms: Terms) -> list[Issue]:
    if layout.AUDIT_TABLE not in book.table_names:
        return []
    built = next((a for a in read_audit(book) if a.action == layout.AUDIT_BUILT), None)
    if built is None or not built.details:
        return []
    try:
        before: dict[str, str] = json.loads(built.details)
    except json.JSONDecodeError:
        return [_issue(0, "Details", "the build record on the Audit sheet is damaged")]
    now = layout.contract_snapshot(terms)
    labels = {f.name: f.label for f in layout.CONTRACT_TERMS}
    out = []
    for name, value in now.items():
        if name in before and before[name] != value:
            parsed = parse_ref(book.names.get(name, ""))
            row = parsed[1] + 1 if parsed else 0
            out.append(
                _issue(
                    row,
                    name,
                    f"{labels[name]} ({name}) is {value or 'blank'} now; it was "
                    f"{before[name] or 'blank'} when the workbook was built. If this was agreed "
                    "(e.g. an extension), keep a record of the agreement; otherwise put it back",
                    value=value,
                )
            )
    if not out and built.fingerprint and built.fingerprint != terms_fingerprint(terms):
        out.append(
            _issue(
                0,
                "",
                "The Contract sheet's tables (areas, advisors, activities, "
                "measures or outcomes) differ from the terms the workbook was built "
                "with; change them in the terms file and rebuild",
                rule=TERMS_TABLES_CHANGED,
            )
        )
    return out


def _issue(
    row: int, column: str, message: str, value: object = None, rule: Rule = TERM_CHANGED
) -> Issue:
    return issue(rule, layout.CONTRACT, row, column, value, message)
