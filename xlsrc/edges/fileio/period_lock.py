"""The period lock, checked from both sides: each issued return's Audit row and its Return
sheet carry one seal (xlsrc/core/returns/seal.py), so neither can be deleted or edited silently,
and a locked month's tracker rows cannot change under it (Days retyped as text, which the
workbook's formulas would not count; Cost overwritten).

Each finding is an error from `calloff validate` naming the month and what changed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation

from xlsrc.core.returns.issued import gone
from xlsrc.core.returns.month_fingerprint import changed_interim_returns
from xlsrc.core.returns.seal import seal_of, sheet_seal
from xlsrc.edges.fileio.progress_reader import AuditRow, read_audit
from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.model import fmt, layout
from xlsrc.model.entry import Entry, RawRow, TableShape
from xlsrc.model.errors import CalloffError
from xlsrc.model.issues import Issue
from xlsrc.model.money import line_cost, to_decimal
from xlsrc.model.rules import (
    MONTH_LOCKED_CHANGED,
    RETURN_AUDIT_CHANGED,
    RETURN_AUDIT_MISSING,
    RETURN_DELETED,
    RETURN_SHEET_CHANGED,
    issue,
)

RETURN_SHEET = re.compile(rf"^{layout.RETURN_PREFIX}(\d{{4}}-\d{{2}})(?: v(\d+))?$")
INTERIM_SHEET = re.compile(
    rf"^{layout.RETURN_PREFIX}(\d{{4}}-\d{{2}}-\d{{2}}) interim(?: v(\d+))?$"
)
_MONTH_FORMATS = ("%Y-%m", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%B %Y", "%b %Y", "%m/%Y")


def audit_month(text: str) -> dt.date | None:
    """The month an Audit row names: as calloff writes it (2024-03), or as a person may have
    retyped it (a date, "March 2024"); None when it names no month."""
    for pattern in _MONTH_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), pattern).date().replace(day=1)
        except ValueError:
            continue
    return None


def return_sheet_name(month: dt.date, version: int) -> str:
    return f"{layout.RETURN_PREFIX}{month:%Y-%m}" + ("" if version == 1 else f" v{version}")


def return_sheets(book: WorkbookSource) -> dict[str, tuple[dt.date, int]]:
    """The workbook's Return sheets: name -> (month, version)."""
    out = {}
    for name in sheet_names(book):
        found = RETURN_SHEET.match(name)
        if found:
            month = dt.datetime.strptime(found[1], "%Y-%m").date()
            out[name] = (month, int(found[2] or 1))
    return out


def sheet_names(book: WorkbookSource) -> list[str]:
    calamine = getattr(book, "calamine", None)
    if calamine is not None:
        return list(calamine.sheet_names)
    names = getattr(book, "sheet_names", None)
    return list(names()) if callable(names) else []


def period_lock_issues(
    book: WorkbookSource,
    rows: list[RawRow],
    entries: list[Entry],
    shape: TableShape | None = None,
) -> list[Issue]:
    """Every way the issued returns' lock was removed or bypassed. `shape`: the Tracker's
    shape as read (its formulas typed over); None once validate has put the formulas back,
    when the Cost values read are from before that and are not compared."""
    if layout.AUDIT_TABLE not in book.table_names:
        return []
    sheets = return_sheets(book)
    found: list[Issue] = []
    seen: set[str] = set()
    latest: dict[dt.date, tuple[int, dict[str, object] | None]] = {}
    audit = read_audit(book)
    for row in audit:
        if row.action != layout.RETURN_ISSUED:
            continue
        month = audit_month(row.month)
        if month is None:
            found.append(
                _audit(
                    row,
                    f"The Audit row of an issued return names no month ({row.month or 'blank'}"
                    "); calloff wrote it as YYYY-MM. Put it back: the Audit sheet is the record"
                    " of what was issued",
                )
            )
            continue
        version = row.version or 1
        name = return_sheet_name(month, version)
        seen.add(name)
        record = _record(row)
        found += _audit_row_checks(row, f"{month:%B %Y}", record)
        if name not in sheets:
            found.append(
                _sheet(
                    name,
                    f"The return for {month:%B %Y} (version {version}) was issued, and its"
                    f" sheet '{name}' has been deleted. The month stays locked; restore the"
                    " sheet from a backup",
                )
            )
        elif isinstance(record, dict):
            found += _sheet_checks(book, name, f"{month:%B %Y}", record)
        if month not in latest or version >= latest[month][0]:
            latest[month] = (version, record if isinstance(record, dict) else None)
    for name, (month, version) in sorted(sheets.items()):
        if name not in seen:
            found.append(
                issue(
                    RETURN_AUDIT_MISSING,
                    layout.AUDIT,
                    0,
                    "Action",
                    name,
                    f"The sheet '{name}' is an issued return for {month:%B %Y} (version"
                    f" {version}), and its Audit row has been deleted or cleared. The month"
                    " stays locked; restore the Audit row from a backup",
                )
            )
    for month, (_version, record) in sorted(latest.items()):
        found += _locked_rows(book, rows, entries, month, record, shape)
    found += _interim_records(book, audit)
    found += _deleted(book, audit, sheets)
    return found + changed_interim_returns(entries, _interims(audit), frozenset(latest))


