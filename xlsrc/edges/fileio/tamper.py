"""Tamper evidence for the contract terms: the Contract sheet now against the terms recorded
on the Audit sheet when the workbook was built. A change may be agreed (an extension, the real
day rate), so it is a warning that names the term; it is never silently accepted."""

from __future__ import annotations

import json

from xlsrc.edges.fileio.names_xml import parse_ref
from xlsrc.edges.fileio.progress_reader import read_audit
from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.model import layout
from xlsrc.model.issues import Issue
from xlsrc.model.rules import TERM_CHANGED, TERMS_TABLES_CHANGED, Rule, issue
from xlsrc.model.terms.fingerprint import terms_fingerprint
from xlsrc.model.terms.models import Terms


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
    labels = {f.name: f.label for f in layout.CONTRACT_TERMS} | {layout.RATES_KEY: "Rates table"}
    out = []
    for name, value in now.items():
        if name in before and before[name] != value and not explained(name, before[name], terms):
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


def explained(name: str, before: str, terms: Terms) -> bool:
    """A change a recorded decision makes is acknowledged: a new starting rate or rate line
    matched by a "day-rate" decision from the same date at the same rate."""
    decided = {(d.effective, d.rate) for d in terms.decisions if d.kind == "day-rate"}
    if name == "DayRate":
        return (terms.dates.start, terms.money.day_rate) in decided
    if name == layout.RATES_KEY:
        old = set(before.split("; ")) if before else set()
        new = [
            line
            for line in terms.day_rates
            if layout.rate_line_text(line.from_, line.rate) not in old
        ]
        return all((line.from_, line.rate) in decided for line in new) and len(old) <= len(
            terms.day_rates
        )
    return False


def _issue(
    row: int, column: str, message: str, value: object = None, rule: Rule = TERM_CHANGED
) -> Issue:
    return issue(rule, layout.CONTRACT, row, column, value, message)
