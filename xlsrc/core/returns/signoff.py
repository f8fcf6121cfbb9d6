"""Prepared -> approved -> issued: what a return's sign-off must hold before it is issued.

A return is issued (its sheet written, its month locked, its Audit row) only when the Report
sheet's SignOff row for its month says who prepared it and when, who approved it and when, by
roles holding those powers under the terms (xlsrc.model.terms.authority), prepared on or after
the day the return speaks for (its month's end; an interim return's date) and approved on or
after it was prepared. `missing` lists what is not so, one line each, saying what to do; an
empty list means the return may be issued. The code holds no role of its own: the terms do.
"""

from __future__ import annotations

import datetime as dt

from xlsrc.model import fmt, layout
from xlsrc.model.errors import UserDataError
from xlsrc.model.records import SignOff
from xlsrc.model.terms.authority import Terms, holders, refusal, role_may

PREPARE, APPROVE = "prepare-return", "approve-return"


class NotSignedOff(UserDataError):
    """Refused: a return's sign-off is missing or does not hold. Exit code 1: the command ran
    and found problems; nothing was written."""

    exit_code = 1


def find(signoffs: list[SignOff], month: dt.date) -> SignOff | None:
    """The SignOff row for `month` (the last one, if the month was typed twice)."""
    rows = [s for s in signoffs if s.month == month]
    return rows[-1] if rows else None


def missing(terms: Terms, found: SignOff | None, due_from: dt.date) -> list[str]:
    """What the sign-off lacks, one line each naming its column and what to type; `due_from`:
    the earliest day it may be prepared on (the day the return speaks for)."""
    out: list[str] = []
    where = (
        f"{layout.REPORT}!row {found.row}"
        if found is not None and found.row is not None
        else f"{layout.REPORT} sheet, {layout.SIGNOFF_TABLE} table"
    )
    for column, role, power in (
        ("Prepared by (role)", found.prepared_by if found else "", PREPARE),
        ("Approved by (role)", found.approved_by if found else "", APPROVE),
    ):
        if not role:
            out.append(
                f"{where}, {column}: blank; type the role that "
                f"{'prepared' if power == PREPARE else 'approved'} it "
                f"({' or '.join(holders(terms, power)) or 'none holds the power'})"
            )
        elif not role_may(terms, role, power):
            out.append(f"{where}, {column}: {refusal(terms, role, power)}")
    prepared = found.prepared_on if found else None
    approved = found.approved_on if found else None
    if prepared is None:
        out.append(
            f"{where}, Prepared on: blank; type the date it was prepared "
            f"(on or after {fmt.day(due_from)})"
        )
    elif prepared < due_from:
        out.append(
            f"{where}, Prepared on: {fmt.day(prepared)} is before {fmt.day(due_from)}, the day "
            "the return speaks for; a return is prepared once its period has ended"
        )
    if approved is None:
        out.append(
            f"{where}, Approved on: blank; type the date it was approved (on or after Prepared on)"
        )
    elif prepared is not None and approved < prepared:
        out.append(
            f"{where}, Approved on: {fmt.day(approved)} is before Prepared on "
            f"({fmt.day(prepared)}); a return is approved after it is prepared"
        )
    return out


def refuse(unsigned: list[tuple[str, list[str]]], draft_hint: str) -> NotSignedOff:
    """The one refusal for every return not signed off: (what, its missing lines) each."""
    lines: list[str] = []
    for what, lacks in unsigned:
        lines.append(f"{what} is not signed off, so it is not issued:")
        lines += [f"  - {x}" for x in lacks]
    lines.append(
        "Nothing was written. Record the sign-off on the Report sheet (SignOff table), "
        f"then issue it again; {draft_hint}"
    )
    return NotSignedOff("\n".join(lines))
