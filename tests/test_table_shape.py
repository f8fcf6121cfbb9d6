"""Every table calloff writes into is checked against the layout before anything is written
(issue 24, item 4): the Decisions, Rates and Areas tables (decide), Audit (return), Issues
(validate), as the Tracker is (fill, import). A damaged table is one line naming what is
missing, exit 2, and the workbook is unchanged."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from xlsrc.adapters.cli import main
from xlsrc.model.entry import columns_damaged

BY = ["--by", "DfE contract manager"]
WHEN = ["--decided", "2024-03-01"]


def _damage(book: Path, table: str, column: str, rename: str | None = None) -> None:
    """Remove (or rename) one column of the table named `table`, in the file's XML."""
    source = book.with_suffix(".orig.xlsx")
    shutil.move(book, source)
    done = False
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info.filename)
            text = body.decode("utf-8", "replace")
            if info.filename.startswith("xl/tables/") and f'displayName="{table}"' in text:
                pattern = rf'<tableColumn [^>]*name="{re.escape(column)}".*?(/>|</tableColumn>)'
                if rename is None:
                    text, n = re.subn(pattern, "", text, count=1, flags=re.S)
                    text = re.sub(
                        r'count="(\d+)"', lambda m: f'count="{int(m[1]) - 1}"', text, count=1
                    )
                else:
                    text, n = re.subn(
                        f'name="{re.escape(column)}"', f'name="{rename}"', text, count=1
                    )
                assert n == 1, (table, column)
                body, done = text.encode("utf-8"), True
            out.writestr(info, body)
    source.unlink()
    assert done, table


CASES = {
    "Decisions without Day rate": (
        ("Decisions", "Day rate", None),
        ["decide", "{book}", "day-rate", "--rate", "700", "--effective", "2024-04-01", *WHEN, *BY],
        "missing Day rate",
    ),
    "Decisions columns renamed": (
        ("Decisions", "Decided", "When"),
        ["decide", "{book}", "day-rate", "--rate", "700", "--effective", "2024-04-01", *WHEN, *BY],
        "not one of its columns: When",
    ),
    "Rates renamed": (
        ("Rates", "Day rate", "Rate"),
        ["decide", "{book}", "day-rate", "--rate", "700", "--effective", "2024-04-01", *WHEN, *BY],
        "the Rates table's columns are damaged",
    ),
    "Areas without Short name": (
        ("Areas", "Short name", "Short"),
        ["decide", "{book}", "allocation", "--area", "Oxfordshire", "--days", "40", *WHEN, *BY],
        "missing Short name",
    ),
    "Audit without Month": (
        ("Audit", "Month", None),
        ["return", "{book}", "--month", "2024-03", "--confirm-incomplete"],
        "the Audit table's columns are damaged (missing Month)",
    ),
    "Issues without Code": (
        ("Issues", "Code", None),
        ["validate", "{book}"],
        "the Issues table's columns are damaged (missing Code)",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_damaged_table_is_refused_before_anything_is_written(sample, tmp_path, capsys, name):
    (table, column, rename), args, says = CASES[name]
    book = Path(shutil.copy(sample, tmp_path / "wb.xlsx"))
    _damage(book, table, column, rename)
    before = book.read_bytes()
    code = main([a.format(book=book) for a in args])
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("calloff: "), err
    assert says in lines[0] and "nothing was written" in lines[0], lines[0]
    assert book.read_bytes() == before
    assert not list(tmp_path.glob("*.pdf"))


def test_columns_damaged_names_what_is_wrong():
    assert columns_damaged(["A", "B"], ["A", "B"]) == ""
    assert columns_damaged(["B", "A"], ["A", "B"]) == "out of order"
    assert columns_damaged(["A", "C"], ["A", "B"]) == "missing B; not one of its columns: C"
