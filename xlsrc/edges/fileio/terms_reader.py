"""The Contract sheet back into `Terms`: the workbook's own terms are what its formulas use.

A contract manager may edit the yellow cells; the Python totals must use the same values, so
`calloff totals WORKBOOK` reads them here rather than from the terms file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

from pydantic import ValidationError

from xlsrc.core.totals import budget as cap_guard
from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.model import fmt, layout
from xlsrc.model.entry import Entry, TableRow, check_widths, damaged_table
from xlsrc.model.errors import TermsError, WorkbookFileError
from xlsrc.model.issues import Issue
from xlsrc.model.money import to_decimal
from xlsrc.model.rules import (
    ALLOCATION_OVER_CAP,
    DECISION_BREAKS_RULE,
    DECISION_INVALID,
    DECISION_OVER_CAP,
    RATE_LINE_INVALID,
    issue,
)
from xlsrc.model.terms.authority import POWER_BY_LABEL
from xlsrc.model.terms.decisions import KIND_BY_LABEL, NEEDS, DayRateFrom, Decision
from xlsrc.model.terms.effective import DecisionProblems, Problem, after_today
from xlsrc.model.terms.loader import format_validation_error
from xlsrc.model.terms.models import Terms
from xlsrc.model.writes import column_letter

_PATH_NAMES = {f.path: f for f in layout.CONTRACT_TERMS}


def read_terms(book: WorkbookSource) -> Terms:
    """The workbook's terms; a broken Decisions or Rates row stops here with its place."""
    raw, decision_rows, rate_rows = _raw_terms(book)
    return _validated(raw, book, decision_rows, rate_rows)


def read_terms_listing(book: WorkbookSource) -> tuple[Terms, list[Issue]]:
    """The workbook's terms with each broken Decisions or Rates row left out, and an Issue
    for each (what `validate` lists on the Issues sheet). Any other problem in the terms
    still stops here, as in `read_terms`.

    The rate card is judged first, on its own. Then the Decisions rows are judged one by one
    in the order they were decided (then down the table), each with the rows already in
    force, as `calloff decide` would have judged it when it was recorded: a row breaking a
    rule is the error, and a good row above or before it stays in force."""
    raw, decision_rows, rate_rows = _raw_terms(book)
    issues: list[Issue] = []
    decision_rows = _keep(decision_rows, _decision_cell_issues, issues)
    rate_rows = _keep(rate_rows, _rate_cell_issues, issues)
    _, rate_rows = _settle(raw, book, [], rate_rows, issues)
    in_force: list[tuple[int, dict[str, object]]] = []
    for row, fields in sorted(decision_rows, key=_decided_order):
        trial = sorted([*in_force, (row, fields)], key=_first)
        found = _problems_with(raw, book, trial, rate_rows)
        mine = trial.index((row, fields))
        if not found:
            in_force = trial
            continue
        for p in found:
            message = _locate_decisions(p.message, trial, rate_rows)
            if p.index != mine:
                other = trial[p.index][0]
                message = f"with this row, Decisions table row {other} breaks a rule: {message}"
            issues.append(
                issue(
                    DECISION_BREAKS_RULE,
                    layout.CONTRACT,
                    row,
                    _DECISION_HEADERS.get(p.field, ""),
                    fields.get(p.field),
                    f"{message}. {_LEFT_OUT}",
                )
            )
    terms, _ = _settle(raw, book, in_force, rate_rows, issues)
    return terms, issues


def _first(item: tuple[int, dict[str, object]]) -> int:
    return item[0]


def _decided_order(item: tuple[int, dict[str, object]]) -> tuple[dt.date, int]:
    decided = item[1].get("decided")
    return (decided if isinstance(decided, dt.date) else dt.date.max, item[0])


def _problems_with(
    raw: dict,
    book: WorkbookSource,
    decision_rows: list[tuple[int, dict[str, object]]],
    rate_rows: list[tuple[int, dict[str, object]]],
) -> list[Problem]:
    """The decision rules these rows break together (none: they can all be in force). The
    Areas table agreeing with the latest allocation is judged once all rows are in (a later
    allocation may be the one the table shows)."""
    raw["decisions"] = [fields for _, fields in decision_rows]
    raw["day_rates"] = [fields for _, fields in rate_rows]
    try:
        Terms.model_validate(raw)
    except ValidationError as exc:
        problems = _decision_problems(exc)
        if problems is None:
            raise TermsError(_message(exc, book, decision_rows, rate_rows)) from None
        return [p for p in problems if p.where == "decisions" and not _table_disagrees(p)]
    return []


