"""Print again: `calloff return WB --month M --pdf FILE` on an issued month prints the issued
version as it was issued (same words, no new version, workbook bytes untouched); only
--reissue makes a new version."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest

from xlsrc.actions.monthly_return import build_return
from xlsrc.adapters.cli import main
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.workbook.cells import put
from xlsrc.model import layout

TODAY = dt.date(2025, 7, 15)
pytestmark = pytest.mark.libreoffice


def words(pdf) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_an_issued_month_prints_again_unchanged(lo, sample, tmp_path, capsys):
    path = tmp_path / "wb.xlsx"
    shutil.copy(sample, path)
    first = tmp_path / "first.pdf"
    issued = build_return(path, "2024-03", pdf=first, today=TODAY)
    assert [r.version for r in issued.returns] == [1]
    before = path.read_bytes()

    # A later edit to a note of the month does not change what is printed again.
    wb = load_for_edit(path)
    ws = wb[layout.TRACKER]
    row = next(
        r
        for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1)
        if isinstance(ws.cell(r, 1).value, dt.datetime)
        and f"{ws.cell(r, 1).value:%Y-%m}" == "2024-03"
    )
    put(ws, row, 7, "A note written after the return was issued.")
    save_workbook(wb, path)
    before = path.read_bytes()

    again = tmp_path / "again.pdf"
    code = main(["return", str(path), "--month", "2024-03", "--pdf", str(again)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Printed 'Return 2024-03' again (version 1" in out
    assert "changed since it was issued" in out
    assert path.read_bytes() == before  # nothing written
    assert words(again) == words(first)
    assert "A note written after" not in words(again)
    assert openpyxl.load_workbook(path, read_only=True).sheetnames.count("Return 2024-03 v2") == 0

    code = main(["return", str(path), "--month", "2024-03", "--reissue", "--today", "2025-07-15"])
    assert code == 0
    assert "Return 2024-03 v2" in openpyxl.load_workbook(path, read_only=True).sheetnames