def _deleted(
    book: WorkbookSource, audit: list[AuditRow], sheets: dict[str, tuple[dt.date, int]]
) -> list[Issue]:
    """Returns a later return's record names as issued, no longer in the workbook."""
    kept = {(f"{m:%Y-%m}", v) for m, v in sheets.values()}
    for name in sheet_names(book):
        if found_name := INTERIM_SHEET.match(name):
            kept.add((found_name[1], int(found_name[2] or 1)))
    return [
        issue(
            RETURN_DELETED,
            layout.AUDIT,
            g.named_by.row,
            "Details",
            g.earlier.key,
            g.sentence(),
        )
        for g in gone(audit, kept)
    ]


def interim_sheet_name(as_at: dt.date, version: int) -> str:
    return f"{layout.RETURN_PREFIX}{as_at:%Y-%m-%d} interim" + (
        "" if version == 1 else f" v{version}"
    )


def _interim_records(book: WorkbookSource, audit: list[AuditRow]) -> list[Issue]:
    """An issued interim return's Audit row and sheet check each other as a monthly
    return's do (it locks no month: a change to its rows is a warning, see
    xlsrc/core/returns/month_fingerprint.py)."""
    sheets = {}
    for name in sheet_names(book):
        if found_name := INTERIM_SHEET.match(name):
            sheets[name] = (dt.date.fromisoformat(found_name[1]), int(found_name[2] or 1))
    found: list[Issue] = []
    seen: set[str] = set()
    for row in audit:
        if row.action != layout.INTERIM_ISSUED:
            continue
        as_at = _iso_date(row.month)
        if as_at is None:
            found.append(
                _audit(
                    row,
                    "The Audit row of an issued interim return names no date"
                    f" ({row.month or 'blank'}); calloff wrote it as YYYY-MM-DD. Put it back:"
                    " the Audit sheet is the record of what was issued",
                )
            )
            continue
        version = row.version or 1
        name = interim_sheet_name(as_at, version)
        seen.add(name)
        label = f"{fmt.day(as_at)} (interim)"
        record = _record(row)
        found += _audit_row_checks(row, label, record)
        if name not in sheets:
            found.append(
                _sheet(
                    name,
                    f"The interim return as at {fmt.day(as_at)} (version {version}) was issued,"
                    f" and its sheet '{name}' has been deleted. Restore the sheet from a backup",
                )
            )
        elif isinstance(record, dict):
            found += _sheet_checks(book, name, label, record)
    for name, (as_at, version) in sorted(sheets.items()):
        if name not in seen:
            found.append(
                issue(
                    RETURN_AUDIT_MISSING,
                    layout.AUDIT,
                    0,
                    "Action",
                    name,
                    f"The sheet '{name}' is an issued interim return as at {fmt.day(as_at)}"
                    f" (version {version}), and its Audit row has been deleted or cleared."
                    " Restore the Audit row from a backup",
                )
            )
    return found


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _interims(audit: list[AuditRow]) -> dict[dt.date, tuple[int, str]]:
    """The latest version of each issued interim return: its date -> (version, fingerprint)."""
    latest: dict[dt.date, tuple[int, str]] = {}
    for row in audit:
        if row.action != layout.INTERIM_ISSUED:
            continue
        as_at = _iso_date(row.month)
        if as_at is None:
            continue  # a date no longer readable: reported by _interim_records
        version = row.version or 1
        if as_at not in latest or version >= latest[as_at][0]:
            latest[as_at] = (version, row.fingerprint)
    return latest


def _record(row: AuditRow) -> dict[str, object] | str | None:
    """The record on the Audit row (None for a return issued before seals; a str when the
    Details cell no longer holds one)."""
    if not row.details:
        return None
    try:
        record = json.loads(row.details)
    except json.JSONDecodeError:
        return "damaged"
    return record if isinstance(record, dict) and "seal" in record else "damaged"


def _audit_row_checks(row: AuditRow, label: str, record: object) -> list[Issue]:
    """`label` names the return: its month ("March 2024"), or an interim return's date."""
    if record is None:
        return []
    what = f"The Audit row of the return for {label}"
    if not isinstance(record, dict) or seal_of(record) != record.get("seal"):
        return [_audit(row, f"{what} has been edited: its record no longer matches its seal")]
    typed = {
        "Month": (row.month, record.get("month")),
        "Version": (row.version, record.get("version")),
        "Rows": (row.rows, record.get("rows")),
        "Fingerprint": (row.fingerprint, record.get("entries")),
        "Net": (row.net, _decimal(record.get("net"))),
    }
    changed = [name for name, (now, then) in typed.items() if now != then]
    if changed:
        return [
            _audit(
                row,
                f"{what} has been edited: {', '.join(changed)} no longer as issued"
                f" ({'; '.join(f'{n} was {typed[n][1]}' for n in changed)}). Put it back",
                column=changed[0],
            )
        ]
    return []


