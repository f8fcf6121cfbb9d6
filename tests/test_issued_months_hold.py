"""Issued months that hold (issue 20, item 7 and the last Done-when line): each issued return's
sealed record names the returns issued before it, so deleting an earlier return with its Audit
row is an error from validate naming the month (RETURN-DELETED); every printed page carries
the return's seal, and `calloff verify` says whether the workbook still holds that return."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from xlsrc.adapters.cli import main
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.model import layout
from xlsrc.model.rules import AUDIT_CHAIN_BROKEN, RETURN_DELETED

TODAY = "2025-07-15"


@pytest.fixture(scope="module")
def two_issued(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example with the October and November 2023 returns issued, a day apart."""
    path = Path(shutil.copy(sample, tmp_path_factory.mktemp("hold") / "two.xlsx"))
    assert main(["return", str(path), "--month", "2023-10", "--today", "2025-07-14"]) == 0
    assert main(["return", str(path), "--month", "2023-11", "--today", TODAY]) == 0
    return path


def _issues(capsys, path: Path) -> list[dict]:
    capsys.readouterr()
    main(["validate", str(path), "--no-write", "--json", "--today", TODAY])
    return json.loads(capsys.readouterr().out)["issues"]


def _audit_rows(ws) -> tuple[int, int]:
    _, first, _, last = range_boundaries(ws.tables[layout.AUDIT_TABLE].ref)
    return first + 1, last


def _delete_return(path: Path, month: str) -> None:
    """The return's sheet deleted, and its Audit row with the rows below moved up."""
    wb = load_for_edit(path)
    del wb[f"{layout.RETURN_PREFIX}{month}"]
    ws = wb[layout.AUDIT]
    first, last = _audit_rows(ws)
    width = len(layout.AUDIT_HEADERS)
    (row,) = [
        r
        for r in range(first, last + 1)
        if ws.cell(r, 2).value == layout.RETURN_ISSUED and ws.cell(r, 3).value == month
    ]
    for r in range(row, last):
        for c in range(1, width + 1):
            ws.cell(r, c).value = ws.cell(r + 1, c).value
    for c in range(1, width + 1):
        ws.cell(last, c).value = None
    save_workbook(wb, path)


def test_two_issued_returns_validate_clean(two_issued, capsys):
    assert not [i for i in _issues(capsys, two_issued) if i["severity"] == "error"]


def test_the_later_return_names_the_earlier_under_its_seal(two_issued):
    ws = load_workbook(two_issued)[layout.AUDIT]
    first, last = _audit_rows(ws)
    details = [
        json.loads(ws.cell(r, 9).value)
        for r in range(first, last + 1)
        if ws.cell(r, 2).value == layout.RETURN_ISSUED
    ]
    october, november = details
    assert october["issued_on"] == "2025-07-14" and october["earlier"] == []
    assert november["issued_on"] == TODAY
    assert november["earlier"] == [
        {"key": "2023-10", "version": 1, "seal": october["seal"][7:23], "on": "2025-07-14"}
    ]
    assert november["chain"]  # the Audit record's head it was issued on


def test_deleting_the_earlier_return_and_its_audit_row_names_the_month(
    two_issued, tmp_path, capsys
):
    path = Path(shutil.copy(two_issued, tmp_path / "cut.xlsx"))
    _delete_return(path, "2023-10")
    found = _issues(capsys, path)
    (deleted,) = [i for i in found if i["code"] == RETURN_DELETED.code]
    assert deleted["severity"] == "error" and deleted["sheet"] == layout.AUDIT
    assert deleted["message"].startswith(
        "The return for October 2023 (version 1) was issued on 14/07/2025 and is no longer"
        " in this workbook"
    )
    assert "the return for November 2023" in deleted["message"]
    assert [i["code"] for i in found if i["code"] == AUDIT_CHAIN_BROKEN.code]  # and the cut
    capsys.readouterr()
    assert main(["validate", str(path), "--no-write", "--today", TODAY]) == 1  # errors


