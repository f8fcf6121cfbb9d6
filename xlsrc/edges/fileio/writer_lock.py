"""One writer at a time: a lock file `.<name>.lock` beside the workbook.

The lock is for the file really changed: a symbolic link is followed first, so a link and
its target share one lock. The lock file is written complete beside it and then hard-linked
into place (exactly one process wins, and no one ever reads a half-written lock), holding the
pid, the process's start time, the host, the user and the time.

A lock is never taken over while its process may still be running, however slow it is: it
is taken over only when it is on this host and its process has gone (the pid is not running,
or is now a different process: its start time differs). A lock from another host, or one
that cannot be read, stays until `calloff unlock WORKBOOK` clears it deliberately.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from xlsrc.edges.fileio.atomic import check_writable, real_target
from xlsrc.model.errors import WorkbookFileError


def lock_path(workbook: str | Path) -> Path:
    real = real_target(workbook)
    return real.with_name(f".{real.name}.lock")


@dataclass(frozen=True)
class Holder:
    """What a lock file says about the process that holds it."""

    data: dict[str, object]

    @property
    def pid(self) -> int | None:
        pid = self.data.get("pid")
        ok = isinstance(pid, int) and not isinstance(pid, bool) and 0 < pid < 2**31
        return pid if ok else None  # type: ignore[return-value]

    @property
    def host(self) -> str:
        return str(self.data.get("host") or "")

    @property
    def here(self) -> bool:
        return self.host == socket.gethostname()

    def alive(self) -> bool:
        """True unless this lock's process has certainly gone (only knowable on this host)."""
        if not self.here or self.pid is None or os.name == "nt":
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            pass  # running, as another user
        started = self.data.get("started")
        return started is None or started == process_start(self.pid)

    def describe(self) -> str:
        user = self.data.get("user")
        who = f"pid {self.data.get('pid', '?')}" + (f" of {user}" if user else "")
        where = f" on {self.host}" if self.host and not self.here else ""
        try:
            since = dt.datetime.fromtimestamp(float(self.data["time"]))  # type: ignore[arg-type]
            when = f" since {since:%d/%m/%Y %H:%M:%S}"
        except (KeyError, TypeError, ValueError, OverflowError, OSError):
            when = ""
        return f"{who}{where}{when}"


def process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), else None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[-1].split()[19]


@contextmanager
def workbook_lock(workbook: str | Path) -> Iterator[Path]:
    """Hold the workbook's lock; a workbook that cannot be replaced (read-only, a folder)
    is refused first, before any work is done under the lock."""
    if os.path.lexists(workbook):
        check_writable(workbook)
    path = lock_path(workbook)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_create(workbook, path, exc) from None
    me = {
        "pid": os.getpid(),
        "started": process_start(os.getpid()),
        "host": socket.gethostname(),
        "user": _user(),
        "time": time.time(),
    }
    for _attempt in range(3):  # again after removing a lock whose process has gone
        if _create(workbook, path, me):
            break
        holder = read_holder(path, workbook)
        if holder is None:
            continue  # released meanwhile
        if holder.alive():
            raise WorkbookFileError(_busy(workbook, holder)) from None
        _remove_if_same(path, holder)
    else:
        raise WorkbookFileError(f"{workbook}: cannot take its lock file {path}; try again")
    try:
        yield path
    finally:
        with contextlib.suppress(WorkbookFileError):
            held = read_holder(path)
            if held is not None and held.data == me:
                path.unlink(missing_ok=True)


