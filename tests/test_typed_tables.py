"""Every typed table follows the Tracker's counting rule (issue 19, item 2): a cell its
formulas cannot read as the column needs is an error at its own cell, and counts nowhere, in
Python and in the formulas alike (LibreOffice recalculates a planted file to prove the
formulas' half)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlsrc.actions.validate import validate_workbook
from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.edges.libreoffice.recalc import recalculate
from xlsrc.edges.workbook.sheets import invoices
from xlsrc.model import layout
from xlsrc.model.rules import CELL_UNREADABLE

TODAY = dt.date(2026, 11, 25)
FIRST = layout.FIRST_DATA_ROW
CALCULATED = [f"{invoices.COL[h]}" for h in invoices.CALCULATED]


def _planted(sample: Path, tmp_path: Path) -> tuple[Path, int]:
    """The sample with a text Net on Invoices (November 2023), a good invoice below it
    (December 2023), a text figure on EHCP and a rating not on the list on AnnexA."""
    path = Path(shutil.copy(sample, tmp_path / "planted.xlsx"))
    data = load_workbook_data(path)
    december = next(m for m in data.totals(TODAY).months if m.month == dt.date(2023, 12, 1))
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.INVOICES]
    for c, value in enumerate((dt.datetime(2023, 11, 1), "INV-1", "3,575.00", 715, 4290), 1):
        ws.cell(FIRST, c).value = value
    vat = (december.net * Decimal("0.2")).quantize(Decimal("0.01"))
    for c, value in enumerate((dt.datetime(2023, 12, 1), "INV-2", december.net, vat), 1):
        ws.cell(FIRST + 1, c).value = float(value) if isinstance(value, Decimal) else value
    ws.cell(FIRST + 1, 5).value = float(december.net + vat)
    ehcp = wb[layout.EHCP]
    ehcp.cell(FIRST + 1, 4).value = "3"  # Issued within 20 weeks, as text
    wb[layout.ANNEXA].cell(FIRST, 7).value = "Grey"  # "red" is Red: ratings read in any case
    wb.save(path)
    return path, FIRST


def test_each_unreadable_cell_is_an_error_at_its_own_cell(sample, tmp_path):
    path, first = _planted(sample, tmp_path)
    report = validate_workbook(path, today=TODAY, write=False)
    found = {(i.sheet, i.row, i.column) for i in report.issues if i.code == CELL_UNREADABLE.code}
    assert found == {
        (layout.INVOICES, first, "Net"),
        (layout.EHCP, first + 1, "Issued within 20 weeks"),
        (layout.ANNEXA, first, "Oct 2023"),
    }
    message = next(i.message for i in report.issues if i.column == "Net")
    assert "Invoices!C5" in message and "Retype 3575.00 as a number" in message


def test_unreadable_rows_count_nowhere_in_python_and_the_good_row_stays(sample, tmp_path):
    path, first = _planted(sample, tmp_path)
    data = load_workbook_data(path)
    ledger = data.ledger(TODAY)
    assert [i.row for i in ledger.invoices] == [first + 1]
    good = ledger.check(ledger.sheet_invoice_for(dt.date(2023, 12, 1)))
    assert good.passed, good.to_text()
    with pytest.raises(Exception, match="Net must be a number"):
        ledger.sheet_invoice_for(dt.date(2023, 11, 1))
    row = [e for e in data.progress.ehcp if e.month == dt.date(2023, 10, 1)][1]
    assert row.within_20_weeks is None
    assert all("Grey" not in r.ratings.values() for r in data.progress.annexa)


def test_the_formulas_skip_them_too_libreoffice_and_the_cache_agree(sample, tmp_path, lo):
    path, first = _planted(sample, tmp_path)
    validate_workbook(path, today=TODAY)  # writes the cached values calloff computes
    out = tmp_path / "lo.xlsx"
    recalculate(path, xlsx=out)
    engines = {
        "calloff": openpyxl.load_workbook(path, data_only=True),
        "LibreOffice": openpyxl.load_workbook(out, data_only=True),
    }
    for name, wb in engines.items():
        ws = wb[layout.INVOICES]
        skipped = [ws[f"{c}{first}"].value for c in CALCULATED[:-1]]
        assert all(v in (None, "") for v in skipped), (name, skipped)
        assert str(ws[f"{CALCULATED[-1]}{first}"].value).startswith("CHECK: a Month"), name
        assert ws[f"{CALCULATED[-1]}{first + 1}"].value == "PASS", name
        # Cumulative invoiced for December: the good row only, the text Net counted nowhere.
        cumulative = ws[f"{invoices.COL['Cumulative invoiced']}{first + 1}"].value
        assert cumulative == ws[f"C{first + 1}"].value, (name, cumulative)
        pct = wb[layout.EHCP].cell(first + 1, 5).value
        assert pct in (None, ""), (name, pct)
