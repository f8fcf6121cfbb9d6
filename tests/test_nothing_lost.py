"""Nothing lost, and every mistake one line: each case found by trying calloff as a hostile
or careless user would (issue 14), planted here with the behaviour it must have.

Exit 2 and one line `calloff: ...` for a person's or a file's problem, never exit 3; the
files involved unchanged; no temp file left behind."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook

from xlsrc.adapters.cli import main
from xlsrc.edges.fileio.atomic import backups
from xlsrc.edges.fileio.writer_lock import lock_path

RUN = "import sys; from xlsrc.adapters.cli import main; sys.exit(main())"


def run(capsys, *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def one_line(err: str, *words: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("calloff: "), err
    assert "Traceback" not in err and "internal error" not in err
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def no_temp_files(folder) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".new"))] == []


@pytest.fixture
def book(sample, tmp_path):
    """A filled workbook (the sample) to change."""
    return shutil.copy(sample, tmp_path / "book.xlsx")


# 1. Symbolic links and read-only files -------------------------------------------------


def test_a_workbook_behind_a_symbolic_link_is_updated_in_place(book, tmp_path, capsys):
    real = tmp_path / "real" / "book.xlsx"
    real.parent.mkdir()
    shutil.move(book, real)
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    before = real.read_bytes()
    code, _, err = run(capsys, "validate", link, "--today", "2025-07-15")
    assert code in (0, 1), err
    assert link.is_symlink() and link.resolve() == real  # still a link, to the same file
    assert real.read_bytes() != before  # the real workbook got the Issues sheet
    # the backup is in the real file's folder of backups
    assert [b.parent for b in backups(link)] == [real.parent / "calloff-backups"]
    assert backups(real)[0].read_bytes() == before
    assert not lock_path(link).exists() and not (tmp_path / ".link.xlsx.lock").exists()
    no_temp_files(real.parent)
    no_temp_files(tmp_path)


def test_a_read_only_workbook_is_refused_and_untouched(book, capsys):
    os.chmod(book, 0o444)
    before = book.read_bytes()
    for args in (["validate", book], ["fill", book, "--tracker", _csv(book.parent, "")]):
        code, _, err = run(capsys, *args)
        assert code == 2
        one_line(err, str(book), "read-only")
    assert book.read_bytes() == before
    assert stat.S_IMODE(book.stat().st_mode) == 0o444
    assert backups(book) == []


# 2. Never over a workbook that holds data without --force ------------------------------


def test_tracker_from_a_master_onto_itself_is_refused(book, capsys):
    before = book.read_bytes()
    code, _, err = run(capsys, "tracker", "--advisor", "RK-01", "--from", book, "--out", book)
    assert code == 2
    one_line(err, "is the input", "--force")
    assert book.read_bytes() == before


def test_build_over_a_filled_workbook_needs_force(book, tmp_path, capsys):
    before = book.read_bytes()
    code, _, err = run(capsys, "build", "--out", book)
    assert code == 2
    line = one_line(err, "tracker rows", "--force")
    assert "issued return" not in line or "issued returns" in line
    assert book.read_bytes() == before
    # An empty (freshly built) workbook may be rebuilt without --force...
    fresh = tmp_path / "fresh.xlsx"
    assert run(capsys, "build", "--out", fresh)[0] == 0
    assert run(capsys, "build", "--out", fresh)[0] == 0
    # ...and a filled one with it, keeping the filled one as a backup.
    assert run(capsys, "build", "--out", book, "--force")[0] == 0
    (kept,) = backups(book)
    assert kept.read_bytes() == before


@pytest.mark.parametrize("command", ["mi", "recalc", "portfolio", "tracker"])
def test_an_output_over_its_input_is_refused(book, capsys, command):
    before = book.read_bytes()
    args = {
        "mi": ["mi", book, "--out", book],
        "recalc": ["recalc", book, "--out", book],
        "portfolio": ["portfolio", book, "--out", book],
        "tracker": ["tracker", "--advisor", "RK-02", "--from", book, "--out", book],
    }[command]
    code, _, err = run(capsys, *args)
    assert code == 2
    one_line(err, "is the input")
    assert book.read_bytes() == before


def test_fill_out_onto_another_filled_workbook_is_refused(book, sample, tmp_path, capsys):
    other = shutil.copy(sample, tmp_path / "other.xlsx")
    before = other.read_bytes()
    code, _, err = run(capsys, "fill", book, "--tracker", _csv(tmp_path, ""), "--out", other)
    assert code == 2
    one_line(err, "tracker rows")
    assert other.read_bytes() == before


# 7. Disk full, unwritable places, paths checked before anything changes -----------------


def test_disk_full_leaves_the_original_and_no_temp_file(book, monkeypatch, capsys):
    from xlsrc.edges.fileio import package_writer

    before = book.read_bytes()
    real_save, real_write = Workbook.save, package_writer._Package.write

    def full(self, target):  # writes part of the file, then the disk is full
        target.write(b"PK\x03\x04" + b"\0" * 4096)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    # Whichever writer saves it: openpyxl's, or the one that edits only the parts validate
    # changes (xlsrc.edges.fileio.package_writer).
    monkeypatch.setattr(Workbook, "save", full)
    monkeypatch.setattr(package_writer._Package, "write", full)
    code, _, err = run(capsys, "validate", book, "--today", "2025-07-15")
    monkeypatch.setattr(Workbook, "save", real_save)
    monkeypatch.setattr(package_writer._Package, "write", real_write)
    assert code == 2
    one_line(err, str(book), "No space left on device", "disk is full", "not changed")
    assert book.read_bytes() == before
    no_temp_files(book.parent)
    assert not lock_path(book).exists()
    assert backups(book) == []


def test_an_output_folder_that_is_a_file_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "build", "--out", blocker / "wb.xlsx")
    assert code == 2
    one_line(err, "is not a folder")


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_output_folder_is_one_line(tmp_path, capsys):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = run(capsys, "build", "--out", folder / "wb.xlsx")
    finally:
        folder.chmod(0o755)
    assert code == 2
    one_line(err, "permission denied")


def test_an_unwritable_folder_when_saving_is_one_line(book, monkeypatch, capsys):
    """As root nothing is unwritable: the refusal the file system would give, simulated."""
    before = book.read_bytes()

    def refuse(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("xlsrc.edges.fileio.atomic.tempfile", SimpleNamespace(mkstemp=refuse))
    code, _, err = run(capsys, "validate", book, "--today", "2025-07-15")
    assert code == 2
    one_line(err, "Permission denied", "not changed")
    assert book.read_bytes() == before


def test_return_pdf_path_checked_before_the_month_is_locked(book, tmp_path, capsys):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")
    before = book.read_bytes()
    code, _, err = run(
        capsys, "return", book, "--month", "2024-03", "--pdf", blocker / "r.pdf",
        "--today", "2025-07-15",
    )  # fmt: skip
    assert code == 2
    one_line(err, "is not a folder")
    assert book.read_bytes() == before  # no Return sheet, no Audit row: not locked
    code, _, err = run(
        capsys, "returns", book, "--pdf", blocker / "returns", "--today", "2025-07-15"
    )
    assert code == 2
    assert book.read_bytes() == before


# Inputs that are not regular files: refused at once, never opened ----------------------


def _fifo(tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    return fifo


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", ["folder", "fifo", "device"])
@pytest.mark.parametrize("command", ["validate", "totals", "fill-csv", "import", "terms", "from"])
def test_a_folder_fifo_or_device_is_refused_at_once(book, tmp_path, kind, command):
    target = {
        "folder": lambda: tmp_path,
        "fifo": lambda: _fifo(tmp_path),
        "device": lambda: "/dev/zero",
    }[kind]()
    args = {
        "validate": ["validate", target],
        "totals": ["totals", target],
        "fill-csv": ["fill", book, "--tracker", target],
        "import": ["import", book, target],
        "terms": ["build", "--terms", target, "--out", tmp_path / "x.xlsx"],
        "from": ["tracker", "--advisor", "RK-01", "--from", target, "--out", tmp_path / "t.xlsx"],
    }[command]
    run_ = subprocess.run(
        [sys.executable, "-c", RUN, *map(str, args)], capture_output=True, text=True, timeout=30
    )
    assert run_.returncode == 2, run_.stderr
    one_line(run_.stderr, str(target), "not a file")


# Tracker sheet renamed, CSV problems --------------------------------------------------


def test_a_renamed_tracker_sheet_is_one_line(book, capsys):
    wb = load_workbook(book)
    wb["Tracker"].title = "Days"
    wb.save(book)
    for args in (["validate", book], ["fill", book, "--tracker", _csv(book.parent, "")]):
        code, _, err = run(capsys, *args, "--today", "2025-07-15")
        assert code == 2
        one_line(err, "renamed 'Days'", "rename it back to 'Tracker'")


HEADER = "Date,Advisor,Area,Activity,Outcomes,Days,Notes\n"
ROW = "2024-03-04,RK-01,Oxfordshire,Work with practitioners,OX-AI3,1,{note}\n"


def _csv(folder, body: str, name: str = "rows.csv"):
    path = folder / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (ROW.format(note="visit\x00ed"), ["line 2", "NUL"]),
        (ROW.format(note="a\x07bell"), ["line 2", "column Notes", "U+0007"]),
        (ROW.format(note="ok") + ROW.format(note="met heads, then SENCOs"), ["line 3", "8 values"]),
        (ROW.format(note="x" * 40_000), ["line 2", "32,767"]),
        (ROW.format(note='"' + "x" * 33_000 + '"'), ["line 2", "32,767"]),
    ],
    ids=["nul", "control", "extra-field", "long-note", "long-quoted"],
)
def test_csv_problems_are_refused_with_their_place(book, tmp_path, capsys, body, words):
    before = book.read_bytes()
    path = _csv(tmp_path, body)
    code, _, err = run(capsys, "fill", book, "--tracker", path, "--today", "2025-07-15")
    assert code == 2
    one_line(err, str(path), *words)
    assert book.read_bytes() == before


def test_trailing_empty_fields_lose_nothing_and_pass(tmp_path):
    from xlsrc.edges.tracker_csv import read_tracker_csv

    (row,) = read_tracker_csv(_csv(tmp_path, ROW.format(note="ok").rstrip("\n") + ",,\n"))
    assert row.values["Notes"] == "ok"


def test_a_csv_over_the_row_limit_is_refused_before_it_is_read_whole(tmp_path, monkeypatch):
    from xlsrc.edges import tracker_csv as csvio
    from xlsrc.model.errors import WorkbookFileError

    monkeypatch.setattr(csvio, "MAX_CSV_ROWS", 10)
    path = tmp_path / "big.csv"
    # 20,000 rows, then bytes that are not UTF-8: reading it whole would stop on those.
    path.write_bytes((HEADER + ROW.format(note="ok") * 20_000).encode() + b"\xff\xfe" * 1000)
    with pytest.raises(WorkbookFileError, match="more than 10 rows"):
        csvio.read_tracker_csv(path)


# The error log -------------------------------------------------------------------------


def test_the_error_log_is_per_user_and_never_follows_a_link(tmp_path, monkeypatch, capsys):
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))

    def bug(*_args, **_kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr("xlsrc.actions.totals.workbook_totals", bug)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (state / "calloff").mkdir(parents=True)
    (state / "calloff" / "error.log").symlink_to(victim)
    code, _, err = run(capsys, "totals", victim)
    assert code == 3 and "internal error" in err and "Details" not in err
    assert victim.read_text() == "precious"  # the planted link was not followed

    (state / "calloff" / "error.log").unlink()
    code, _, err = run(capsys, "totals", victim)
    log = state / "calloff" / "error.log"
    assert code == 3 and err.strip().endswith(f"Details: {log}")
    assert "KeyError" in log.read_text()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE((state / "calloff").stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--out", "{dir}"],
        ["build", "--out", "/dev/null"],
        ["mi", "{book}", "--out", "/dev/zero"],
        ["tracker", "--advisor", "RK-01", "--out", "{dir}"],
        ["returns", "{book}", "--pdf", "{file}"],
        ["validate", "{book}", "--today", "2024-02-30"],
        ["unlock", "{book}", "--force", "--today"],
    ],
    ids=["build-dir", "build-device", "mi-device", "tracker-dir", "pdf-folder-file", "today",
         "usage"],
)  # fmt: skip
def test_more_mistakes_are_one_line_never_a_bug(book, tmp_path, capsys, args):
    plain = tmp_path / "notes.txt"
    plain.write_text("a file")
    values = {"dir": tmp_path, "book": book, "file": plain}
    code, _, err = run(capsys, *[a.format(**values) for a in args])
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err
    if args[0] != "unlock":  # click's own usage errors print usage + the error
        one_line(err)
