"""Authority as data: the terms say which roles hold which powers (the order form: the
Department alone decides the break, ends, extends and varies; the supplier reports; the
Department accepts), and a decision by a role without the power is refused, naming the role
that has it: by `calloff decide` (nothing written) and in the Decisions table (validate)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from xlsrc.actions.decide import DecisionRefused, decide
from xlsrc.actions.validate import validate_workbook
from xlsrc.edges.fileio.reader import open_book
from xlsrc.edges.fileio.terms_reader import read_terms
from xlsrc.model import layout
from xlsrc.model.errors import TermsError
from xlsrc.model.rules import DECISION_BREAKS_RULE
from xlsrc.model.terms.authority import KIND_POWER, POWERS, holders, role_may
from xlsrc.model.terms.decisions import KIND_LABELS
from xlsrc.model.terms.loader import terms_from_mapping
from xlsrc.model.terms.models import Terms

TODAY = dt.date(2026, 11, 25)
DEPARTMENT = "DfE contract manager"
SUPPLIER = "Supplier lead adviser"


def test_the_department_alone_decides_and_accepts_the_supplier_reports(terms: Terms) -> None:
    for kind in KIND_LABELS:
        power = KIND_POWER[kind]
        assert role_may(terms, DEPARTMENT, power), power
        for role in (SUPPLIER, "Local area SEND lead"):
            assert not role_may(terms, role, power), (role, power)
    assert role_may(terms, SUPPLIER, "prepare-return")
    assert not role_may(terms, SUPPLIER, "approve-return")
    assert role_may(terms, DEPARTMENT, "approve-return")
    assert not role_may(terms, DEPARTMENT, "prepare-return")
    assert all(holders(terms, p) for p in POWERS)


def test_an_unknown_power_is_a_mistake_in_the_code(terms: Terms) -> None:
    with pytest.raises(ValueError, match="not a power"):
        role_may(terms, DEPARTMENT, "decide-everything")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p.pop("extend"), "powers.extend: name the role"),
        (lambda p: p.update({"extend": ["A named person"]}), "not one of the contract's roles"),
        (lambda p: p.update({"rule-the-world": [DEPARTMENT]}), "powers.rule-the-world"),
    ],
)
def test_a_terms_file_must_say_who_holds_each_power(terms: Terms, change, message) -> None:
    raw = terms.model_dump(mode="python", by_alias=True)
    change(raw["powers"])
    with pytest.raises(TermsError, match=message):
        terms_from_mapping(raw)


def test_the_workbook_carries_the_powers(built: Path, terms: Terms) -> None:
    assert read_terms(open_book(built)).powers == terms.powers


def _extension(by: str) -> dict[str, object]:
    notice = dt.date(2025, 5, 1)
    return {"kind": "extend", "months": 1, "decided": notice, "notice": notice, "by": by}


@pytest.mark.parametrize("role", [SUPPLIER, "Local area SEND lead", "DfE SEND adviser"])
def test_decide_refuses_a_role_without_the_power_and_writes_nothing(
    sample: Path, tmp_path: Path, role: str
) -> None:
    path = Path(shutil.copy(sample, tmp_path / "w.xlsx"))
    before = path.read_bytes()
    with pytest.raises(DecisionRefused) as refused:
        decide(path, _extension(role))
    assert f"{role} may not extend the contract" in str(refused.value)
    assert f"only {DEPARTMENT} may" in str(refused.value)
    assert path.read_bytes() == before


def test_decide_records_the_departments_extension(sample: Path, tmp_path: Path) -> None:
    path = Path(shutil.copy(sample, tmp_path / "w.xlsx"))
    result = decide(path, _extension(DEPARTMENT))
    assert result.terms.effective.extension_months == 4


def test_a_decisions_row_by_a_role_without_the_power_is_an_error_at_its_cell(
    sample: Path, tmp_path: Path
) -> None:
    path = Path(shutil.copy(sample, tmp_path / "w.xlsx"))
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.CONTRACT]
    top = int(ws.tables[layout.DECISIONS_TABLE].ref.split(":")[0][1:]) + 1
    row = top + 2  # the sample's two decisions fill the first two rows
    headers = list(layout.DECISION_COLUMNS)
    values = {
        "Decided": dt.datetime(2025, 5, 1),
        "Decision": KIND_LABELS["extend"],
        "Takes effect": dt.datetime(2025, 7, 1),
        "Months": 1,
        "Decided by (role)": SUPPLIER,
        "Notice given": dt.datetime(2025, 5, 1),
    }
    for header, value in values.items():
        ws.cell(row, headers.index(header) + 1).value = value
    wb.save(path)
    report = validate_workbook(path, today=TODAY, write=False)
    found = [i for i in report.issues if i.code == DECISION_BREAKS_RULE.code]
    assert [(i.row, i.column) for i in found] == [(row, "Decided by (role)")]
    assert f"only {DEPARTMENT} may" in found[0].message