def test_the_deleted_month_cannot_be_issued_again_over_it(two_issued, tmp_path, capsys):
    path = Path(shutil.copy(two_issued, tmp_path / "again.xlsx"))
    _delete_return(path, "2023-10")
    before = path.read_bytes()
    capsys.readouterr()
    assert main(["return", str(path), "--month", "2023-10", "--today", TODAY]) == 2
    err = capsys.readouterr().err
    assert "October 2023 (version 1) was issued on 14/07/2025" in err
    assert "cannot be issued again" in err
    assert path.read_bytes() == before


def _footer(path: Path, month: str) -> str:
    return load_workbook(path)[f"{layout.RETURN_PREFIX}{month}"].oddFooter.center.text


def _verify(capsys, path: Path, *how: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["verify", str(path), *how, "--today", TODAY])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_every_printed_page_carries_the_seal_and_verify_finds_it(two_issued, capsys):
    footer = _footer(two_issued, "2023-10")
    assert re.fullmatch(r"Seal 2023-10 v1 issued 2025-07-14 [0-9a-f]{16}", footer)
    code, said = _verify(capsys, two_issued, "--seal", footer)
    assert code == 0, said
    assert "holds the return for October 2023 (version 1) issued on 14/07/2025, unchanged" in said
    assert _verify(capsys, two_issued, "--seal", footer.split()[-1])[0] == 0  # the digits alone


def test_verify_names_an_earlier_return_deleted(two_issued, tmp_path, capsys):
    footer = _footer(two_issued, "2023-10")
    path = Path(shutil.copy(two_issued, tmp_path / "cut.xlsx"))
    _delete_return(path, "2023-10")
    code, said = _verify(capsys, path, "--seal", footer)
    assert code == 2
    assert "does not hold the return for October 2023 (version 1) issued on 14/07/2025" in said
    assert "Traceback" not in said


def test_the_last_return_deleted_is_caught_by_its_seal(two_issued, tmp_path, capsys):
    """No later return names November's, so validate cannot see it gone (the file is as if
    it had never been issued); the seal the Department keeps can."""
    footer = _footer(two_issued, "2023-11")
    path = Path(shutil.copy(two_issued, tmp_path / "last.xlsx"))
    _delete_return(path, "2023-11")
    assert not [i for i in _issues(capsys, path) if i["severity"] == "error"]
    code, said = _verify(capsys, path, "--seal", footer)
    assert code == 2 and "does not hold the return for November 2023" in said


def test_verify_says_what_changed_under_an_issued_return(two_issued, tmp_path, capsys):
    footer = _footer(two_issued, "2023-10")
    path = Path(shutil.copy(two_issued, tmp_path / "vat.xlsx"))
    wb = load_for_edit(path)
    sheet, ref = next(iter(wb.defined_names["VATRate"].destinations))
    wb[sheet][ref.replace("$", "")] = 0.25
    save_workbook(wb, path)
    code, said = _verify(capsys, path, "--seal", footer)
    assert code == 2
    assert "no longer holds the return for October 2023 (version 1)" in said
    assert "VAT rate" in said


def test_verify_refuses_a_seal_it_cannot_read(two_issued, capsys):
    code, said = _verify(capsys, two_issued, "--seal", "not a seal")
    assert code == 2 and "16 hex digits" in said


def test_verify_reads_the_seal_off_every_page_of_the_pdf(two_issued, tmp_path, lo, capsys):
    pdf = tmp_path / "october.pdf"
    capsys.readouterr()
    assert main(["return", str(two_issued), "--month", "2023-10", "--pdf", str(pdf)]) == 0
    from xlsrc.edges.libreoffice.pdf_check import pages

    printed = pages(pdf)
    assert len(printed) > 1
    footer = _footer(two_issued, "2023-10")
    assert all(footer in " ".join(p.text.split()) for p in printed)
    code, said = _verify(capsys, two_issued, "--pdf", str(pdf))
    assert code == 0, said