def _table_disagrees(p: Problem) -> bool:
    return p.field == "days" and "the Areas table says" in p.message


def _settle(
    raw: dict,
    book: WorkbookSource,
    decision_rows: list[tuple[int, dict[str, object]]],
    rate_rows: list[tuple[int, dict[str, object]]],
    issues: list[Issue],
) -> tuple[Terms, list[tuple[int, dict[str, object]]]]:
    """The terms from these rows, leaving out each row still breaking a rule (and again)."""
    while True:
        raw["decisions"] = [fields for _, fields in decision_rows]
        raw["day_rates"] = [fields for _, fields in rate_rows]
        try:
            return Terms.model_validate(raw), rate_rows
        except ValidationError as exc:
            problems = _decision_problems(exc)
            if problems is None:
                raise TermsError(_message(exc, book, decision_rows, rate_rows)) from None
        gone_decisions, gone_rates = set(), set()
        for p in problems:
            if p.where == "day_rates":
                row, fields = rate_rows[p.index]
                gone_rates.add(p.index)
                header = _RATE_FIELDS.get(p.field, "")
                value = fields.get(p.field)
                issues.append(_rate_issue(row, header, value, p.message))
            else:
                row, fields = decision_rows[p.index]
                gone_decisions.add(p.index)
                message = _locate_decisions(p.message, decision_rows, rate_rows)
                issues.append(
                    issue(
                        DECISION_BREAKS_RULE,
                        layout.CONTRACT,
                        row,
                        _DECISION_HEADERS.get(p.field, ""),
                        fields.get(p.field),
                        f"{message}. {_LEFT_OUT}",
                    )
                )
        decision_rows = [r for i, r in enumerate(decision_rows) if i not in gone_decisions]
        rate_rows = [r for i, r in enumerate(rate_rows) if i not in gone_rates]


def decisions_after_today(book: WorkbookSource, terms: Terms, today: dt.date) -> list[Issue]:
    """Each Decisions row dated (decided or notice given) after `today`, at its cell."""
    rows = {_row_key(fields): row for row, fields in _decision_rows(book)}
    out = []
    for p in after_today(terms, today):
        d = terms.decisions[p.index]
        row = rows.get(_row_key(d.model_dump(exclude_none=True)), 0)
        out.append(
            issue(
                DECISION_BREAKS_RULE,
                layout.CONTRACT,
                row,
                _DECISION_HEADERS.get(p.field, ""),
                getattr(d, p.field),
                p.message,
            )
        )
    return out


def decisions_over_cap(book: WorkbookSource, terms: Terms, entries: list[Entry]) -> list[Issue]:
    """Each Decisions row passing the cap (xlsrc.core.totals.budget.decisions_over_cap), at
    its row, and the allocations when they no longer fit the cap (a warning at the Areas'
    Days allocated)."""
    rows = {_row_key(fields): row for row, fields in _decision_rows(book)}
    out = []
    for over in cap_guard.decisions_over_cap(terms, entries):
        d = terms.decisions[over.index]
        row = rows.get(_row_key(d.model_dump(exclude_none=True)), 0)
        column = "New cap" if d.kind == "vary-cap" else _DECISION_HEADERS["kind"]
        value = d.cap if d.kind == "vary-cap" else d.label
        out.append(issue(DECISION_OVER_CAP, layout.CONTRACT, row, column, value, over.message))
    allocated = cap_guard.allocation_over_cap(terms)
    if allocated is not None:
        cost, cap = allocated
        out.append(
            issue(
                ALLOCATION_OVER_CAP,
                layout.CONTRACT,
                _areas_row(book),
                "Days allocated",
                cost,
                f"the areas' days allocated cost {fmt.money(cost)} at the day rate now, over the"
                f" cap in force of {fmt.money(cap)}: change an allocation (calloff decide) or"
                " record a cap variation",
            )
        )
    return out


def _areas_row(book: WorkbookSource) -> int:
    """The Areas table's first row (0 when the workbook has none): where allocations are typed."""
    return book.table(layout.AREAS_TABLE)[2] if layout.AREAS_TABLE in book.table_names else 0