def _sheet_checks(
    book: WorkbookSource, name: str, label: str, record: dict[str, object]
) -> list[Issue]:
    try:
        seal, numbers = sheet_seal(book.grid(name))
    except CalloffError:
        return []
    if seal != record.get("seal"):
        why = "its seal line is gone" if seal is None else "its seal differs from the Audit row's"
        return [
            _sheet(
                name,
                f"The return sheet '{name}' for {label} has been edited: {why}."
                " Restore the sheet from a backup, or issue a corrected return with --reissue",
            )
        ]
    if numbers != record.get("sheet"):
        return [
            _sheet(
                name,
                f"The figures on the return sheet '{name}' for {label} have been"
                " edited since it was issued. Restore the sheet from a backup, or issue a"
                " corrected return with --reissue",
            )
        ]
    return []


def _locked_rows(
    book: WorkbookSource,
    rows: list[RawRow],
    entries: list[Entry],
    month: dt.date,
    record: dict[str, object] | None,
    shape: TableShape | None,
) -> list[Issue]:
    """A locked month's rows as the workbook's formulas see them: Days a number, Cost the
    formula's (a blank cache, or days × the rate the return used)."""
    found = []
    for r in rows:  # Days as text: a row the formulas no longer count, so not in `entries`
        date, days = r.values.get("Date"), r.values.get("Days")
        if isinstance(date, dt.date) and date.replace(day=1) == month and isinstance(days, str):
            found.append(
                issue(
                    MONTH_LOCKED_CHANGED,
                    layout.TRACKER,
                    r.row,
                    "Days",
                    days,
                    f"{month:%B %Y} is locked (its return was issued) and Days here is text"
                    f" ({days!r}), which the workbook's formulas do not count. Type it back as"
                    " a number",
                )
            )
    mine = [e for e in entries if e.date.replace(day=1) == month]
    if not mine:
        return found
    rate = _decimal(record.get("day_rate")) if record else None
    costs = _costs(book)
    no_formula = (
        {row for row, column, _ in shape.overwritten if column == "Cost"} if shape else set()
    )
    for e in mine:
        cost = costs.get(e.row, "")
        if e.row in no_formula:
            found.append(
                _row(
                    e,
                    "Cost",
                    cost,
                    f"{month:%B %Y} is locked (its return was issued) and the Cost formula"
                    f" here has been {'cleared' if cost in ('', None) else 'overwritten'};"
                    " the workbook's totals would no longer count this row as returned. Run"
                    " calloff validate (it puts the formula back), or copy the Cost cell of"
                    " another row over it",
                )
            )
            continue
        if rate is None or cost in ("", None) or shape is None:
            continue
        try:
            ok = to_decimal(cost) == line_cost(e.days, rate)
        except (InvalidOperation, TypeError, ValueError):
            ok = False
        if not ok:
            found.append(
                _row(
                    e,
                    "Cost",
                    cost,
                    f"{month:%B %Y} is locked (its return was issued) and Cost here has been"
                    f" overwritten with {cost!r}; it is days × the day rate"
                    f" ({line_cost(e.days, rate)}). Put the formula back (copy it from the row"
                    " above)",
                )
            )
    return found


def _costs(book: WorkbookSource) -> dict[int, object]:
    try:
        headers, data, first = book.table(layout.TRACKER_TABLE)
    except CalloffError:
        return {}
    if "Cost" not in headers:
        return {}
    at = headers.index("Cost")
    return {first + n: r[at] for n, r in enumerate(data) if at < len(r)}


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


def _audit(row: AuditRow, message: str, column: str = "Month") -> Issue:
    return issue(RETURN_AUDIT_CHANGED, layout.AUDIT, row.row, column, row.month, message)


def _sheet(name: str, message: str) -> Issue:
    return issue(RETURN_SHEET_CHANGED, name, 0, "", name, message)


def _row(e: Entry, column: str, value: object, message: str) -> Issue:
    return issue(MONTH_LOCKED_CHANGED, layout.TRACKER, e.row, column, value, message)


def one_per_cell(lock: list[Issue], others: list[Issue]) -> list[Issue]:
    """`others` less those at a cell a period-lock issue already reports: one mistake (a
    locked month's Cost typed over) is one issue, the lock's, which says what it breaks."""
    taken = {(i.sheet, i.row, i.column) for i in lock if i.row and i.column}
    return [i for i in others if (i.sheet, i.row, i.column) not in taken]
