"""Saving never corrupts and never loses: write beside the target, flush to disk, keep the
previous version as a time-named backup, then replace in one step.

- A symbolic link is followed: the file it points to is replaced, in its own folder, and the
  link stays a link (`real_target`).
- A read-only file, or something that is not a regular file (a folder, a FIFO, a device), is
  refused before anything is written.
- The previous version becomes `calloff-backups/<name>.<UTC time>.bak` in the target's folder
  (a hard link, so no copy): one folder, out of the way of the workbooks; the newest
  KEEP_BACKUPS of each file are kept, older ones removed.
- At every instant the target is either the old or the new file, complete. A save cut short
  (power cut, kill, full disk) leaves the target untouched; a temp file
  `.<name>.<pid>.<random>.tmp` left by a killed process is removed by the next save once no
  process holds it (an advisory lock on the temp file, not its pid, says so).
- Every OSError (disk full, permission, read-only folder) becomes a one-line WorkbookFileError.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from xlsrc.model.errors import WorkbookFileError

if TYPE_CHECKING:  # openpyxl is imported by whoever builds the workbook, not by every command
    from openpyxl import Workbook

    from xlsrc.edges.formulas.cache import Kept

try:  # POSIX: a writer holds an advisory lock on its temp file while it exists
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

KEEP_BACKUPS = 5
BACKUP_SUFFIX = ".bak"
BACKUP_FOLDER = "calloff-backups"  # beside the workbook; every file's backups in one folder


def backup_folder(target: str | Path) -> Path:
    """Where the backups of `target` go: `calloff-backups/` in the real file's folder."""
    return real_target(target).parent / BACKUP_FOLDER


def real_target(target: str | Path) -> Path:
    """The file a save really changes: symbolic links followed (the link itself is kept)."""
    return Path(os.path.realpath(target))


def backups(target: str | Path) -> list[Path]:
    """The backups of `target`, oldest first (their names sort by time)."""
    real = real_target(target)
    found = [
        p
        for p in backup_folder(real).glob(f"{_glob_escape(real.name)}.*{BACKUP_SUFFIX}")
        if _is_backup_name(real.name, p.name)
    ]
    return sorted(found, key=lambda p: p.name)


def save_workbook(
    wb: Workbook, target: Path, *, backup: bool = True, kept: Kept | None = None
) -> None:
    """Save `wb` over `target`, each formula cell with its cached value; `kept`: the cached
    values of the file it was loaded from that still hold (xlsrc.edges.formulas.cache)."""
    write_file(target, _writer(wb, kept), backup=backup)


def write_file(
    target: str | Path, write: Callable[[BinaryIO], object], *, backup: bool = True
) -> Path:
    """Write `target` in one step with `write(handle)`; return the file really written."""
    real = real_target(target)
    check_writable(target)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookFileError(_cannot(target, "create its folder", exc)) from None
    remove_stale_temps(real)
    try:
        tmp = _write_temp(real, write)
        try:
            if backup and real.exists():
                _keep_backup(real)
            os.replace(tmp, real)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise WorkbookFileError(_cannot(target, "save it", exc)) from None
    _fsync_dir(real.parent)
    return real


