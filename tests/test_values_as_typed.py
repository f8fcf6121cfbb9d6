"""Values kept exactly as typed (issue 24, item 6), and one parser for every number (item 1).

A number cell openpyxl would change on the way through (NaN, INF, 1e309, 1e-400, thousands of
digits, a date serial beyond 9999) is refused in one line naming the sheet and the cell, and
nothing is written; text Excel would unescape (`_x0041_`) is escaped, so it reads back as typed;
the invoice check and the CSV's Days read numbers as `decide` and the terms file do.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from xlsrc.adapters.cli import main
from xlsrc.core.invoices import parse_amount
from xlsrc.core.validate.parse import read_number, typed_from_text
from xlsrc.model import typed
from xlsrc.model.entry import RawRow
from xlsrc.model.errors import UserDataError

TRACKER_PART = "xl/worksheets/sheet3.xml"  # the Tracker: the builder's third sheet
CONTRACT_PART = "xl/worksheets/sheet2.xml"


def _plant(book: Path, cell: str, text: str, part: str = TRACKER_PART, kind: str = "n") -> None:
    """Give one cell (the Tracker's unless `part` says) the number text `text` (or, with kind
    "s", the text), as a file or another tool can hold it."""
    source = book.with_suffix(".orig.xlsx")
    shutil.move(book, source)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == part:
                xml = body.decode("utf-8")
                found = re.search(rf'<c r="{cell}"([^>]*?)( t="\w+")?>.*?</c>', xml, re.S)
                assert found, cell
                planted = (
                    f'<c r="{cell}"{found[1]} t="n"><v>{text}</v></c>'
                    if kind == "n"
                    else f'<c r="{cell}"{found[1]} t="inlineStr"><is><t>{text}</t></is></c>'
                )
                body = (xml[: found.start()] + planted + xml[found.end() :]).encode("utf-8")
            out.writestr(info, body)
    source.unlink()


def _run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("F5", "NaN"),
        ("F5", "INF"),
        ("F5", "-Infinity"),
        ("F5", "1e309"),
        ("F5", "1e-400"),
        ("F5", "9" * 5000),
        ("A5", "1e20"),  # a Date cell: a serial beyond 31/12/9999 would become #VALUE!
    ],
    ids=["NaN", "INF", "-Infinity", "1e309", "1e-400", "5000 digits", "date 1e20"],
)
@pytest.mark.parametrize("command", ["validate", "fill"])
def test_a_number_cell_openpyxl_would_change_is_refused(sample, tmp_path, capsys, cell, text,
                                                        command):  # fmt: skip
    book = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    _plant(book, cell, text)
    before = book.read_bytes()
    args: list[object] = [command, book]
    if command == "fill":
        csv = tmp_path / "in.csv"
        csv.write_text(
            "Date,Advisor,Area,Activity,Outcomes,Days,Notes\n"
            "02/04/2024,RK-01,Oxfordshire,Deep dive,OX-0,1,a note\n"
        )
        args += ["--tracker", csv]
    code, err = _run(capsys, *args)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1, err
    assert f"sheet Tracker, cell {cell} (row 5, column {cell[0]})" in lines[0]
    assert "Nothing was written" in lines[0] and "Traceback" not in err
    assert book.read_bytes() == before


def test_validate_no_write_still_reports_the_cell(sample, tmp_path, capsys):
    book = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    _plant(book, "F5", "NaN")
    code = main(["validate", str(book), "--no-write"])
    out = capsys.readouterr().out
    assert code == 1 and "DAYS-INVALID at Tracker, row 5, column Days" in out


@pytest.mark.parametrize("notes", ["_x0041_", "a_x005F_x0041_b", "_X00e9_ and _x000D_", "_x00_"])
def test_text_excel_would_unescape_reads_back_as_typed(sample, tmp_path, capsys, notes):
    book = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    csv = tmp_path / "in.csv"
    csv.write_text(
        "Date,Advisor,Area,Activity,Outcomes,Days,Notes\n"
        f"02/04/2024,RK-01,Oxfordshire,Deep dive,OX-0,1,{notes}\n"
    )
    code, err = _run(capsys, "fill", book, "--tracker", csv)
    assert code == 0, err
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Tracker").to_python()
    assert notes in [row[6] for row in rows]  # calamine unescapes as Excel does


@pytest.mark.parametrize(
    "text", ["1e3", "3575e0", "3_575", "NaN", "inf", "0x10", "١٢", "99999999999999999999"]
)
def test_one_parser_refuses_the_same_forms_everywhere(text):
    with pytest.raises(typed.NumberError):
        typed.parse_number(text, "--rate", kind="money")
    with pytest.raises(UserDataError):
        parse_amount(text, "--net")
    assert read_number(text) is None
    row = typed_from_text(RawRow("in.csv", 2, {"Days": text}))
    assert row.values["Days"] == text.strip()  # left as typed, for the rules to report


@pytest.mark.parametrize(
    ("text", "number"), [("1", 1), ("0.5", 0.5), (" .5 ", 0.5), ("1,000", 1000), ("2.", 2)]
)
def test_one_parser_reads_the_forms_a_person_types(text, number):
    assert read_number(text) == Decimal(str(number))
    assert typed_from_text(RawRow("in.csv", 2, {"Days": text})).values["Days"] == number
    assert parse_amount(text, "--net") == Decimal(str(number)).quantize(Decimal("0.01"))


@pytest.mark.parametrize("typed_text", ["12345", "soon"])
def test_a_start_date_that_is_not_a_date_says_so_in_plain_words(sample, tmp_path, capsys,
                                                               typed_text):  # fmt: skip
    book = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    _plant(book, "B14", typed_text, CONTRACT_PART, kind="s")  # the StartDate cell
    code = main(["validate", str(book), "--no-write"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "(StartDate): must be a date, such as 01/04/2024 in a cell" in err
    assert f"'{typed_text}'" in err
    assert "Datetimes" not in err and "Traceback" not in err