def locate_decisions(message: str, book: WorkbookSource) -> str:
    """decisions[2] in a message -> that row of the workbook's Decisions table."""
    return _locate_decisions(message, _decision_rows(book), _rate_lines(book))


def _row_key(fields: dict[str, object]) -> tuple[object, ...]:
    return (fields.get("decided"), fields.get("notice"), fields.get("by"))


def _keep(
    rows: list[tuple[int, dict[str, object]]],
    check: Callable[[int, dict[str, object]], list[Issue]],
    issues: list[Issue],
) -> list[tuple[int, dict[str, object]]]:
    """The rows whose cells `check` finds sound; the issues of the others go to `issues`."""
    kept = []
    for row, fields in rows:
        found = check(row, fields)
        issues.extend(found)
        if not found:
            kept.append((row, fields))
    return kept


_LEFT_OUT = (
    "Correct the row (or clear it): until then it is left out of the term in force, the"
    " figures calloff shows ignore it and MasterCheck is FALSE"
)
_DECISION_HEADERS = {attr: header for header, attr in layout.DECISION_COLUMNS.items()}
_RATE_FIELDS = {"from": layout.RATE_HEADERS[0], "from_": layout.RATE_HEADERS[0]}
_RATE_FIELDS["rate"] = layout.RATE_HEADERS[1]


def _rate_column(header: str) -> str:
    """The Issues sheet's Column for a Rates cell: the table named, as the Decisions table
    has a Day rate column too."""
    return f"{layout.RATES_TABLE}[{header}]" if header else ""


def _rate_issue(row: int, header: str, value: object, message: str) -> Issue:
    return issue(
        RATE_LINE_INVALID,
        layout.CONTRACT,
        row,
        _rate_column(header),
        value,
        f"{message}. Correct the line (or clear it): until then it is left out of the rate"
        " card, the figures calloff shows ignore it and MasterCheck is FALSE",
    )


def _decision_cell_issues(row: int, fields: dict[str, object]) -> list[Issue]:
    """The row's cells against the Decision model on their own (missing or unreadable), and
    the values its kind needs (each missing one named, even when another cell is wrong)."""
    found: list[tuple[str, str]] = []  # (attribute, message)
    try:
        Decision.model_validate(fields)
    except ValidationError as exc:
        for err in exc.errors():
            attr = str(err["loc"][0]) if err["loc"] else ""
            if not attr:
                continue  # a kind without its values: named below, one by one
            value = fields.get(attr)
            if err["type"] == "missing":
                found.append((attr, f"{_DECISION_HEADERS.get(attr, attr)} is required"))
            else:
                message = err["msg"].removeprefix("Value error, ")
                found.append((attr, f"{_DECISION_HEADERS[attr]}: {message} (got {value!r})"))
    else:
        return []
    kind = fields.get("kind")
    if isinstance(kind, str):
        label = KIND_BY_LABEL.get(kind.lower(), kind)
        for attr in NEEDS.get(label, ()):
            if fields.get(attr) is None and attr not in {a for a, _ in found}:
                found.append((attr, f"a {kind!r} decision needs {_DECISION_HEADERS[attr]}"))
    return [
        issue(
            DECISION_INVALID,
            layout.CONTRACT,
            row,
            _DECISION_HEADERS.get(attr, ""),
            fields.get(attr),
            f"{message}. {_LEFT_OUT}",
        )
        for attr, message in found
    ]


def _rate_cell_issues(row: int, fields: dict[str, object]) -> list[Issue]:
    try:
        DayRateFrom.model_validate(fields)
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            attr = str(err["loc"][0]) if err["loc"] else ""
            header = _RATE_FIELDS.get(attr, "")
            if err["type"] == "missing":
                message = f"{header} is required"
            else:
                message = f"{header}: {err['msg'].removeprefix('Value error, ')}"
            out.append(_rate_issue(row, header, fields.get(attr), message))
        return out
    return []


def _decision_problems(exc: ValidationError) -> list[Problem] | None:
    """The decision rules broken, when they are the only problems; else None."""
    problems: list[Problem] = []
    for err in exc.errors():
        found = (err.get("ctx") or {}).get("error")
        if not isinstance(found, DecisionProblems):
            return None
        problems += found.problems
    return problems or None


def _validated(
    raw: dict,
    book: WorkbookSource,
    decision_rows: list[tuple[int, dict[str, object]]],
    rate_rows: list[tuple[int, dict[str, object]]],
) -> Terms:
    try:
        return Terms.model_validate(raw)
    except ValidationError as exc:
        raise TermsError(_message(exc, book, decision_rows, rate_rows)) from None


