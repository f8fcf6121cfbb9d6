"""Nothing lost: a save killed (SIGKILL) at any instant leaves the old or the new workbook,
complete and loadable, never a mix; the backups too; leftovers are cleaned by the next save.

Deterministic: each save stops itself (SIGSTOP) at a chosen checkpoint, a write to its temp
file or a file-system step, and is killed there, every checkpoint in turn; whether a leftover temp
file is abandoned is decided by the advisory lock its writer held (released by the kernel
when the writer dies), never by whether a process id happens to be in use again."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from xlsrc.edges.fileio.atomic import KEEP_BACKUPS, backups, save_workbook, write_file

CELLS = 40

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not hasattr(os, "fork"), reason="needs fork and SIGKILL"
)


def _workbook(version: int) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tracker"
    for row in range(1, CELLS + 1):
        ws.cell(row, 1, version)
        ws.cell(row, 2, f"v{version}-row{row}-" + "x" * (version % 7))
    wb.create_sheet("Second")["A1"] = version
    return wb


def _version_of(path: Path) -> int:
    """The workbook's version, after checking every cell belongs to that one version."""
    with path.open("rb") as handle:  # a handle: openpyxl refuses the .bak name
        wb = load_workbook(handle, read_only=True)
        return _check(wb, path)


def _check(wb: Workbook, path: Path) -> int:
    try:
        rows = list(wb["Tracker"].iter_rows(values_only=True))
        version = rows[0][0]
        assert rows == [
            (version, f"v{version}-row{r}-" + "x" * (version % 7)) for r in range(1, CELLS + 1)
        ], f"{path.name} mixes versions"
        assert wb["Second"]["A1"].value == version
    finally:
        wb.close()
    return version


class _Checkpointed:
    """The temp file's handle, stopping the process at its n-th write."""

    def __init__(self, handle, checkpoint) -> None:
        self._handle, self._checkpoint = handle, checkpoint

    def write(self, data):
        self._checkpoint()
        written = self._handle.write(data)
        self._checkpoint()
        return written

    def __getattr__(self, name):
        return getattr(self._handle, name)


STEPS = ("fsync", "link", "replace", "chmod", "unlink")  # every file-system step of a save


def _save_in_child(path: Path, version: int, stop_at: int) -> int:
    """Fork a child that saves `version` and stops itself (SIGSTOP) at checkpoint
    `stop_at`: before or after any write to the temp file or any file-system step."""
    pid = os.fork()
    if pid != 0:
        return pid
    try:  # the child: save and leave without any clean-up
        count = iter(range(1, 10**6))

        def checkpoint() -> None:
            if next(count) == stop_at:
                os.kill(os.getpid(), signal.SIGSTOP)

        def wrapped(step):
            def run(*args, **kwargs):
                checkpoint()
                result = step(*args, **kwargs)
                checkpoint()
                return result

            return run

        for name in STEPS:
            setattr(os, name, wrapped(getattr(os, name)))
        wb = _workbook(version)
        write_file(path, lambda handle: wb.save(_Checkpointed(handle, checkpoint)))
    finally:
        os._exit(0)


def test_a_save_killed_at_every_step_leaves_old_or_new_workbook(tmp_path):
    """Version 1 saved over version 0 and SIGKILLed at each checkpoint in turn (1, 2, 3, ...
    until a save completes): the workbook is version 0 up to the replace and version 1 from
    it on, never a mix; every backup is complete; the next save removes the temp file."""
    path = tmp_path / "book.xlsx"
    outcomes: list[str] = []
    left = 0
    for stop_at in range(1, 5000):
        save_workbook(_workbook(0), path)  # removes the temp file of the previous kill
        assert list(tmp_path.glob(".book.xlsx.*.tmp")) == []
        pid = _save_in_child(path, 1, stop_at)
        _, status = os.waitpid(pid, os.WUNTRACED)
        if not os.WIFSTOPPED(status):  # no checkpoint left: the save ran to its end
            assert _version_of(path) == 1
            break
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        found = _version_of(path)
        assert found in (0, 1), f"found version {found}"
        outcomes.append("old" if found == 0 else "new")
        for backup in backups(path):  # every generation complete, never a mix
            assert _version_of(backup) in (0, 1)
        left += len(list(tmp_path.glob(".book.xlsx.*.tmp")))
    else:
        pytest.fail("the save never completed")
    # Old until the replace, new from it on: exactly one switch, at the replace.
    switch = outcomes.index("new")
    assert outcomes == ["old"] * switch + ["new"] * (len(outcomes) - switch), outcomes
    assert switch > 100 and len(outcomes) - switch == 3, (switch, len(outcomes))
    assert left == switch  # each kill before the replace left its temp file
    print(
        f"\n{len(outcomes)} killed saves: {switch} left the old workbook, "
        f"{len(outcomes) - switch} the new; {left} temp files, each removed by the next save"
    )


def test_backups_keep_five_generations_named_by_time(tmp_path):
    path = tmp_path / "book.xlsx"
    save_workbook(_workbook(1), path)
    assert backups(path) == []
    for version in range(2, 10):
        save_workbook(_workbook(version), path)
    assert _version_of(path) == 9
    kept = backups(path)
    assert len(kept) == KEEP_BACKUPS == 5
    assert [_version_of(b) for b in kept] == [4, 5, 6, 7, 8]  # oldest first, by name
    for b in kept:
        assert b.name.startswith("book.xlsx.20") and b.name.endswith("Z.bak"), b.name
    # out of the way: the folder holds the workbook and one folder of backups, nothing else
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "calloff-backups"]
    assert len(list((tmp_path / "calloff-backups").iterdir())) == KEEP_BACKUPS


def test_a_running_writers_temp_file_is_kept_an_abandoned_one_removed(tmp_path):
    import fcntl

    path = tmp_path / "book.xlsx"
    # A pid that is certainly running (ours) on an abandoned file, and a file a live
    # writer holds: only the lock decides, not the pid in the name.
    abandoned = tmp_path / f".book.xlsx.{os.getpid()}.abc.tmp"
    abandoned.write_bytes(b"partial")
    held = tmp_path / ".book.xlsx.1.def.tmp"
    held.write_bytes(b"partial")
    with held.open("rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        child = os.fork()
        if child == 0:  # another process saving meanwhile
            try:
                save_workbook(_workbook(1), path)
            finally:
                os._exit(0)
        os.waitpid(child, 0)
        assert held.exists()
    assert not abandoned.exists()
    assert _version_of(path) == 1
