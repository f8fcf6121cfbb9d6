"""The Audit table's record of who did what: the account acting, the time, and the digest
chain that makes an edited, moved or deleted row show.

Who: the account that ran the command (the OS user on the command line, Excel's user name
from a button), plus " as ROLE" when the command was given `--as ROLE`. The adapters say who
acts (`acting`); the writers read it (`who`).

The digest: sha256 over the previous row's digest and this row's own cells, shortened to
16 hex digits. It has no key: anyone with this code can compute a digest for a forged row,
so it proves that the rows are as calloff wrote them *or* were rewritten by someone who
recomputed every digest after the change; it catches an edit, a moved or deleted row (all but
the last), never a deliberate forgery. The issued return's seal, kept outside the workbook
(the Department's PDF), is what catches the last row removed.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

DIGEST_HEADER = "Digest"
DIGEST_LENGTH = 16

_ACTOR: ContextVar[str | None] = ContextVar("calloff_audit_actor", default=None)


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no user name in the environment
        return "unknown user"


def with_role(account: str, role: str | None) -> str:
    role = (role or "").strip()
    return f"{account} as {role}" if role else account


@contextmanager
def acting(who: str) -> Iterator[None]:
    """Audit rows written inside say `who` did it."""
    token = _ACTOR.set(who)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def who() -> str:
    """Who the Audit row names: as the adapter set it, or the OS user."""
    return _ACTOR.get() or os_user()


def now() -> str:
    """When, as the Audit table records it: ISO 8601 / RFC 3339, UTC, to the second.

    A space between date and time, not "T": xlwings' remote and Lite engines read text of
    the form 2024-03-31T09:30:00Z back as a date-time, and the row must read the same
    everywhere (its digest covers it)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _cell_text(value: object) -> str:
    """A cell as the digest sees it: the same whether written by openpyxl or Excel and read
    back by either (a whole float is its integer; a midnight datetime its date)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def row_digest(previous: str, cells: Sequence[object]) -> str:
    """The digest of a row: the previous row's digest and this row's cells (not its own
    Digest cell)."""
    text = "\x1f".join([previous.strip(), *(_cell_text(c) for c in cells)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def stamped(values: dict[str, object]) -> dict[str, object]:
    """The row with its time and who acted, unless given."""
    return {"When": now(), "Who": who(), **values}


def chained(headers: Sequence[str], previous: str, values: dict[str, object]) -> list[object]:
    """The row's cells in the table's column order, its digest in its column (if any)."""
    cells = [values.get(h) for h in headers]
    if DIGEST_HEADER in headers:
        at = headers.index(DIGEST_HEADER)
        cells[at] = row_digest(previous, digested_cells(headers, cells))
    return cells


def digested_cells(headers: Sequence[str], values: Sequence[object]) -> list[object]:
    return [v for h, v in zip(headers, values, strict=False) if h != DIGEST_HEADER]


def last_digest(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """The digest the next row chains on: the last non-blank row's (blank when none)."""
    if DIGEST_HEADER not in headers:
        return ""
    at = headers.index(DIGEST_HEADER)
    for values in reversed(rows):
        if any(_cell_text(v) for v in values):
            return _cell_text(values[at]) if at < len(values) else ""
    return ""


@dataclass(frozen=True)
class Break:
    """A row that no longer matches the chain (`index`: its place among the table's rows)."""

    index: int
    reason: str


def chain_breaks(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[Break]:
    """Rows whose digest does not match: edited, or the row before it deleted or moved.

    Rows before the first digested row are a legacy prefix (written before the chain) and
    are accepted; after it, a row without a digest is a break. Blank rows are skipped."""
    if DIGEST_HEADER not in headers:
        return []
    at = headers.index(DIGEST_HEADER)
    previous, started, out = "", False, []
    for i, values in enumerate(rows):
        if not any(_cell_text(v) for v in values):
            continue
        stored = _cell_text(values[at]) if at < len(values) else ""
        if not stored:
            if started:
                out.append(Break(i, "its Digest is missing"))
            continue
        started = True
        if stored != row_digest(previous, digested_cells(headers, values)):
            out.append(Break(i, "it was edited, or the row before it was deleted, moved or edited"))
        previous = stored
    return out