def _message(
    exc: ValidationError,
    book: WorkbookSource,
    decision_rows: list[tuple[int, dict[str, object]]],
    rate_rows: list[tuple[int, dict[str, object]]],
) -> str:
    message = format_validation_error(exc, f"{book.path}, {layout.CONTRACT} sheet")
    for path, field in _PATH_NAMES.items():
        dotted = ".".join("break" if p == "break_" else p for p in path)
        message = message.replace(f"  - {dotted}:", f"  - {field.label} ({field.name}):")
    located = _locate_decisions(message, decision_rows, rate_rows)
    if located != message or "decisions" in message or "day_rates" in message:
        located += (
            "\n  Run Validate (calloff validate WORKBOOK, or the Validate button) to list each"
            " broken Decisions or Rates row on the Issues sheet."
        )
    return located


def _raw_terms(
    book: WorkbookSource,
) -> tuple[dict, list[tuple[int, dict[str, object]]], list[tuple[int, dict[str, object]]]]:
    raw: dict[str, dict | list] = {
        "contract": {},
        "dates": {},
        "extension": {},
        "money": {},
        "allocation": {},
        "confidentiality": {},
        "reporting": {},
    }
    for field in layout.CONTRACT_TERMS:
        if field.name not in book.names:  # an older workbook: the term's default applies,
            continue  # and a term without one is reported missing by the model
        value = _scalar(book.named_value(field.name))
        if value is None:
            continue
        section, attr = field.path
        values = raw[section]
        assert isinstance(values, dict)  # every scalar term lives in a section of fields
        values["break" if attr == "break_" else attr] = value

    def rows(name: str) -> list[dict[str, object]]:
        headers, data, _ = _table(book, name)
        return [
            TableRow(_where(book), name, zip(headers, r, strict=True))
            for r in data
            if any(v != "" for v in r)
        ]

    raw["areas"] = [
        {
            "code": r["Code"],
            "name": r["Name"],
            "short": r["Short name"],
            "days_allocated": _scalar(r["Days allocated"]) or Decimal(0),
        }
        for r in rows(layout.AREAS_TABLE)
    ]
    raw["advisors"] = [
        {"id": r["Advisor ID"], "role": r["Role"]} for r in rows(layout.ADVISORS_TABLE)
    ]
    raw["activities"] = [r["Activity"] for r in rows(layout.ACTIVITIES_TABLE)]
    raw["measures"] = [
        {"id": r["Measure"], "text": r["Success measure"]} for r in rows(layout.MEASURES_TABLE)
    ]
    variants: dict[str, dict[str, str]] = {}
    if layout.VARIANTS_TABLE in book.table_names:
        for r in rows(layout.VARIANTS_TABLE):
            variants.setdefault(str(r["Variant"]), {})[str(r["Measure"])] = str(r["Wording"])
    raw["measure_variants"] = variants
    wording: dict[str, list[str]] = {}
    if layout.WORDING_TABLE in book.table_names:
        for r in rows(layout.WORDING_TABLE):
            wording.setdefault(str(r["Outcome"]), []).append(
                str(r["Paragraph (order form, Annex A)"])
            )
    raw["outcomes"] = [
        {
            "id": r["Outcome"],
            "areas": _split(r["Areas"]),
            "kind": r["Kind"],
            "text": r["Outcome text"],
            "measures": _split(r["Measures"]),
            "measure_variant": r["Variant"] or None,
            "wording": wording.get(str(r["Outcome"]), []),
        }
        for r in rows(layout.OUTCOMES_TABLE)
    ]
    if layout.RAG_TABLE in book.table_names:
        raw["rag"] = [
            {"rating": r["Rating"], "meaning": r["Meaning"]} for r in rows(layout.RAG_TABLE)
        ]
    if layout.POWERS_TABLE in book.table_names:  # an older workbook: "powers" is reported missing
        power, held = layout.POWER_HEADERS
        raw["powers"] = {
            POWER_BY_LABEL.get(str(r[power]).strip().lower(), str(r[power]).strip()): [
                p.strip() for p in str(r[held]).split(";") if p.strip()
            ]
            for r in rows(layout.POWERS_TABLE)
        }
    decision_rows = _decision_rows(book)
    rate_rows = _rate_lines(book)
    raw["decisions"] = [values for _, values in decision_rows]
    raw["day_rates"] = [values for _, values in rate_rows]
    raw["alerts"] = {"cap_bands": [_scalar(v) for v in book.named_column("CapBands") if v != ""]}
    raw["risk_owner_roles"] = [v for v in book.named_column("OwnerRoleList") if v != ""]
    return raw, decision_rows, rate_rows


