"""One writer at a time: a lock file `.<name>.lock` beside the workbook.

Created with O_CREAT|O_EXCL (exactly one process wins), holding the pid, host and time. A
lock is stale, and taken over, when its process is gone (same host) or it is older than
STALE_AFTER. Every action that reads a workbook and then writes it back holds the lock
around both, so a second calloff cannot read the old rows and save over the first's.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from xlsrc.errors import WorkbookFileError

STALE_AFTER = 10 * 60  # seconds


def lock_path(workbook: Path) -> Path:
    workbook = Path(workbook)
    return workbook.with_name(f".{workbook.name}.lock")


@contextmanager
def workbook_lock(workbook: str | Path) -> Iterator[Path]:
    path = lock_path(Path(workbook))
    path.parent.mkdir(parents=True, exist_ok=True)
    for _attempt in range(2):  # a second try after removing a stale lock
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _holder(path)
            if holder is not None and not _stale(holder, path):
                raise WorkbookFileError(_busy(workbook, holder)) from None
            path.unlink(missing_ok=True)
            continue
        except OSError as exc:  # a read-only folder, a full disk
            raise WorkbookFileError(
                f"{workbook}: cannot create its lock file {path} ({exc.strerror or exc});"
                " is the folder read-only?"
            ) from None
        break
    else:
        raise WorkbookFileError(f"{workbook}: cannot take its lock file {path}; try again")
    me = {"pid": os.getpid(), "host": socket.gethostname(), "time": time.time()}
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(me, handle)
    try:
        yield path
    finally:
        if _holder(path) == me:
            path.unlink(missing_ok=True)


def _holder(path: Path) -> dict[str, object] | None:
    """What the lock file says; None when it is gone; {} when unreadable (being written)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        data = {}
    return data if isinstance(data, dict) else {}


def _stale(holder: dict[str, object], path: Path) -> bool:
    try:
        since = float(holder.get("time") or path.stat().st_mtime)  # type: ignore[arg-type]
    except (OSError, TypeError, ValueError):
        return True
    if time.time() - since > STALE_AFTER:
        return True
    pid = holder.get("pid")
    if holder.get("host") == socket.gethostname() and isinstance(pid, int) and os.name != "nt":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False
    return False


def _busy(workbook: str | Path, holder: dict[str, object]) -> str:
    pid = holder.get("pid", "?")
    host = holder.get("host")
    try:
        since = dt.datetime.fromtimestamp(float(holder["time"])).strftime("%H:%M:%S")  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        since = "just now"
    where = f"pid {pid}" + (f" on {host}" if host and host != socket.gethostname() else "")
    return f"{workbook}: is being changed by another calloff ({where}) since {since}; try again"
