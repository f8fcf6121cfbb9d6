"""The monthly-reporting inputs as plain data: AnnexA ratings, EHCP figures, SEN2, VCU
recommendations, risks and the Audit log. Each item keeps the cell it came from, so a
confidentiality stop can name it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xlsrc.core.returns.rollup import rating
from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.edges.fileio.source import clean as _clean
from xlsrc.model import layout
from xlsrc.model.entry import TableRow, check_widths
from xlsrc.model.money import to_decimal
from xlsrc.model.records import (
    AnnexARow,
    AreaReport,
    Ask,
    AuditRow,
    EHCPMonth,
    EvidenceRow,
    KeyDate,
    PlanItem,
    Recommendation,
    Risk,
    SEN2Year,
    SignOff,
    Text,
)
from xlsrc.model.writes import column_letter


def _table(
    book: WorkbookSource, name: str
) -> tuple[str, list[dict[str, object]], list[int], list[str]]:
    headers, data, first = book.table(name)
    sheet = _SHEET_OF.get(name, name)
    where = f"{book.path}, {sheet} sheet"
    check_widths(
        where, name, headers, data, layout.AUDIT_HEADERS if name == layout.AUDIT_TABLE else ()
    )
    rows: list[dict[str, object]] = [
        TableRow(where, name, ((h, _clean(v)) for h, v in zip(headers, r, strict=True)))
        for r in data
    ]
    return sheet, rows, [first + i for i in range(len(data))], headers


_SHEET_OF = {  # table -> the sheet it is on (for messages naming a cell)
    layout.ANNEXA_TABLE: layout.ANNEXA,
    layout.RISKS_TABLE: layout.RISKS,
    layout.VCU_TABLE: layout.VCU,
    layout.AUDIT_TABLE: layout.AUDIT,
    layout.EHCP_TABLE: layout.EHCP,
    layout.EVIDENCE_TABLE: layout.EVIDENCE,
    layout.PLANS_TABLE: layout.PLANS,
    layout.AREA_REPORT_TABLE: layout.REPORT,
    layout.KEY_DATES_TABLE: layout.REPORT,
    layout.ASKS_TABLE: layout.REPORT,
    layout.SIGNOFF_TABLE: layout.REPORT,
}


def _text(
    value: object, sheet: str, row: int, headers: list[str], header: str, offset: int = 0
) -> Text | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    col = column_letter(headers.index(header) + 1 + offset)
    return Text(str(value), f"{sheet}!{col}{row}")


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def read_annexa(book: WorkbookSource) -> list[AnnexARow]:
    _, rows, _, headers = _table(book, layout.ANNEXA_TABLE)
    fixed = layout.ANNEXA_FIXED
    months = headers[len(fixed) :]
    out = []
    for values in rows:
        out.append(
            AnnexARow(
                area=str(values[fixed[0]]),
                outcome=str(values[fixed[1]]),
                measure=str(values[fixed[4]]),
                measure_text=str(values[fixed[5]]),
                # Red, Amber or Green in any case, as the roll-up formulas read it; any other
                # text counts nowhere (calloff validate names its cell).
                ratings={m: r for m in months if (r := rating(values[m]))},
            )
        )
    return out


def read_evidence(book: WorkbookSource) -> list[EvidenceRow]:
    if layout.EVIDENCE_TABLE not in book.table_names:
        return []
    sheet, rows, numbers, headers = _table(book, layout.EVIDENCE_TABLE)
    out = []
    for values, r in zip(rows, numbers, strict=True):
        month = _date(values["Month"])
        evidence = _text(values["Evidence"], sheet, r, headers, "Evidence")
        steps = _text(values["Agreed next steps"], sheet, r, headers, "Agreed next steps")
        if month is None or not (evidence or steps):
            continue
        out.append(
            EvidenceRow(
                month=month.replace(day=1),
                area=str(values["Area"] or ""),
                outcome=str(values["Outcome"] or ""),
                measure=str(values["Measure"] or ""),
                evidence=evidence,
                next_steps=steps,
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
    headers, data, _ = book.table(layout.SEN2_TABLE)
    out = []
    for raw in data:
        values = dict(zip(headers, (_clean(v) for v in raw), strict=True))
        year, pct = _int(values[headers[0]]), values[headers[2]]
        if year is None or pct is None:
            continue
        out.append(
            SEN2Year(
                year,
                str(values[headers[1]]),
                pct,
                str(values.get("Source / note") or values.get("Published") or ""),
                _date(values.get("Published on")),
            )
        )
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
                str(values["Recommendation"]) if values["Recommendation"] else None,
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
                raised=_date(values.get("Raised")),
                reviewed=_date(values.get("Last reviewed")),
                row=r,
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
                digest=_str(values.get("Digest")),
            )
        )
    return out


def _optional_table(
    book: WorkbookSource, name: str
) -> tuple[str, list[dict[str, object]], list[int], list[str]] | None:
    if name not in book.table_names:
        return None
    return _table(book, name)


def _days(value: object) -> Decimal | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return to_decimal(value)
    return None


def _str(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def read_plans(book: WorkbookSource) -> list[PlanItem]:
    found = _optional_table(book, layout.PLANS_TABLE)
    if found is None:
        return []
    sheet, rows, numbers, headers = found
    out = []
    for values, r in zip(rows, numbers, strict=True):
        action = _text(values["Action or milestone"], sheet, r, headers, "Action or milestone")
        if action is None:
            continue
        out.append(
            PlanItem(
                area=_str(values["Area"]),
                plan=_str(values["Plan"]),
                action=action,
                due=_date(values["Due"]),
                status=_str(values["Status"]),
                completed=_date(values["Completed on"]),
                evidence=_text(
                    values["Evidence / trajectory"], sheet, r, headers, "Evidence / trajectory"
                ),
            )
        )
    return out


ACKNOWLEDGED = "Contradiction acknowledged"


def read_area_reports(book: WorkbookSource) -> list[AreaReport]:
    found = _optional_table(book, layout.AREA_REPORT_TABLE)
    if found is None:
        return []
    sheet, rows, numbers, headers = found
    out = []
    for values, r in zip(rows, numbers, strict=True):
        month = _date(values["Month"])
        if month is None:
            continue

        def text(header: str, values: dict[str, object] = values, r: int = r) -> Text | None:
            return _text(values[header], sheet, r, headers, header)

        out.append(
            AreaReport(
                month=month.replace(day=1),
                area=_str(values["Area"]),
                judgement=text("Summary judgement"),
                narrative=text("Narrative"),
                dbv=text("DBV / Safety Valve liaison"),
                days_next_month=_days(values["Days planned next month"]),
                acknowledged=(
                    text(ACKNOWLEDGED) if ACKNOWLEDGED in values else None
                ),  # workbooks built before the column have none
            )
        )
    return out


def read_key_dates(book: WorkbookSource) -> list[KeyDate]:
    found = _optional_table(book, layout.KEY_DATES_TABLE)
    if found is None:
        return []
    sheet, rows, numbers, headers = found
    out = []
    for values, r in zip(rows, numbers, strict=True):
        month = _date(values["Return month"])
        if month is None:
            continue
        out.append(
            KeyDate(
                month=month.replace(day=1),
                area=_str(values["Area"]) or layout.ALL_AREAS,
                date=_date(values["Date"]),
                event=_str(values["Event"]),
                activity=_text(values["Planned activity"], sheet, r, headers, "Planned activity"),
                days=_days(values["Days planned"]),
            )
        )
    return out


def read_asks(book: WorkbookSource) -> list[Ask]:
    found = _optional_table(book, layout.ASKS_TABLE)
    if found is None:
        return []
    sheet, rows, numbers, headers = found
    header = "Escalation or ask of the Department"
    out = []
    for values, r in zip(rows, numbers, strict=True):
        text = _text(values[header], sheet, r, headers, header)
        if text is None:
            continue
        out.append(
            Ask(
                raised=_date(values["Raised"]),
                area=_str(values["Area"]) or layout.ALL_AREAS,
                text=text,
                owner=_str(values["Owner (role)"]),
                status=_str(values["Status"]) or "Open",
                resolved=_date(values["Resolved on"]),
            )
        )
    return out


def read_signoffs(book: WorkbookSource) -> list[SignOff]:
    found = _optional_table(book, layout.SIGNOFF_TABLE)
    if found is None:
        return []
    _, rows, numbers, _ = found
    out = []
    for values, r in zip(rows, numbers, strict=True):
        month = _date(values["Month"])
        if month is None:
            continue
        out.append(
            SignOff(
                row=r,
                month=month.replace(day=1),
                prepared_by=_str(values["Prepared by (role)"]),
                prepared_on=_date(values["Prepared on"]),
                approved_by=_str(values["Approved by (role)"]),
                approved_on=_date(values["Approved on"]),
                invoice=_str(values["Invoice number"]),
                purchase_order=_str(values["Purchase order number"]),
            )
        )
    return out
