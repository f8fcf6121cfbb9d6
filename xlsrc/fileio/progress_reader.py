"""The monthly-reporting inputs as plain data: AnnexA ratings, EHCP figures, SEN2, VCU
recommendations, risks and the Audit log. Each item keeps the cell it came from, so a
confidentiality stop can name it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from xlsrc import layout
from xlsrc.money import to_decimal

from .source import WorkbookSource
from .source import clean as _clean


@dataclass(frozen=True)
class Text:
    """A piece of free text and where it lives ("AnnexA!G7")."""

    value: str
    where: str


@dataclass(frozen=True)
class AnnexARow:
    area: str
    outcome: str
    measure: str
    measure_text: str
    evidence: Text | None
    next_steps: Text | None
    ratings: dict[str, str] = field(default_factory=dict)  # "Oct 2023" -> "Green"


@dataclass(frozen=True)
class EHCPMonth:
    month: dt.date
    area: str
    issued: int | None
    within_20_weeks: int | None
    trajectory: object  # a ratio (0.55) or None
    note: Text | None


@dataclass(frozen=True)
class SEN2Year:
    year: int
    area: str
    pct: object
    published: str


@dataclass(frozen=True)
class Recommendation:
    month: dt.date
    area: str
    recommendation: str | None
    reason: Text | None


@dataclass(frozen=True)
class Risk:
    id: str
    description: Text | None
    area: str
    outcome: str
    likelihood: object
    impact: object
    owner: str
    mitigation: Text | None
    escalate: bool
    status: str

    @property
    def score(self) -> int | None:
        if isinstance(self.likelihood, int | float) and isinstance(self.impact, int | float):
            return int(self.likelihood) * int(self.impact)
        return None


@dataclass(frozen=True)
class AuditRow:
    row: int
    when: str
    action: str
    month: str
    version: int | None
    rows: int | None
    net: object
    fingerprint: str
    details: str = ""


def _table(
    book: WorkbookSource, name: str
) -> tuple[str, list[dict[str, object]], list[int], list[str]]:
    headers, data, first = book.table(name)
    sheet = next((s for s, t in _TABLE_SHEETS.items() if t == name), name)
    rows = [{h: _clean(v) for h, v in zip(headers, r, strict=True)} for r in data]
    return sheet, rows, [first + i for i in range(len(data))], headers


_TABLE_SHEETS = {
    layout.ANNEXA: layout.ANNEXA_TABLE,
    layout.RISKS: layout.RISKS_TABLE,
    layout.VCU: layout.VCU_TABLE,
    layout.AUDIT: layout.AUDIT_TABLE,
}


def _text(
    value: object, sheet: str, row: int, headers: list[str], header: str, offset: int = 0
) -> Text | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    col = get_column_letter(headers.index(header) + 1 + offset)
    return Text(str(value), f"{sheet}!{col}{row}")


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def read_annexa(book: WorkbookSource) -> list[AnnexARow]:
    sheet, rows, numbers, headers = _table(book, layout.ANNEXA_TABLE)
    fixed = layout.ANNEXA_FIXED
    months = headers[len(fixed) :]
    out = []
    for values, r in zip(rows, numbers, strict=True):
        out.append(
            AnnexARow(
                area=str(values[fixed[0]]),
                outcome=str(values[fixed[1]]),
                measure=str(values[fixed[4]]),
                measure_text=str(values[fixed[5]]),
                evidence=_text(values[fixed[6]], sheet, r, headers, fixed[6]),
                next_steps=_text(values[fixed[7]], sheet, r, headers, fixed[7]),
                ratings={m: str(values[m]) for m in months if values[m]},
            )
        )
    return out


def read_ehcp(book: WorkbookSource) -> list[EHCPMonth]:
    _, rows, numbers, headers = _table(book, layout.EHCP_TABLE)
    out = []
    for values, r in zip(rows, numbers, strict=True):
        month = _date(values["Month"])
        if month is None:
            continue
        out.append(
            EHCPMonth(
                month=month,
                area=str(values["Area"]),
                issued=_int(values["New EHC plans issued"]),
                within_20_weeks=_int(values["Issued within 20 weeks"]),
                trajectory=values["Trajectory %"],
                note=_text(values["Source / note"], layout.EHCP, r, headers, "Source / note"),
            )
        )
    return out


def read_sen2(book: WorkbookSource) -> list[SEN2Year]:
    _, data, _ = book.table(layout.SEN2_TABLE)
    out = []
    for raw in data:
        values = [_clean(v) for v in raw]
        if _int(values[0]) is None or values[2] is None:
            continue
        out.append(SEN2Year(int(values[0]), str(values[1]), values[2], str(values[3] or "")))
    return out


def read_recommendations(book: WorkbookSource) -> list[Recommendation]:
    sheet, rows, numbers, headers = _table(book, layout.VCU_TABLE)
    out = []
    for values, r in zip(rows, numbers, strict=True):
        month = _date(values["Month"])
        if month is None:
            continue
        out.append(
            Recommendation(
                month,
                str(values["Area"]),
                values["Recommendation"] and str(values["Recommendation"]),
                _text(values["Reason"], sheet, r, headers, "Reason"),
            )
        )
    return out


def read_risks(book: WorkbookSource) -> list[Risk]:
    sheet, rows, numbers, headers = _table(book, layout.RISKS_TABLE)
    out = []
    for values, r in zip(rows, numbers, strict=True):
        if not values["ID"] and not values["Risk"]:
            continue
        out.append(
            Risk(
                id=str(values["ID"] or f"row {r}"),
                description=_text(values["Risk"], sheet, r, headers, "Risk"),
                area=str(values["Area"] or layout.ALL_AREAS),
                outcome=str(values["Outcome"] or ""),
                likelihood=values["Likelihood (1-5)"],
                impact=values["Impact (1-5)"],
                owner=str(values["Owner (role)"] or ""),
                mitigation=_text(values["Mitigation"], sheet, r, headers, "Mitigation"),
                escalate=str(values["Escalate to VCU"] or "").lower() == "yes",
                status=str(values["Status"] or ""),
            )
        )
    return out


def read_audit(book: WorkbookSource) -> list[AuditRow]:
    _, rows, numbers, _ = _table(book, layout.AUDIT_TABLE)
    out = []
    for values, r in zip(rows, numbers, strict=True):
        if not values["Action"]:
            continue
        out.append(
            AuditRow(
                row=r,
                when=str(values["When"] or ""),
                action=str(values["Action"]),
                month=str(values["Month"] or ""),
                version=_int(values["Version"]),
                rows=_int(values["Rows"]),
                net=to_decimal(values["Net"]) if isinstance(values["Net"], int | float) else None,
                fingerprint=str(values["Fingerprint"] or ""),
                details=str(values.get("Details") or ""),
            )
        )
    return out
