"""Where a bug's traceback is written: a per-user file, opened without following links.

POSIX: `$XDG_STATE_HOME/calloff/error.log` (default `~/.local/state/calloff/error.log`);
Windows: `%LOCALAPPDATA%\\calloff\\error.log`. The folder is made private (0700) and must be
ours; the file is opened with O_NOFOLLOW, so a link planted by another user can never make
calloff write over a file it points to. If no such place can be used, nothing is written.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

NAME = "error.log"


def log_folder() -> Path:
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "calloff"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "calloff"


def write_error_log(text: str) -> Path | None:
    """Write `text` as the error log; its path, or None when it could not be written safely."""
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode):
            return None  # a link or a file where our folder belongs
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None  # someone else's folder
        if stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(folder, 0o700)  # private: tracebacks may quote contract data
        path = folder / NAME
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags, 0o600)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None  # a FIFO or device planted there
            os.write(fd, text.encode("utf-8", "replace"))
        finally:
            os.close(fd)
        return path
    except (OSError, RuntimeError):  # RuntimeError: no home folder
        return None
