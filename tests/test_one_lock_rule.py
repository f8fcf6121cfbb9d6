"""One lock rule (issue 20, item 8): a month is locked when its return is issued (or it is
invoiced), and so is every month before it, since anything dated then changes the "to date"
figures the return reported. A late entry or a decision dated in the locked period is refused
the same way, in the same words, by fill, import and decide; validate names the issued month
whose rows changed under it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from tests.test_import import entry, tracker_file
from xlsrc.actions.import_trackers import import_trackers
from xlsrc.adapters.cli import main
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import append_entries, load_for_edit
from xlsrc.model.dates import locked_words

TODAY = "2025-07-15"
# March 2024 issued; February 2024 never was, and is locked all the same.
LOCKED = "February 2024 is locked: returns or invoices have been issued up to 31/03/2024"


@pytest.fixture(scope="module")
def march_issued(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = Path(shutil.copy(sample, tmp_path_factory.mktemp("lock") / "march.xlsx"))
    assert main(["return", str(path), "--month", "2024-03", "--today", TODAY]) == 0
    return path


def _fill(path: Path, tmp: Path, capsys) -> str:
    csv = tmp / "late.csv"
    csv.write_text(
        "Date,Advisor,Area,Activity,Outcomes,Days,Notes\n"
        "15/02/2024,RK-01,Medway,Deep dive,PM-1,1,late\n"
    )
    assert main(["fill", str(path), "--tracker", str(csv), "--today", TODAY]) == 2
    out = capsys.readouterr()
    return out.out + out.err


def _import(path: Path, tmp: Path, capsys) -> str:
    late = tracker_file(tmp, "RK-03", [entry("RK-03", dt.date(2024, 2, 15))])
    report = import_trackers(path, [late], today=dt.date.fromisoformat(TODAY))
    return report.to_text()


def _decide(path: Path, tmp: Path, capsys) -> str:
    args = ["decide", str(path), "day-rate", "--rate", "700.00", "--effective", "2024-02-15"]
    when = ["--decided", "2024-02-10", "--by", "DfE contract manager", "--today", TODAY]
    assert main([*args, *when]) == 2
    out = capsys.readouterr()
    return out.out + out.err


@pytest.mark.parametrize("command", [_fill, _import, _decide], ids=["fill", "import", "decide"])
def test_a_late_entry_before_an_issued_month_is_refused_alike(
    march_issued, tmp_path, capsys, command
):
    path = Path(shutil.copy(march_issued, tmp_path / "wb.xlsx"))
    before = path.read_bytes()
    capsys.readouterr()
    said = " ".join(command(path, tmp_path, capsys).split())
    assert LOCKED in said
    assert "dated 15/02/2024" in said and "open month (from 01/04/2024)" in said
    assert path.read_bytes() == before


def test_the_words_are_one_sentence():
    day, through = dt.date(2024, 2, 15), dt.date(2024, 3, 31)
    assert locked_words("an entry", day, through).startswith(LOCKED)
    assert locked_words("a decision taking effect", day, through).startswith(LOCKED)


def test_validate_names_the_issued_month_a_row_typed_in_changes(march_issued, tmp_path, capsys):
    path = Path(shutil.copy(march_issued, tmp_path / "typed.xlsx"))
    wb = load_for_edit(path)
    append_entries(wb, [entry("RK-01", dt.date(2024, 3, 27), area="Medway", outcomes=("PM-1",))])
    save_workbook(wb, path)
    capsys.readouterr()
    assert main(["validate", str(path), "--no-write", "--json", "--today", TODAY]) == 1
    issues = json.loads(capsys.readouterr().out)["issues"]
    locked = [i for i in issues if i["code"] == "MONTH-LOCKED-CHANGED"]
    assert locked and "March 2024 was locked when its return" in locked[0]["message"]


def test_an_interim_return_locks_the_months_before_its_own(sample, tmp_path, capsys):
    """An interim return as at 15/03/2024 reported the contract to date: February is locked;
    March itself stays open (a day recorded late there is INTERIM-CHANGED, a warning)."""
    path = Path(shutil.copy(sample, tmp_path / "interim.xlsx"))
    assert main(["return", str(path), "--interim", "2024-03-15", "--today", TODAY]) == 0
    before = path.read_bytes()
    capsys.readouterr()
    said = " ".join(_fill(path, tmp_path, capsys).split())
    assert "February 2024 is locked: returns or invoices have been issued up to 29/02/2024" in said
    assert path.read_bytes() == before
