"""The Checks sheet in plain words: the check first, then OK or what is wrong, the formula's
TRUE/FALSE and its name after (issue 22)."""

from __future__ import annotations

import openpyxl

from xlsrc.edges.workbook.sheets.checks import CHECKS, COLUMNS, WARNINGS, WRONG
from xlsrc.model import layout


def test_every_check_and_warning_says_what_is_wrong():
    assert set(WRONG) == {name for name, _, _ in (*CHECKS, *WARNINGS)}


def test_each_result_reads_ok_or_what_is_wrong(sample):
    ws = openpyxl.load_workbook(sample, data_only=True)[layout.CHECKS]
    assert [c.value for c in ws[layout.HEADER_ROW]][: len(COLUMNS)] == list(COLUMNS)
    rows = [r for r in ws.iter_rows(values_only=True) if r[3] and r[3] != "Name"]
    assert len(rows) == 1 + len(CHECKS) + len(WARNINGS)
    for what, result, met, name in (r[:4] for r in rows):
        assert isinstance(met, bool), name
        assert not what.startswith(("Check", "Warn")), what  # the sentence, not the name
        expected = "OK" if met else WRONG.get(name, "Not all: see the rows below")
        if name == "WarnAreasWithinAllocation" and not met:  # names each area over
            expected = "Oxfordshire: 51 days recorded against an allocation of 50"
        assert result == expected, name
    by_name = {r[3]: r[1] for r in rows}
    assert by_name["WarnPlaceholders"] == WRONG["WarnPlaceholders"]  # the sample's placeholders
