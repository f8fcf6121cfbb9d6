"""Tamper evidence for the contract terms: the Contract sheet now against the terms recorded
on the Audit sheet when the workbook was built. A contract fact (dates, cap, VAT rate, day
rates) changes only through a decision, so one typed over is an error at its cell, naming the
issued months whose figures it alters (CONTRACT-FACT-CHANGED); another term (a name, an
address, a reporting setting) may be agreed, so its change is a warning (TERM-CHANGED)."""

from __future__ import annotations

import datetime as dt
import json
import re

from xlsrc.edges.fileio.progress_reader import read_audit
from xlsrc.edges.fileio.reader import Book, sheet_xml
from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.edges.workbook.names_xml import parse_ref
from xlsrc.model import layout
from xlsrc.model.issues import Issue
from xlsrc.model.rules import (
    CONTRACT_FACT_CHANGED,
    TERM_CHANGED,
    TERMS_TABLES_CHANGED,
    Rule,
    issue,
)
from xlsrc.model.terms.fingerprint import terms_fingerprint
from xlsrc.model.terms.models import Terms
from xlsrc.model.writes import column_letter

# The named terms that are contract facts (the order form's, or a decision's), and those whose
# change alters the figures of every month already returned.
FACTS = (
    "OrderDate",
    "StartDate",
    "EndDate",
    "BreakDate",
    "ExtensionMaxMonths",
    "ExtensionNoticeMonths",
    "Cap",
    "VATRate",
    "DayRate",
    layout.RATES_KEY,
    layout.ALLOCATIONS_KEY,
)
ALTERS_FIGURES = ("VATRate", "DayRate", layout.RATES_KEY)


def changed_terms(
    book: WorkbookSource, terms: Terms, issued: tuple[dt.date, ...] = ()
) -> list[Issue]:
    """Each term changed since the build; `issued`: the months whose returns were issued."""
    out = rates_formulas_typed_over(book, issued)
    if layout.AUDIT_TABLE not in book.table_names:
        return out
    built = next((a for a in read_audit(book) if a.action == layout.AUDIT_BUILT), None)
    if built is None or not built.details:
        return []
    try:
        before: dict[str, str] = json.loads(built.details)
    except json.JSONDecodeError:
        return [_issue(0, "Details", "the build record on the Audit sheet is damaged")]
    now = layout.contract_snapshot(terms)
    labels = {f.name: f.label for f in layout.CONTRACT_TERMS} | {
        layout.RATES_KEY: "Rates table",
        layout.ALLOCATIONS_KEY: "Areas table's Days allocated",
    }
    for name, value in now.items():
        if name in before and before[name] != value and not explained(name, before[name], terms):
            row = _row(book, name)
            was = (
                f"{labels[name]} ({name}) is {value or 'blank'} now; it was "
                f"{before[name] or 'blank'} when the workbook was built."
            )
            if name in FACTS:
                out.append(
                    _issue(
                        row,
                        name,
                        f"{was} A contract fact changes only through a decision (calloff decide,"
                        f" by the role holding the power): put it back{_months(name, issued)}",
                        value=value,
                        rule=CONTRACT_FACT_CHANGED,
                    )
                )
                continue
            out.append(
                _issue(
                    row,
                    name,
                    f"{was} If this was agreed, keep a record of the agreement; otherwise put it"
                    " back",
                    value=value,
                )
            )
    if not out and built.fingerprint and built.fingerprint not in _fingerprints(terms):
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


def _row(book: WorkbookSource, name: str) -> int:
    """The worksheet row a term is typed on: its defined name's, the Areas table's first row."""
    if name == layout.ALLOCATIONS_KEY:
        found = layout.AREAS_TABLE in book.table_names
        return book.table(layout.AREAS_TABLE)[2] if found else 0
    parsed = parse_ref(book.names.get(name, ""))
    return parsed[1] + 1 if parsed else 0


def _fingerprints(terms: Terms) -> tuple[str, str]:
    """The terms' fingerprint now, and the form of workbooks built before the areas' days
    allocated were compared on their own (it includes them)."""
    return terms_fingerprint(terms), terms_fingerprint(terms, with_allocations=True)


def _months(name: str, issued: tuple[dt.date, ...]) -> str:
    if name not in ALTERS_FIGURES or not issued:
        return ""
    months = ", ".join(f"{m:%B %Y}" for m in sorted(issued))
    return f". It alters the figures of the issued return(s) for {months}"


_RATE_FORMULAS = (("From", "=StartDate", "StartDate"), ("Day rate", "=DayRate", "DayRate"))


def rates_formulas_typed_over(book: WorkbookSource, issued: tuple[dt.date, ...]) -> list[Issue]:
    """The Rates table's first line is two formulas (=StartDate, =DayRate): a value typed over
    either prices days at a rate no decision made, unseen by calloff. An error at the cell."""
    if layout.RATES_TABLE not in book.table_names:
        return []
    _, data, first = book.table(layout.RATES_TABLE)
    if not data:
        return []
    part = sheet_xml(book, layout.CONTRACT) if isinstance(book, Book) else None
    out = []
    for c, (header, text, name) in enumerate(_RATE_FORMULAS):
        cell = f"{column_letter(c + 1)}{first}"
        if part is not None:
            found = re.search(rb'<c r="' + cell.encode() + rb'"[^>]*?(?:/>|>(<f[ >])?)', part)
            typed_over = found is None or not found[1]
        else:  # a workbook open in Excel: the value against the term it should show
            typed_over = str(data[0][c]) != str(book.named_value(name))
        if typed_over:
            out.append(
                _issue(
                    first,
                    f"{layout.RATES_TABLE}[{header}]",
                    f"The Rates table's first line ({layout.CONTRACT}!{cell}) is the formula"
                    f" {text}; it was typed over with {data[0][c]!r}, so the workbook prices"
                    " days at a rate no decision made. Type the formula back; a new rate is a"
                    f" decision (calloff decide day-rate){_months('Rates', issued)}",
                    value=data[0][c],
                    rule=CONTRACT_FACT_CHANGED,
                )
            )
    return out


def explained(name: str, before: str, terms: Terms) -> bool:
    """A change a recorded decision makes is acknowledged: a new starting rate or rate line
    matched by a "day-rate" decision from the same date at the same rate; an area's days
    allocated that its latest "allocation" decision gives."""
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
    if name == layout.ALLOCATIONS_KEY:
        was = layout.parse_allocations(before)
        latest = terms.effective.allocations
        changed = [
            a for a in terms.areas if was.get(a.short) != format(a.days_allocated.normalize(), "f")
        ]
        return all(latest.get(a.short) == a.days_allocated for a in changed)
    return False


def _issue(
    row: int, column: str, message: str, value: object = None, rule: Rule = TERM_CHANGED
) -> Issue:
    return issue(rule, layout.CONTRACT, row, column, value, message)
