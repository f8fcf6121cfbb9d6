"""The MI as one CSV in long form: one figure per line, ready for a pivot table.

Columns: section, period, area, key, measure, value. `period` is the month (YYYY-MM), or the
year for SEN2; `key` names the record within a section (a risk ID, an invoice number, a
return's version, a scenario). Values are exact: money and days as written in JSON
("52650.00"), ratios as fractions ("0.9000"), dates ISO, TRUE/FALSE, blank for none.

Text never becomes a formula: any cell starting with =, +, -, @, a tab or a carriage return
gets a leading single quote, unless it is a plain number such as -5850.00 (a negative
headroom), which a spreadsheet reads as a number, never as a formula. The file is UTF-8 with a
byte-order mark, so Excel reads accented names correctly.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from xlsrc.core.mi.kpis import MI
from xlsrc.edges.mi.export_json import mi_json
from xlsrc.edges.mi.output import write_text
from xlsrc.edges.workbook.cells import FORMULA_TRIGGERS

HEADERS = ("section", "period", "area", "key", "measure", "value")
ALL_AREAS = "All areas"
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")

Line = tuple[str, str, str, str, str, object]


def safe_cell(value: object) -> str:
    """The text a CSV cell holds: never something a spreadsheet would run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def lines(mi: MI) -> Iterator[Line]:
    data: dict[str, Any] = mi_json(mi)  # JSON: its shape is mi_json's, checked by the tests
    contract = dict(data["contract"])
    contract["areas"] = ", ".join(contract["areas"])
    for name, value in contract.items():
        yield ("contract", "", "", "", name, value)
    yield ("contract", "", "", "", "as_at", data["as_at"])
    for name, value in data["headline"].items():
        yield ("headline", "", "", "", name, value)
    yield ("headline", "", "", "", "rows_with_errors", data["rows_with_errors"])
    for m in data["by_month"]:
        period = m["month"]
        for name, value in m.items():
            if name not in ("month", "by_area"):
                yield ("month", period, ALL_AREAS, "", name, value)
        for area, figures in m["by_area"].items():
            for name, value in figures.items():
                yield ("month", period, area, "", name, value)
    for a in data["by_area"]:
        for name, value in a.items():
            if name != "area":
                yield ("area", "", a["area"], "", name, value)
    for s in data["scenarios"]:
        for name, value in s.items():
            if name != "scenario":
                yield ("scenario", "", "", s["scenario"], name, value)
    for r in data["ratings"]:
        for colour in ("Red", "Amber", "Green", "not_rated"):
            yield ("ratings", r["month"], r["area"], "", colour, r[colour])
    escalations = data["escalations"]
    for name in ("total", "risks", "asks_open"):
        yield ("escalations", "", "", "", name, escalations[name])
    for area in escalations["not_sufficient"]:
        yield ("escalations", escalations["vcu_month"], area, "", "not_sufficient", "Yes")
    risks = data["risks"]
    for name in ("threshold", "open", "at_or_above_threshold", "escalations", "unscored"):
        yield ("risks", "", "", "", name, risks[name])
    for score, count in risks["by_score"].items():
        yield ("risks", "", "", "", f"score {score}", count)
    for r in risks["open_risks"]:
        for name, value in r.items():
            if name not in ("id", "area"):
                yield ("risk", "", r["area"], r["id"], name, value)
    for e in data["ehcp_monthly"]:
        for name, value in e.items():
            if name not in ("month", "area"):
                yield ("ehcp_monthly", e["month"], e["area"], "", name, value)
    for s in data["sen2_annual"]:
        for name, value in s.items():
            if name not in ("year", "area"):
                yield ("sen2_annual", str(s["year"]), s["area"], "", name, value)
    for r in data["returns"]:
        for name, value in r.items():
            if name not in ("month", "version"):
                yield ("return", r["month"], "", f"v{r['version']}", name, value)
    for i in data["invoices"]:
        key = i["number"] or f"row {i['row']}"
        for name, value in i.items():
            if name not in ("month", "number"):
                shown = " ".join(value) if name == "codes" else value
                yield ("invoice", i["month"], "", key, name, shown)
    if data["invoices_problem"]:
        yield ("invoice", "", "", "", "problem", data["invoices_problem"])


def to_csv(mi: MI) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for line in lines(mi):
        writer.writerow([safe_cell(v) for v in line])
    return buffer.getvalue()


def write_csv(mi: MI, path: Path) -> None:
    write_text(path, "\ufeff" + to_csv(mi), newline="")
