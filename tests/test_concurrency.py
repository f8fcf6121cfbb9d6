"""One writer at a time: a second calloff changing the same workbook is refused, in one line."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from xlsrc.edges.fileio.writer_lock import lock_path, process_start, unlock, workbook_lock
from xlsrc.model.errors import WorkbookFileError

HOLD = """
import sys, time
from xlsrc.edges.fileio.writer_lock import workbook_lock
with workbook_lock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holder(path, seconds=30):
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


def _calloff(*args):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from xlsrc.adapters.cli import main; sys.exit(main())",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_second_writer_is_refused_with_one_line(sample, tmp_path):
    book = shutil.copy(sample, tmp_path / "book.xlsx")
    before = (tmp_path / "book.xlsx").read_bytes()
    holder = _holder(book)
    try:
        run = _calloff("validate", str(book))
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    assert f"is being changed by another calloff (pid {holder.pid} " in lines[0]
    assert f"calloff unlock {book}" in lines[0]
    assert (tmp_path / "book.xlsx").read_bytes() == before
    # The holder was killed: its lock is stale (dead pid) and the next writer takes it.
    run = _calloff("validate", str(book))
    assert run.returncode in (0, 1), run.stderr
    assert not lock_path(book).exists()


def test_two_writers_at_once_one_wins(sample, tmp_path):
    book = shutil.copy(sample, tmp_path / "book.xlsx")
    cmd = [
        sys.executable,
        "-c",
        "import sys; from xlsrc.adapters.cli import main; sys.exit(main())",
    ]
    procs = [
        subprocess.Popen([*cmd, "validate", str(book)], stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    # Either they ran one after the other (both fine) or one was refused with exit 2.
    assert codes in ([0, 0], [0, 1], [1, 1], [0, 2], [1, 2]), results
    for code, err in results:
        assert "Traceback" not in err
        if code == 2:
            assert "is being changed by another calloff" in err
    assert not lock_path(book).exists()


def _plant(book, **holder) -> None:
    lock_path(book).write_text(json.dumps(holder))


def test_lock_released_and_a_dead_processs_lock_taken_over(tmp_path):
    book = tmp_path / "b.xlsx"
    with workbook_lock(book) as lock:
        assert json.loads(lock.read_text())["pid"] == os.getpid()
        with pytest.raises(WorkbookFileError, match=r"pid \d+"), workbook_lock(book):
            pass
    assert not lock_path(book).exists()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    _plant(book, pid=int(gone), host=socket.gethostname(), time=time.time())
    with workbook_lock(book):  # its process has gone: taken over
        pass
    assert not lock_path(book).exists()


def test_a_live_lock_is_never_taken_over_however_old(tmp_path):
    book = tmp_path / "b.xlsx"
    week_ago = time.time() - 7 * 24 * 3600
    mine = {"pid": os.getpid(), "started": process_start(os.getpid())}
    _plant(book, **mine, host=socket.gethostname(), time=week_ago)
    with (
        pytest.raises(WorkbookFileError, match="is being changed by another calloff"),
        workbook_lock(book),
    ):
        pass
    assert lock_path(book).exists()


def test_a_reused_pid_does_not_keep_a_dead_lock(tmp_path):
    book = tmp_path / "b.xlsx"
    if process_start(os.getpid()) is None:
        pytest.skip("process start times are read from /proc (Linux)")
    # Our pid, but another process's start time: the lock's process has gone.
    _plant(book, pid=os.getpid(), started="1", host=socket.gethostname(), time=time.time())
    with workbook_lock(book):
        pass


def test_a_lock_from_another_host_stays_until_unlocked(tmp_path, capsys):
    from xlsrc.adapters.cli import main

    book = tmp_path / "b.xlsx"
    _plant(book, pid=4242, host="elsewhere", user="ann", time=time.time() - 3600)
    with (
        pytest.raises(WorkbookFileError, match=r"pid 4242 of ann on elsewhere since"),
        workbook_lock(book),
    ):
        pass
    assert main(["unlock", str(book)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{book}: removed the lock of pid 4242 of ann on elsewhere since")
    assert not lock_path(book).exists()
    assert main(["unlock", str(book)]) == 0
    assert capsys.readouterr().out.strip() == f"{book}: was not locked."


def test_unlock_refuses_a_running_lock_without_force(tmp_path, capsys):
    from xlsrc.adapters.cli import main

    book = tmp_path / "b.xlsx"
    holder = _holder(book)
    try:
        assert main(["unlock", str(book)]) == 2
        err = capsys.readouterr().err
        assert f"still running (pid {holder.pid} " in err and len(err.strip().splitlines()) == 1
        assert lock_path(book).exists()
        assert f"pid {holder.pid}" in unlock(book, force=True)
        assert not lock_path(book).exists()
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_beside_a_symbolic_link_covers_its_target(tmp_path):
    real = tmp_path / "real" / "book.xlsx"
    real.parent.mkdir()
    real.write_bytes(b"")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    assert lock_path(link) == lock_path(real) == real.parent / ".book.xlsx.lock"
    with (
        workbook_lock(real),
        pytest.raises(WorkbookFileError, match="is being changed"),
        workbook_lock(link),
    ):
        pass


def test_lock_that_cannot_be_created_is_one_line(tmp_path, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("xlsrc.edges.fileio.writer_lock.os.open", refuse)
    with (
        pytest.raises(WorkbookFileError, match=r"cannot create its lock file .*Permission denied"),
        workbook_lock(tmp_path / "b.xlsx"),
    ):
        pass
