"""Saving never corrupts and never loses: write beside the target, flush to disk, keep the
previous version as `<name>.bak`, then replace in one step.

At every instant the target is either the old or the new workbook, complete; so is the
backup (the previous or the one before). A save cut short (power cut, kill) leaves at most a
temp file `.<name>.<pid>.<random>.tmp`, never read, and removed by the next save once its
process is gone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook

from xlsrc.calc.cache import package


def backup_path(target: Path) -> Path:
    return target.with_name(target.name + ".bak")


def save_workbook(wb: Workbook, target: Path, *, backup: bool = True) -> None:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    tmp = _write_temp(target, _writer(wb))
    try:
        if backup and target.exists():
            _replace_backup(target)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _writer(wb: Workbook) -> Callable[[BinaryIO], object]:
    """A Workbook is written with each formula cell's cached value (xlsrc.calc.cache)."""
    if isinstance(wb, Workbook):
        return lambda handle: handle.write(package(wb))
    return wb.save


def _write_temp(target: Path, write: Callable[[BinaryIO], object]) -> Path:
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
    )
    tmp = Path(tmp_name)
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


def _replace_backup(target: Path) -> None:
    """`<name>.bak` becomes the current target, in one step: a hard link where the file
    system has them (no copy), else a flushed copy; then renamed over the old backup."""
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        try:
            os.link(target, tmp)
        except OSError:  # no hard links (some network shares, FAT): copy and flush
            shutil.copy2(target, tmp)
            with tmp.open("rb+") as handle:
                os.fsync(handle.fileno())
        os.replace(tmp, backup_path(target))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_stale_temps(target: Path) -> list[Path]:
    """Temp files of saves cut short: their process (pid in the name) is no longer running."""
    removed = []
    for leftover in target.parent.glob(f".{target.name}.*.tmp"):
        pid = leftover.name[len(target.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and (int(pid) == os.getpid() or _running(int(pid))):
            continue
        try:
            leftover.unlink()
            removed.append(leftover)
        except OSError:
            pass
    return removed


def _running(pid: int) -> bool:
    if os.name == "nt":  # os.kill would end the process there: assume it still runs
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


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