def check_writable(target: str | Path) -> None:
    """Refuse, before anything is changed, a target that cannot or must not be replaced."""
    real = real_target(target)
    try:
        info = real.stat()
    except (FileNotFoundError, NotADirectoryError):
        folder = _nearest_existing(real.parent)
        if not folder.is_dir():
            raise WorkbookFileError(f"{target}: its folder {folder} is not a folder") from None
        if not os.access(folder, os.W_OK | os.X_OK):
            raise WorkbookFileError(
                f"{target}: cannot write in the folder {folder} (permission denied);"
                " choose another place"
            ) from None
        return
    except OSError as exc:
        raise WorkbookFileError(_cannot(target, "reach it", exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise WorkbookFileError(
            f"{target}: is {file_kind(info.st_mode)}, not a file; choose a file"
        )
    if not info.st_mode & 0o222 or not os.access(real, os.W_OK):
        raise WorkbookFileError(
            f"{target}: is read-only; calloff does not replace a read-only file."
            " Make it writable first if it is meant to change"
        )
    if not os.access(real.parent, os.W_OK | os.X_OK):
        raise WorkbookFileError(
            f"{target}: cannot write in its folder {real.parent} (permission denied)"
        )


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _cannot(target: str | Path, what: str, exc: OSError) -> str:
    why = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        hint = "the disk is full; free some space and try again. The file was not changed"
    elif exc.errno == errno.EDQUOT:
        hint = "your disk quota is used up; the file was not changed"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "no permission to write there (read-only folder or file?); the file was not changed"
    else:
        hint = "the file was not changed"
    return f"{target}: cannot {what} ({why}): {hint}"


def _writer(wb: Workbook, kept: Kept | None = None) -> Callable[[BinaryIO], object]:
    """A Workbook is written with each formula cell's cached value (xlsrc.edges.formulas.cache)
    and each sheet's print area fitted to what it holds (xlsrc.edges.workbook.print_areas)."""
    from openpyxl import Workbook  # a workbook is being saved: openpyxl is loaded anyway

    from xlsrc.edges.formulas.cache import package
    from xlsrc.edges.workbook.print_areas import fit_print_areas

    if isinstance(wb, Workbook):
        fit_print_areas(wb)
        return lambda handle: handle.write(package(wb, kept))
    return wb.save


def _write_temp(target: Path, write: Callable[[BinaryIO], object]) -> Path:
    while True:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
        )
        tmp = Path(tmp_name)
        if _hold(fd, tmp):
            break
        os.close(fd)  # a cleaner removed it before we held it: take a new name
    try:
        # mkstemp makes the file private (0600): keep the replaced file's mode, or the usual
        # umask default for a new one, so colleagues on a shared folder can still open it.
        os.chmod(tmp, _mode_for(target))
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _hold(fd: int, tmp: Path) -> bool:
    """Lock our temp file for as long as this process lives; False if it was removed first."""
    if fcntl is None:
        return True
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        return os.stat(tmp).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def _keep_backup(target: Path) -> None:
    """The current target becomes `calloff-backups/<name>.<time>.bak`: a hard link where the
    file system has them (no copy), else a flushed copy renamed into place; then old
    generations go."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    folder = backup_folder(target)
    folder.mkdir(exist_ok=True)
    backup = folder / f"{target.name}.{stamp}{BACKUP_SUFFIX}"
    try:
        os.link(target, backup)
    except FileExistsError:
        backup = folder / f"{target.name}.{stamp}-{os.getpid()}{BACKUP_SUFFIX}"
        os.link(target, backup)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
            raise
        _copy_backup(target, backup)  # no hard links (some network shares, FAT)
    for old in backups(target)[:-KEEP_BACKUPS]:
        with contextlib.suppress(OSError):
            old.unlink()


def _copy_backup(target: Path, backup: Path) -> None:
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=backup.parent
    )
    tmp = Path(tmp_name)
    try:
        with open(target, "rb") as source, os.fdopen(fd, "wb") as handle:
            shutil.copyfileobj(source, handle)
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copystat(target, tmp)
        os.replace(tmp, backup)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _is_backup_name(name: str, candidate: str) -> bool:
    middle = candidate[len(name) + 1 : -len(BACKUP_SUFFIX)]
    return candidate.startswith(name + ".") and middle[:8].isdigit() and "T" in middle


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def remove_stale_temps(target: Path) -> list[Path]:
    """Temp files of saves cut short: no process holds them any more (an advisory lock is
    released by the kernel when its process ends, whatever the process id becomes later)."""
    removed = []
    for leftover in Path(target).parent.glob(f".{_glob_escape(Path(target).name)}.*.tmp"):
        fd = _claim(leftover)
        if fd is None:
            continue
        try:
            if os.stat(leftover).st_ino == os.fstat(fd).st_ino:
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            pass
        finally:
            if fd >= 0:
                os.close(fd)
    return removed


def _claim(leftover: Path) -> int | None:
    """An open, locked descriptor of an abandoned temp file; None while a save holds it."""
    if fcntl is None:  # pragma: no cover - Windows: an open file cannot be removed anyway
        return -1
    try:
        fd = os.open(leftover, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
