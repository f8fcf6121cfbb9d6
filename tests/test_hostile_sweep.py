"""Every entry point over every hostile workbook (issue 24, item 2): never exit 3 ("a bug"),
never a traceback, and a refused command leaves the workbook as it was.

The workbooks: a number cell openpyxl cannot keep (NaN, 1e309 in a date), and each table
calloff reads or writes with a column deleted or renamed. The commands: everything that
reads or writes a contract workbook, run in-process (LibreOffice is not needed)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_table_shape import _damage
from tests.test_values_as_typed import _plant
from xlsrc.adapters.cli import main

BY = ["--by", "DfE contract manager"]
CSV = (
    "Date,Advisor,Area,Activity,Outcomes,Days,Notes\n"
    "02/04/2024,RK-01,Oxfordshire,Deep dive,OX-0,1,a note\n"
)

BOOKS: dict[str, Callable[[Path], None]] = {
    "Days NaN": lambda book: _plant(book, "F5", "NaN"),
    "Date 1e309": lambda book: _plant(book, "A5", "1e309"),
    "Decisions without Day rate": lambda book: _damage(book, "Decisions", "Day rate"),
    "Areas Short name renamed": lambda book: _damage(book, "Areas", "Short name", "Short"),
    "Audit without Month": lambda book: _damage(book, "Audit", "Month"),
    "Issues without Code": lambda book: _damage(book, "Issues", "Code"),
    "Tracker without Cost": lambda book: _damage(book, "Tracker", "Cost"),
}

COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", "{book}"],
    "validate --no-write": ["validate", "{book}", "--no-write"],
    "totals": ["totals", "{book}"],
    "mi": ["mi", "{book}", "--out", "{dir}/mi.xlsx"],
    "due": ["due", "{book}", "--today", "2024-05-01"],
    "invoice-check": ["invoice-check", "{book}", "--month", "2024-03", "--net", "1",
                      "--vat", "0.20", "--gross", "1.20"],
    "return": ["return", "{book}", "--month", "2024-03", "--confirm-incomplete"],
    "decide": ["decide", "{book}", "day-rate", "--rate", "700", "--effective", "2024-04-01",
               "--decided", "2024-03-01", *BY],
    "fill": ["fill", "{book}", "--tracker", "{dir}/in.csv"],
    "tracker": ["tracker", "--from", "{book}", "--advisor", "RK-01", "--out", "{dir}/t.xlsx"],
    "import": ["import", "{book}", "{dir}/RK-01.xlsx"],
    "portfolio": ["portfolio", "{book}", "--out", "{dir}/portfolio.xlsx"],
    "invoice record": ["invoice", "record", "{book}", "--number", "INV-1", "--month", "2024-03",
                       "--net", "1", "--vat", "0.20", "--gross", "1.20", "--po", "PO-1"],
    "unlock": ["unlock", "{book}"],
}  # fmt: skip


@pytest.fixture(scope="module")
def books(sample, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile_books")
    made = {}
    for name, damage in BOOKS.items():
        book = Path(shutil.copy(sample, folder / f"{name.replace(' ', '_')}.xlsx"))
        damage(book)
        made[name] = book
    return made


@pytest.fixture(scope="module")
def advisor_tracker(sample, tmp_path_factory) -> Path:
    """A clean advisor's tracker file for `import` into each hostile workbook."""
    out = tmp_path_factory.mktemp("advisor") / "RK-01.xlsx"
    assert main(["tracker", "--from", str(sample), "--advisor", "RK-01", "--out", str(out)]) == 0
    return out


@pytest.mark.planted_fault
@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", sorted(BOOKS))
def test_no_entry_point_is_a_bug_on_a_hostile_workbook(
    books, advisor_tracker, tmp_path, capsys, name, command
):
    book = Path(shutil.copy(books[name], tmp_path / "wb.xlsx"))
    (tmp_path / "in.csv").write_text(CSV)
    shutil.copy(advisor_tracker, tmp_path / "RK-01.xlsx")
    before = book.read_bytes()
    args = [a.format(book=book, dir=tmp_path) for a in COMMANDS[command]]
    code = main(args)
    said = capsys.readouterr()
    err = said.err
    assert code in (0, 1, 2), f"exit {code}: {err}"
    assert "Traceback" not in err + said.out and "internal error" not in err, err
    if code == 2:
        assert err.startswith("calloff: "), err
        assert book.read_bytes() == before
