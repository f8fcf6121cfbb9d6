"""The Contract sheet back into `Terms`: the workbook's own terms are what its formulas use.

A contract manager may edit the yellow cells; the Python totals must use the same values, so
`calloff totals WORKBOOK` reads them here rather than from the terms file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import ValidationError

from xlsrc import layout
from xlsrc.errors import TermsError
from xlsrc.money import to_decimal
from xlsrc.terms.loader import format_validation_error
from xlsrc.terms.models import Terms
from xlsrc.writes import column_letter

from .source import WorkbookSource

_PATH_NAMES = {f.path: f for f in layout.CONTRACT_TERMS}


def read_terms(book: WorkbookSource) -> Terms:
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
        headers, data, _ = book.table(name)
        return [dict(zip(headers, r, strict=True)) for r in data if any(v != "" for v in r)]

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
    decision_rows = _decision_rows(book)
    raw["decisions"] = [values for _, values in decision_rows]
    raw["day_rates"] = _rate_lines(book)
    raw["alerts"] = {"cap_bands": [_scalar(v) for v in book.named_column("CapBands") if v != ""]}
    raw["risk_owner_roles"] = [v for v in book.named_column("OwnerRoleList") if v != ""]
    try:
        return Terms.model_validate(raw)
    except ValidationError as exc:
        message = format_validation_error(exc, f"{book.path}, {layout.CONTRACT} sheet")
        for path, field in _PATH_NAMES.items():
            dotted = ".".join("break" if p == "break_" else p for p in path)
            message = message.replace(f"  - {dotted}:", f"  - {field.label} ({field.name}):")
        raise TermsError(_locate_decisions(message, book, decision_rows)) from None


def _decision_rows(book: WorkbookSource) -> list[tuple[int, dict[str, object]]]:
    """(worksheet row, Decision fields) of each filled row of the Decisions table."""
    if layout.DECISIONS_TABLE not in book.table_names:
        return []
    headers, data, first = book.table(layout.DECISIONS_TABLE)
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


def _rate_lines(book: WorkbookSource) -> list[dict[str, object]]:
    """The Rates table after its first line (the start and DayRate, formulas)."""
    if layout.RATES_TABLE not in book.table_names:
        return []
    _, data, _ = book.table(layout.RATES_TABLE)
    return [
        {"from": _scalar(r[0]), "rate": _scalar(r[1])}
        for r in data[1:]
        if any(v not in ("", None) for v in r[:2])
    ]


def _locate_decisions(
    message: str, book: WorkbookSource, rows: list[tuple[int, dict[str, object]]]
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
    if layout.RATES_TABLE in book.table_names:
        _, data, first = book.table(layout.RATES_TABLE)
        for i in range(len(data)):
            row = first + 1 + i
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
