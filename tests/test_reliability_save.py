"""Nothing lost: a save killed (SIGKILL) at any instant leaves the old or the new workbook,
complete and loadable, never a mix; the backup too; leftovers are cleaned by the next save."""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from xlsrc.fileio.atomic import backup_path, save_workbook

RUNS = 240
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


def _save_in_child(path: Path, version: int) -> int:
    pid = os.fork()
    if pid == 0:  # the child: save and leave without any clean-up
        try:
            save_workbook(_workbook(version), path)
        finally:
            os._exit(0)
    return pid


def _save_time(path: Path) -> float:
    start = time.perf_counter()
    pid = _save_in_child(path, 1)
    os.waitpid(pid, 0)
    return time.perf_counter() - start


def test_killed_saves_leave_old_or_new_workbook(tmp_path):
    path = tmp_path / "book.xlsx"
    save_workbook(_workbook(0), path)
    # Kill at delays spread over a whole save (fork included), a little beyond its end.
    span = 1.3 * max(_save_time(path) for _ in range(3))
    current = _version_of(path)
    rng = random.Random(6)
    outcomes = {"old": 0, "new": 0}
    deadline = time.monotonic() + 50
    for _run in range(RUNS):
        assert time.monotonic() < deadline, "kill test too slow"
        new = current + 1
        pid = _save_in_child(path, new)
        time.sleep(rng.uniform(0, span))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        found = _version_of(path)
        assert found in (current, new), f"found version {found}, expected {current} or {new}"
        outcomes["old" if found == current else "new"] += 1
        if backup_path(path).exists():
            assert _version_of(backup_path(path)) in (current - 1, current, new - 1)
        current = found
    # Both outcomes happened, so the kills did land during saves.
    assert outcomes["old"] > 10 and outcomes["new"] > 10, outcomes
    print(f"\n{RUNS} killed saves: {outcomes}")

    leftovers = list(tmp_path.glob(".book.xlsx.*.tmp"))
    save_workbook(_workbook(current + 1), path)
    assert list(tmp_path.glob(".book.xlsx.*.tmp")) == []
    assert _version_of(path) == current + 1
    assert _version_of(backup_path(path)) == current
    print(f"temp files left by killed saves, removed by the next save: {len(leftovers)}")


def test_backup_keeps_the_previous_version(tmp_path):
    path = tmp_path / "book.xlsx"
    save_workbook(_workbook(1), path)
    assert not backup_path(path).exists()
    save_workbook(_workbook(2), path)
    save_workbook(_workbook(3), path)
    assert _version_of(path) == 3
    assert _version_of(backup_path(path)) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "book.xlsx.bak"]


def test_temp_file_of_a_running_process_is_kept(tmp_path):
    path = tmp_path / "book.xlsx"
    mine = tmp_path / f".book.xlsx.{os.getppid()}.abc.tmp"  # our parent is alive
    mine.write_bytes(b"partial")
    save_workbook(_workbook(1), path)
    assert mine.exists()
