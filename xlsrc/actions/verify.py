"""calloff verify: does the workbook still hold an issued return, unchanged?

The Department keeps the return as printed; every page's footer carries its seal (the
return's key and version, the day issued, and the first 16 hex digits of the seal over its
record, which covers its figures, the returns issued before it and the Audit record's head).
Given that seal (typed, or read from the PDF), this finds the Audit row whose sealed record
has it and asks validate whether anything it stands on has changed since: the row, its sheet,
the Audit chain up to it, the month's rows, the contract facts it used. A return deleted with
its Audit row (even the last one, which no later return names) is found missing here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xlsrc.core.returns.issued import day, label, sealed
from xlsrc.core.returns.seal import PrintedSeal, read_printed_seal, short_seal
from xlsrc.model import layout
from xlsrc.model.errors import UserDataError
from xlsrc.model.issues import Issue
from xlsrc.model.rules import AUDIT_CHAIN_BROKEN, RETURN_DELETED


@dataclass(frozen=True)
class Verified:
    workbook: Path
    seal: str
    month: str
    version: int
    audit_row: int
    sheet: str
    issued_on: str

    @property
    def has_problems(self) -> bool:
        return False

    def to_text(self) -> str:
        return (
            f"{self.workbook}: holds the return for {label(self.month)} (version"
            f" {self.version}) issued on {day(self.issued_on)}, unchanged: seal {self.seal}"
            f" matches Audit row {self.audit_row} and the sheet '{self.sheet}'."
        )

    def to_json(self) -> dict[str, object]:
        return {
            "workbook": str(self.workbook),
            "seal": self.seal,
            "month": self.month,
            "version": self.version,
            "issued_on": self.issued_on,
            "audit_row": self.audit_row,
            "sheet": self.sheet,
            "holds": True,
        }


def printed_seal(seal: str | None, pdf: Path | None) -> PrintedSeal:
    """The seal given, or the one every page of the PDF carries."""
    if pdf is not None:
        from xlsrc.edges.libreoffice.pdf_check import pages

        if not pdf.is_file():
            raise UserDataError(f"{pdf}: no such file")
        texts = [p.text for p in pages(pdf)]
        found = [read_printed_seal(t) for t in texts]
        if not texts or found[0] is None or found[0].key is None:
            raise UserDataError(
                f"{pdf}: no calloff seal on its first page; it is not an issued return printed"
                " by calloff (a draft has none)"
            )
        unsealed = [n for n, f in enumerate(found, start=1) if f != found[0]]
        if unsealed:
            raise UserDataError(
                f"{pdf}: page(s) {', '.join(map(str, unsealed))} do not carry the first page's"
                " seal: the PDF is not one issued return as printed"
            )
        return found[0]
    got = read_printed_seal(seal or "")
    if got is None:
        raise UserDataError(
            f"--seal {seal!r}: no seal in it; give the footer's line (Seal 2024-03 v1 issued"
            " 2024-04-07 0123456789abcdef) or its 16 hex digits"
        )
    return got


def verify(
    path: Path, seal: str | None, pdf: Path | None, today: dt.date | None = None
) -> Verified:
    """The return sealed `seal` as this workbook holds it; UserDataError (a sentence)
    when it no longer holds it unchanged."""
    from xlsrc.actions.validate import validate_workbook
    from xlsrc.actions.workbook_data import load_workbook_data
    from xlsrc.edges.fileio.period_lock import interim_sheet_name, return_sheet_name

    wanted = printed_seal(seal, pdf)
    audit = load_workbook_data(path).audit
    what = (
        f"the return for {label(wanted.key)} (version {wanted.version}) issued on"
        f" {day(wanted.issued_on or '')}"
        if wanted.key
        else "the return"
    )
    match = [
        (row, record)
        for row in audit
        if (record := sealed(row)) and short_seal(record.get("seal")) == wanted.short
    ]
    if not match:
        same = [
            row
            for row in audit
            if (record := sealed(row))
            and record.get("month") == wanted.key
            and record.get("version") == wanted.version
        ]
        if same:
            raise UserDataError(
                f"{path}: does not hold {what} (seal {wanted.short}) as issued: Audit row"
                f" {same[0].row} records another return for it, issued on {day(same[0].when)}."
                " The one printed was deleted and replaced; ask the contract manager for the"
                " workbook from a backup in calloff-backups/"
            )
        raise UserDataError(
            f"{path}: does not hold {what} (seal {wanted.short}): no Audit row records it,"
            " so its sheet and Audit row have been deleted (or edited beyond recognition), or"
            " it was issued from another workbook. Ask the contract manager for the workbook"
            " from a backup in calloff-backups/"
        )
    row, record = match[-1]
    key, version = str(record.get("month")), int(str(record.get("version") or 1))
    sheet = (
        return_sheet_name(dt.date.fromisoformat(key + "-01"), version)
        if len(key) == 7
        else interim_sheet_name(dt.date.fromisoformat(key), version)
    )
    report = validate_workbook(path, today=today, write=False)
    name = label(key)

    def stands_on(i: Issue) -> bool:
        if i.code == RETURN_DELETED.code:  # at the later return naming it: this one's if named
            return i.value == key
        return (
            i.sheet == sheet
            or (i.sheet == layout.AUDIT and i.row == row.row)
            or (i.code == AUDIT_CHAIN_BROKEN.code and i.row <= row.row)
            or name in i.message
        )

    broken = [i for i in report.errors if stands_on(i)]
    issued_on = str(record.get("issued_on") or row.when[:10])
    if broken:
        first = broken[0]
        more = f" (and {len(broken) - 1} more: calloff validate lists them)" if broken[1:] else ""
        raise UserDataError(
            f"{path}: no longer holds the return for {name} (version {version}) issued on"
            f" {day(issued_on)} unchanged (seal {wanted.short}): at {first.where},"
            f" {first.message}{more}"
        )
    return Verified(path, wanted.short, key, version, row.row, sheet, issued_on)
