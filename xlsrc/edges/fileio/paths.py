"""Input paths checked before anything is read: an input must be a regular file; a folder, a
FIFO or a device (`/dev/zero`) is refused at once from its `stat`, never opened (opening a FIFO
waits for a writer; a device never ends). Outputs are checked in xlsrc.edges.fileio.outputs.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from xlsrc.edges.fileio.atomic import file_kind, real_target
from xlsrc.model.errors import WorkbookFileError


def check_input_file(path: str | Path) -> Path:
    """`path` if it is a regular file that can be read; else a one-line WorkbookFileError."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise WorkbookFileError(f"{path}: file not found") from None
    except OSError as exc:
        raise WorkbookFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise WorkbookFileError(f"{path}: is {file_kind(info.st_mode)}, not a file; give a file")
    if not os.access(path, os.R_OK):
        raise WorkbookFileError(f"{path}: cannot be read (permission denied)")
    return path


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when both paths name one file (links followed, hard links included)."""
    if real_target(a) == real_target(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