def _decision_rows(book: WorkbookSource) -> list[tuple[int, dict[str, object]]]:
    """(worksheet row, Decision fields) of each filled row of the Decisions table."""
    if layout.DECISIONS_TABLE not in book.table_names:
        return []
    headers, data, first = _table(book, layout.DECISIONS_TABLE, list(layout.DECISION_COLUMNS))
    unknown = [h for h in headers if h not in layout.DECISION_COLUMNS]
    if unknown:  # an older workbook may lack a column, but never has one of another name
        raise WorkbookFileError(
            damaged_table(
                _where(book),
                layout.DECISIONS_TABLE,
                f"not one of its columns: {', '.join(map(str, unknown))}",
            )
        )
    out = []
    for n, values in enumerate(data):
        cells = dict(zip(headers, values, strict=True))
        if all(v in ("", None) for v in cells.values()):
            continue
        fields: dict[str, object] = {}
        for header, attr in layout.DECISION_COLUMNS.items():
            value = _scalar(cells.get(header, ""))
            if value is not None:
                fields[attr] = value.strip() if isinstance(value, str) else value
        out.append((first + n, fields))
    return out


def _table(
    book: WorkbookSource, name: str, expected: Sequence[str] = ()
) -> tuple[list[str], list[list[object]], int]:
    """The Contract sheet's table `name`; a table whose columns do not span its cells (a
    column deleted from the table's definition) is a damaged table, not a bug."""
    headers, data, first = book.table(name)
    check_widths(_where(book), name, headers, data, expected)
    return headers, data, first


def _where(book: WorkbookSource) -> str:
    return f"{book.path}, {layout.CONTRACT} sheet"


def _rate_lines(book: WorkbookSource) -> list[tuple[int, dict[str, object]]]:
    """(worksheet row, fields) of each filled line of the Rates table after its first (the
    start and DayRate, formulas)."""
    if layout.RATES_TABLE not in book.table_names:
        return []
    _, data, first = book.table(layout.RATES_TABLE)
    return [
        (
            first + 1 + i,
            {k: v for k, v in (("from", _scalar(r[0])), ("rate", _scalar(r[1]))) if v is not None},
        )
        for i, r in enumerate(data[1:])
        if any(v not in ("", None) for v in r[:2])
    ]


def _locate_decisions(
    message: str,
    rows: list[tuple[int, dict[str, object]]],
    rate_rows: list[tuple[int, dict[str, object]]],
) -> str:
    """decisions[2].months -> the Decisions table's row and cell, as a person finds it."""
    columns = {
        attr: (header, i) for i, (header, attr) in enumerate(layout.DECISION_COLUMNS.items())
    }
    headers = list(layout.DECISION_COLUMNS)
    for i, (row, _) in enumerate(rows):
        for attr, (header, c) in columns.items():
            cell = f"{layout.CONTRACT}!{column_letter(c + 1)}{row}"
            where = f"Decisions table row {row}, {header} ({cell})"
            for token in (f"decisions[{i}].{attr}", f"decisions.{i}.{attr}"):
                message = message.replace(token, where)
        span = f"{layout.CONTRACT}!A{row}:{column_letter(len(headers))}{row}"
        where = f"Decisions table row {row} ({span})"
        message = message.replace(f"decisions.{i}:", f"{where}:").replace(f"decisions[{i}]", where)
    for i, (row, _) in enumerate(rate_rows):
        message = message.replace(f"day_rates[{i}]", f"Rates table row {row}").replace(
            f"day_rates.{i}", f"Rates table row {row}"
        )
    return message


def _scalar(value: object) -> object:
    """Cell value -> what the terms model expects (exact Decimals, bools from Yes/No)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float | int):
        return to_decimal(value)  # exact; pydantic turns 12.0 into int fields as 12
    if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
        return value.strip().lower() == "yes"
    return value


def _split(text: object) -> list[str]:
    return [p.strip() for p in str(text).split(",") if p.strip()]