def _create(workbook: str | Path, path: Path, me: Mapping[str, object]) -> bool:
    """Write the lock complete beside `path`, then link it into place: False if taken."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".new", dir=path.parent)
    except OSError as exc:  # a read-only folder, a full disk
        raise _cannot_create(workbook, path, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(me, handle)
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links here: create exclusively, then write
            return _create_exclusive(workbook, path, me)
        return True
    except OSError as exc:
        raise _cannot_create(workbook, path, exc) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _create_exclusive(workbook: str | Path, path: Path, me: Mapping[str, object]) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    except OSError as exc:
        raise _cannot_create(workbook, path, exc) from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(me, handle)
    return True


def _cannot_create(workbook: str | Path, path: Path, exc: OSError) -> WorkbookFileError:
    return WorkbookFileError(
        f"{workbook}: cannot create its lock file {path} ({exc.strerror or exc});"
        " is the folder read-only, or the disk full?"
    )


MAX_LOCK_BYTES = 64 * 1024  # a lock calloff writes is a few hundred bytes


def read_holder(path: Path, workbook: str | Path | None = None) -> Holder | None:
    """What the lock file says; None when there is none. An unreadable lock (damaged, or
    written by an older calloff) counts as held: only `calloff unlock` removes it.

    Only a regular file is a lock: a folder, FIFO, device or symbolic link at the lock's path
    is refused at once (a FIFO is never opened, so nothing can make calloff wait on it)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError:
        return Holder({})
    if not stat.S_ISREG(mode):
        raise WorkbookFileError(_not_a_lock(workbook or path, path, mode))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError:
        return Holder({})
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between the two looks
            raise WorkbookFileError(_not_a_lock(workbook or path, path, os.fstat(fd).st_mode))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_LOCK_BYTES + 1)
    except OSError:
        return Holder({})
    finally:
        os.close(fd)
    try:
        data = json.loads(raw.decode("utf-8") or "{}") if len(raw) <= MAX_LOCK_BYTES else {}
    except (ValueError, RecursionError):
        data = {}
    return Holder(data if isinstance(data, dict) else {})


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file"


def _not_a_lock(workbook: str | Path, path: Path, mode: int) -> str:
    return (
        f"{workbook}: its lock file {path} is {_kind(mode)}, not a lock calloff made;"
        f" remove it (calloff unlock {workbook}) and try again"
    )


def _remove_if_same(path: Path, holder: Holder) -> None:
    """Remove a dead process's lock, unless another process replaced it meanwhile: moved
    aside in one step, then checked; a live lock moved by mistake is linked back."""
    aside = path.with_name(f"{path.name}.{os.getpid()}.stale")
    try:
        os.replace(path, aside)
    except OSError:
        return
    try:
        moved = read_holder(aside)
    except WorkbookFileError:
        moved = None
    if moved is not None and moved.data != holder.data:
        with contextlib.suppress(OSError):
            os.link(aside, path)
    aside.unlink(missing_ok=True)


def _busy(workbook: str | Path, holder: Holder) -> str:
    return (
        f"{workbook}: is being changed by another calloff ({holder.describe()}); try again"
        " when it has finished. If no calloff is running, clear it: calloff unlock "
        f"{workbook}"
    )


def unlock(workbook: str | Path, *, force: bool = False) -> str | None:
    """Remove the workbook's lock; say whose it was (None when it was not locked).

    A lock whose process is still running on this host is only removed with `force`.
    """
    path = lock_path(workbook)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WorkbookFileError(
            f"{workbook}: cannot look at its lock file {path} ({exc.strerror or exc})"
        ) from None
    if not stat.S_ISREG(mode):
        return _remove_odd(workbook, path, mode)
    holder = read_holder(path, workbook)
    if holder is None:
        return None
    running = holder.here and holder.pid is not None and holder.alive()
    if running and not force:
        raise WorkbookFileError(
            f"{workbook}: is locked by a calloff that is still running ({holder.describe()});"
            " wait for it, or stop it first (unlock --force removes the lock anyway)"
        )
    try:
        path.unlink()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WorkbookFileError(
            f"{workbook}: cannot remove its lock file {path} ({exc.strerror or exc})"
        ) from None
    state = " (still running)" if running else ""
    return f"{holder.describe() or 'an unreadable lock'}{state}"


def _remove_odd(workbook: str | Path, path: Path, mode: int) -> str:
    """Remove what sits at the lock's path but is no lock: a link (never what it points to),
    a FIFO, a socket, an empty folder. A folder with files in it is left for a person."""
    try:
        if stat.S_ISDIR(mode):
            os.rmdir(path)
        else:
            os.unlink(path)
    except OSError as exc:
        if stat.S_ISDIR(mode):
            raise WorkbookFileError(
                f"{workbook}: its lock file {path} is a folder with files in it; calloff does"
                " not delete them: move them elsewhere and remove the folder"
            ) from None
        raise WorkbookFileError(
            f"{workbook}: cannot remove its lock file {path} ({exc.strerror or exc})"
        ) from None
    return f"{_kind(mode)} that was in the lock's place"


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid (containers)
        return str(os.getuid()) if hasattr(os, "getuid") else ""
