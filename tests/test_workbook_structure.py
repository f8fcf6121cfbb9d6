"""The built workbook's structure: what Excel insists on and LibreOffice would forgive."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from xlsrc.edges.workbook.sheets import annexa
from xlsrc.edges.workbook.structure import structural_problems
from xlsrc.model import layout
from xlsrc.model.entry import ALL_COLUMNS, INPUT_COLUMNS
from xlsrc.model.terms.models import Terms

REQUIRED_NAMES = (
    "Cap",
    "DayRate",
    "VATRate",
    "StartDate",
    "EndDate",
    "BreakDate",
    "ExtensionMonths",
    "EffectiveEnd",
    "BreakState",
    "RateNow",
    "TotalDays",
    "TotalNet",
    "TotalVAT",
    "TotalGross",
    "Headroom",
    "CapUsedPct",
    "MasterCheck",
)


@pytest.fixture(scope="module")
def wb(built) -> openpyxl.Workbook:
    return openpyxl.load_workbook(built)


def test_built_and_sample_workbooks_have_no_structural_problems(built, sample):
    assert structural_problems(built) == []
    assert structural_problems(sample) == []


def test_sheets_in_order_lists_hidden(wb):
    assert tuple(wb.sheetnames) == layout.SHEET_ORDER
    assert wb[layout.LISTS].sheet_state == "hidden"
    assert all(wb[s].sheet_state == "visible" for s in layout.SHEET_ORDER if s != layout.LISTS)


def test_required_defined_names_exist_and_point_at_one_cell(wb):
    for name in REQUIRED_NAMES + layout.BUDGET_NAMES:
        assert name in wb.defined_names, name
        ((sheet, ref),) = wb.defined_names[name].destinations
        assert ":" not in ref, f"{name} should be one cell, is {ref}"
        assert sheet in wb.sheetnames


def test_tracker_table_columns_and_formulas(wb):
    ws = wb[layout.TRACKER]
    table = ws.tables[layout.TRACKER_TABLE]
    assert [c.name for c in table.tableColumns] == list(ALL_COLUMNS)
    assert list(ALL_COLUMNS[:7]) == [
        "Date",
        "Advisor",
        "Area",
        "Activity",
        "Outcomes",
        "Days",
        "Notes",
    ]
    row = layout.FIRST_DATA_ROW
    month, cost = ws.cell(row, 8).value, ws.cell(row, 9).value
    # Month is the counting rule (docs/counting.md); Cost prices only rows with a Month.
    date, area = "Tracker[[#This Row],[Date]]", "Tracker[[#This Row],[Area]]"
    assert month.startswith(f"=IF(IF(AND(ISNUMBER({date}),") and f"EXACT({area},AreaList)" in month
    assert cost.startswith("=IF(ISNUMBER(Tracker[[#This Row],[Month]]),")
    assert f'COUNTIF(Rates[From],"<="&{date})' in cost  # priced at the rate in force on its date
    for c in range(1, len(INPUT_COLUMNS) + 1):
        assert ws.cell(row, c).protection.locked is False
    for c in (8, 9):
        assert ws.cell(row, c).protection.locked is True
    assert ws.protection.sheet


def test_tracker_validation(wb):
    ws = wb[layout.TRACKER]
    by_col = {}
    for dv in ws.data_validations.dataValidation:
        col = re.match(r"[A-Z]+", str(dv.sqref)).group(0)
        by_col[col] = dv
    assert by_col["A"].type == "date"
    assert (by_col["A"].formula1, by_col["A"].formula2) == ("StartDate", "ContractEnd")
    assert by_col["B"].formula1 == "AdvisorList"
    assert by_col["C"].formula1 == "AreaList"
    assert by_col["D"].formula1 == "ActivityList"
    assert by_col["F"].formula1 == "DaysList"
    assert all("!" not in str(dv.sqref) for dv in ws.data_validations.dataValidation)


def test_activities_cover_what_the_order_form_asks_for(terms: Terms):
    text = " | ".join(terms.activities).lower()
    for needed in (
        "sib",
        "deep dive",
        "stocktake",
        "vcu",
        "report",
        "leaders",
        "practitioners",
        "nhse",
        "dbv",
        "safety valve",
        "travel",
    ):
        assert needed in text, needed


def test_annexa_matrix_has_every_outcome_measure_area_and_month(wb, terms):
    ws = wb[layout.ANNEXA]
    table = ws.tables[layout.ANNEXA_TABLE]
    headers = [c.name for c in table.tableColumns]
    expected_rows = sum(len(o.measures) * len(o.areas) for o in terms.outcomes)
    assert len(annexa.matrix_rows(terms)) == expected_rows == 49
    months = headers[len(layout.ANNEXA_FIXED) :]
    assert months[0] == "Oct 2023" and months[-1] == "Mar 2026" and len(months) == 30
    seen = {
        (ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 5).value)
        for r in range(layout.FIRST_DATA_ROW, layout.FIRST_DATA_ROW + expected_rows)
    }
    assert ("Medway", "PM-1", "SM-T1") in seen and ("Oxfordshire", "OX-AI4", "SM-E") in seen
    rag = [dv for dv in ws.data_validations.dataValidation if dv.formula1 == "RAGList"]
    assert len(rag) == 1


def test_input_cells_unlocked_and_formula_cells_locked(wb):
    for name in ("Cap", "DayRate", "VATRate", "BreakDate"):
        ((sheet, ref),) = wb.defined_names[name].destinations
        assert wb[sheet][ref.replace("$", "")].protection.locked is False, name
    contract = wb[layout.CONTRACT]
    for table in (layout.DECISIONS_TABLE, layout.RATES_TABLE):  # typed into directly
        bottom_right = contract.tables[table].ref.split(":")[1]
        assert contract[bottom_right].protection.locked is False, table
    for name in ("TotalNet", "MasterCheck", "ForecastEnd", "ExtensionMonths", "EffectiveEnd"):
        ((sheet, ref),) = wb.defined_names[name].destinations
        cell = wb[sheet][ref.replace("$", "")]
        assert isinstance(cell.value, str) and cell.value.startswith("=")
        assert cell.protection.locked is True, name
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title


def test_every_sheet_prints_on_a4_with_the_marking(wb, terms):
    for ws in wb.worksheets:
        if ws.title == layout.LISTS:
            continue
        assert int(ws.page_setup.paperSize) == 9, ws.title  # 9 = A4
        assert ws.oddHeader.center.text == terms.contract.protective_marking
        assert ws.freeze_panes or ws.title == layout.GUIDE, ws.title


def test_budget_has_a_native_chart(wb):
    charts = wb[layout.BUDGET]._charts
    assert len(charts) == 1


def test_risk_register_scores_by_formula(wb):
    ws = wb[layout.RISKS]
    table = ws.tables[layout.RISKS_TABLE]
    headers = [c.name for c in table.tableColumns]
    assert headers[:7] == [
        "ID",
        "Risk",
        "Area",
        "Outcome",
        "Likelihood (1-5)",
        "Impact (1-5)",
        "Score",
    ]
    assert "Owner (role)" in headers and "Escalate to VCU" in headers
    assert ws.cell(layout.FIRST_DATA_ROW, 7).value.startswith("=IF(AND(ISNUMBER(E5)")


# --- the checker finds each planted fault --------------------------------------------------


def _rewrite(src: Path, dst: Path, part: str, old: str, new: str) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                text = data.decode("utf-8")
                assert old in text, f"{old!r} not in {part}"
                data = text.replace(old, new, 1).encode("utf-8")
            zout.writestr(item, data)


def _sheet_part(path: Path, title: str) -> str:
    from xlsrc.edges.workbook.structure import sheets

    with zipfile.ZipFile(path) as z:
        return sheets(z)[title]


def test_checker_catches_validation_range_with_sheet_name(built, tmp_path):
    bad = tmp_path / "bad.xlsx"
    _rewrite(
        built, bad, _sheet_part(built, "Tracker"), 'sqref="C5:C404"', 'sqref="Tracker!C5:C404"'
    )
    assert any("carries a sheet name" in p for p in structural_problems(bad))


def test_checker_catches_header_that_differs_from_table(built, tmp_path):
    bad = tmp_path / "bad.xlsx"
    wb = openpyxl.load_workbook(built)
    wb[layout.TRACKER]["B4"] = "Adviser"
    wb.save(bad)
    assert any("header 'Adviser' differs" in p for p in structural_problems(bad))


def test_checker_catches_new_excel_functions_and_unlocked_formulas(built, tmp_path):
    bad = tmp_path / "bad.xlsx"
    wb = openpyxl.load_workbook(built)
    ws = wb[layout.BUDGET]
    ws["Z1"] = "=XLOOKUP(1,A1:A2,B1:B2)"
    ws["Z2"] = "=SUM(A1:A2)"
    ws["Z2"].protection = openpyxl.styles.Protection(locked=False)
    wb.save(bad)
    problems = structural_problems(bad)
    assert any("Budget!Z1: uses XLOOKUP" in p for p in problems)
    assert any("Budget!Z2: formula cell is not locked" in p for p in problems)


def test_checker_catches_a_dangling_name(built, tmp_path):
    bad = tmp_path / "bad.xlsx"
    wb = openpyxl.load_workbook(built)
    wb.defined_names["Ghost"] = DefinedName("Ghost", attr_text="Nowhere!$A$1")
    wb.save(bad)
    assert any("Ghost does not resolve" in p for p in structural_problems(bad))


def test_checker_catches_unprotected_formula_sheet(built, tmp_path):
    bad = tmp_path / "bad.xlsx"
    shutil.copy(built, bad)
    wb = openpyxl.load_workbook(bad)
    wb[layout.CHECKS].protection.sheet = False
    wb.save(bad)
    assert "Checks: holds formulas but is not protected" in structural_problems(bad)
