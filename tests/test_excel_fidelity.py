"""Excel's habits that LibreOffice forgives: conditional formats written as Excel writes them.

Every workbook any command writes in these tests also passes `structural_problems`
(tests/conftest.py wraps the atomic writer); here each fault is planted once to prove the
check sees it.
"""

from __future__ import annotations

import zipfile

import pytest
from defusedxml import ElementTree
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import PatternFill

from tests import conftest
from tests.tools import openxml_check
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.structure import COMPARISONS, NS, structural_problems


def _rules(path, sheet_part):
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read(sheet_part))
    return list(root.iter(f"{{{NS['m']}}}cfRule"))


def _dxf_fills(path):
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("xl/styles.xml"))
    return list(root.iterfind("m:dxfs/m:dxf/m:fill/m:patternFill", NS))


def test_guide_status_is_a_begins_with_rule_with_its_formula(built):
    """Guide!B4's status and the decisions-falling-due states: text rules as Excel writes
    them, each `beginsWith` with its text and the LEFT(...) formula of its range's first cell."""
    with zipfile.ZipFile(built) as z:
        root = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    found = {
        (block.get("sqref"), rule.get("type"), rule.get("operator"), rule.get("text"),
         rule.find("m:formula", NS).text)
        for block in root.iter(f"{{{NS['m']}}}conditionalFormatting")
        for rule in block.iter(f"{{{NS['m']}}}cfRule")
    }  # fmt: skip
    begins = ("beginsWith", "beginsWith")
    assert found == {
        ("B4", *begins, "OK", 'LEFT(B4,LEN("OK"))="OK"'),
        ("B4", *begins, "Warning", 'LEFT(B4,LEN("Warning"))="Warning"'),
        ("B4", *begins, "Not OK", 'LEFT(B4,LEN("Not OK"))="Not OK"'),
        ("D12:D13", *begins, "Falling due", 'LEFT(D12,LEN("Falling due"))="Falling due"'),
        ("D12:D13", *begins, "Past its date", 'LEFT(D12,LEN("Past its date"))="Past its date"'),
    }


def test_every_rule_and_fill_of_the_built_workbook_is_as_excel_writes_it(built):
    with zipfile.ZipFile(built) as z:
        parts = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    rules = [r for part in parts for r in _rules(built, part)]
    assert len(rules) > 20
    assert {r.get("operator") for r in rules if r.get("type") == "cellIs"} <= COMPARISONS
    fills = _dxf_fills(built)
    assert fills and all(f.find("m:bgColor", NS) is not None for f in fills)
    assert all(f.find("m:fgColor", NS) is None for f in fills)


def _planted(tmp_path, rule) -> list[str]:
    wb = Workbook()
    wb.active.conditional_formatting.add("A1:A3", rule)
    path = tmp_path / "planted.xlsx"
    wb.save(path)
    return structural_problems(path)


def test_check_refuses_cell_is_with_a_text_operator(tmp_path):
    found = _planted(tmp_path, CellIsRule(operator="beginsWith", formula=['"PASS"']))
    assert any("cellIs with operator 'beginsWith'" in p for p in found)


def test_check_refuses_a_differential_fill_without_bgcolor(tmp_path):
    solid = PatternFill("solid", fgColor="F8CBAD")
    found = _planted(tmp_path, FormulaRule(formula=["A1>1"], fill=solid))
    assert any("differential fill without bgColor" in p for p in found)


def test_check_refuses_a_text_rule_without_its_formula(tmp_path):
    rule = styles.begins_with_rule("A1", "PASS", styles.GREEN_MARK)
    rule.formula = []
    found = _planted(tmp_path, rule)
    assert any("beginsWith without its text and formula" in p for p in found)


def test_check_accepts_what_excel_writes(tmp_path):
    assert _planted(tmp_path, styles.begins_with_rule("A1", "PASS", styles.GREEN_MARK)) == []
    assert (
        _planted(tmp_path, CellIsRule(operator="equal", formula=["1"], fill=styles.RED_MARK)) == []
    )


@pytest.mark.planted_fault
def test_every_save_is_checked(tmp_path):
    wb = Workbook()
    rule = CellIsRule(operator="containsText", formula=['"x"'], fill=styles.RED_MARK)
    wb.active.conditional_formatting.add("A1", rule)
    before = len(conftest._FOUND)
    save_workbook(wb, tmp_path / "bad.xlsx")
    assert any("containsText" in p for p in conftest._FOUND[before:])


def test_openxml_audit_passes_the_shipped_workbooks_with_only_listed_false_positives():
    for path in (conftest.REPO / "workbook").glob("CON_22889.xls*"):
        assert openxml_check.findings(path) == [], path


def test_openxml_audit_reports_a_planted_schema_fault(tmp_path, built):
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(built) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<sheetData>", b"<sheetData><bogus/>", 1)
            dst.writestr(info, body)
    found = openxml_check.findings(bad)
    assert any("bogus" in line for line in found)


def test_the_tracker_declares_its_calculated_columns(built):
    import openpyxl

    from xlsrc.model import layout

    wb = openpyxl.load_workbook(built)
    ws = wb[layout.TRACKER]
    table = ws.tables[layout.TRACKER_TABLE]
    declared = {
        c.name: c.calculatedColumnFormula.attr_text
        for c in table.tableColumns
        if c.calculatedColumnFormula is not None
    }
    assert {"Month", "Cost"} <= set(declared)
    headers = [c.name for c in table.tableColumns]
    for row in (layout.FIRST_DATA_ROW, layout.FIRST_DATA_ROW + 200):
        for name, text in declared.items():
            assert "[#This Row]" in text
            assert ws.cell(row, headers.index(name) + 1).value == "=" + text


def test_the_tracker_print_area_follows_its_rows_as_it_grows(built, tmp_path):
    """The empty rows kept ready for typing are not printed: the print area ends at the last
    row written (the header and one row when there is none), and grows with the table."""
    import datetime as dt
    from decimal import Decimal

    import openpyxl

    from xlsrc.edges.fileio.tracker_writer import append_entries, load_for_edit
    from xlsrc.model import layout
    from xlsrc.model.entry import Entry

    def area_and_table(path):
        ws = openpyxl.load_workbook(path)[layout.TRACKER]
        return ws.print_area, ws.tables[layout.TRACKER_TABLE].ref

    area, ref = area_and_table(built)
    assert ref.endswith(f"{layout.HEADER_ROW + layout.TRACKER_CAPACITY}")
    assert area == f"'{layout.TRACKER}'!$A$1:${ref.split(':')[1][0]}${layout.FIRST_DATA_ROW}"
    entry = Entry(
        row=2,
        date=dt.date(2023, 11, 1),
        advisor="RK-01",
        area="Oxfordshire",
        activity="Travel",
        outcomes=(),
        days=Decimal("0.5"),
        notes="",
    )
    for count in (7, layout.TRACKER_CAPACITY + 5):
        wb = load_for_edit(built)
        append_entries(wb, [entry] * count)
        grown = tmp_path / "grown.xlsx"
        save_workbook(wb, grown)
        area, ref = area_and_table(grown)
        assert area.endswith(f"${layout.HEADER_ROW + count}")
    assert int(ref.split(":")[1][1:]) == layout.HEADER_ROW + layout.TRACKER_CAPACITY + 5
