"""The cap guarded (issue 20, item 3): a decision that would take the Budget's forecast to the
end in force over the cap in force is refused unless a cap variation (a dated decision by the
Department, with its new cap) covers it; the Budget, alerts, portfolio and returns use the cap
in force on each date, in the formulas and in Python alike (the LibreOffice test below)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.terms_helpers import with_decisions
from xlsrc.actions.decide import DecisionRefused, decide
from xlsrc.actions.validate import validate_workbook
from xlsrc.actions.workbook_data import load_workbook_data
from xlsrc.core.totals import compute_totals
from xlsrc.core.totals.budget import allocation_over_cap, decisions_over_cap
from xlsrc.model import layout
from xlsrc.model.rules import ALLOCATION_OVER_CAP, DECISION_OVER_CAP
from xlsrc.model.terms import load_terms
from xlsrc.model.terms.decisions import KIND_LABELS

D = dt.date
TODAY = D(2025, 5, 20)
DEPARTMENT = "DfE contract manager"
SUPPLIER = "Supplier lead adviser"


def _extend(months: int, days: str, by: str = DEPARTMENT, on: dt.date = TODAY) -> dict:
    return {
        "kind": "extend",
        "months": months,
        "days_per_month": days,
        "notice": on,
        "decided": on,
        "by": by,
    }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_refused_decisions_leave_the_workbook_unchanged_and_the_departments_is_recorded(
    sample: Path, tmp_path: Path
) -> None:
    """The Done-when of item 3, on the bundled example (extended to 30/06/2025, £52,650 spent
    of the £58,500 cap): the supplier's extension, a decision dated before the order and an
    extension that would pass the cap are each refused with the file byte-identical; the
    Department's extension is recorded."""
    path = Path(shutil.copy(sample, tmp_path / "w.xlsx"))
    before = _digest(path)
    refused = {
        "the supplier's extension": (_extend(1, "2", by=SUPPLIER), "only DfE contract manager"),
        "dated before the order": (
            _extend(1, "2", on=D(2023, 1, 1)),
            "is before the order date, 12/10/2023",
        ),
        "over the cap": (_extend(6, "10"), "over the cap in force of £58,500.00"),
    }
    for what, (fields, says) in refused.items():
        with pytest.raises(DecisionRefused) as why:
            decide(path, fields, today=TODAY)
        assert says in str(why.value), what
        assert "nothing was written" in str(why.value), what
        assert _digest(path) == before, what  # byte-identical
    with pytest.raises(DecisionRefused) as refusal:
        decide(path, _extend(6, "10"), today=TODAY)
    over = str(refusal.value)
    assert "£93,925.00" in over and "record a cap variation first" in over
    result = decide(path, _extend(1, "2"), today=TODAY)
    assert result.terms.contract_end == D(2025, 7, 31)
    assert _digest(path) != before
    ws = openpyxl.load_workbook(path)[layout.CONTRACT]
    assert ws.cell(result.row, 2).value == KIND_LABELS["extend"]
    assert ws.cell(result.row, 9).value == DEPARTMENT


def test_a_cap_variation_covers_the_extension(sample: Path, tmp_path: Path) -> None:
    path = Path(shutil.copy(sample, tmp_path / "w.xlsx"))
    variation = {
        "kind": "vary-cap",
        "cap": "95000.00",
        "effective": D(2025, 7, 1),
        "decided": TODAY,
        "by": SUPPLIER,
    }
    with pytest.raises(DecisionRefused, match="may not vary the cap"):
        decide(path, variation, today=TODAY)
    varied = decide(path, {**variation, "by": DEPARTMENT}, today=TODAY)
    assert varied.terms.cap_now == Decimal("95000.00")
    assert varied.terms.cap_on(D(2025, 6, 30)) == Decimal("58500")  # before it takes effect
    header = list(layout.DECISION_COLUMNS)
    ws = openpyxl.load_workbook(path)[layout.CONTRACT]
    assert ws.cell(varied.row, header.index("New cap") + 1).value == 95000
    extended = decide(path, _extend(6, "10"), today=TODAY)  # now within the cap in force
    assert extended.terms.contract_end == D(2025, 12, 31)
    t = load_workbook_data(path).totals()
    assert t.Headroom == Decimal("95000") - t.TotalNet
    assert t.ForecastEnd == Decimal("91650.00")  # every entry: the issue's figure
    assert not [
        i
        for i in validate_workbook(path, today=TODAY, write=False).issues
        if i.code == DECISION_OVER_CAP.code
    ]


def test_a_lower_cap_that_the_forecast_passes_is_refused(sample: Path, tmp_path: Path) -> None:
    path = Path(shutil.copy(sample, tmp_path / "w.xlsx"))
    before = _digest(path)
    with pytest.raises(DecisionRefused, match=r"over the cap in force of £50,000\.00"):
        decide(
            path,
            {
                "kind": "vary-cap",
                "cap": "50000",
                "effective": TODAY,
                "decided": TODAY,
                "by": DEPARTMENT,
            },
            today=TODAY,
        )
    assert _digest(path) == before


def test_validate_reports_an_over_cap_decision_typed_into_the_table(
    sample: Path, tmp_path: Path
) -> None:
    path = Path(shutil.copy(sample, tmp_path / "w.xlsx"))
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.CONTRACT]
    top = int(ws.tables[layout.DECISIONS_TABLE].ref.split(":")[0][1:]) + 1
    row = top + 2  # the sample's two decisions fill the first two rows
    header = list(layout.DECISION_COLUMNS)
    typed = {
        "Decided": dt.datetime(2025, 5, 20),
        "Decision": KIND_LABELS["extend"],
        "Takes effect": dt.datetime(2025, 7, 1),
        "Months": 6,
        "Days per month": 10,
        "Decided by (role)": DEPARTMENT,
        "Notice given": dt.datetime(2025, 5, 20),
    }
    for name, value in typed.items():
        ws.cell(row, header.index(name) + 1).value = value
    wb.save(path)
    found = [
        i
        for i in validate_workbook(path, today=TODAY, write=False).issues
        if i.code == DECISION_OVER_CAP.code
    ]
    assert [(i.sheet, i.row, i.severity) for i in found] == [(layout.CONTRACT, row, "error")]
    assert "£93,925.00" in found[0].message


def test_decisions_are_judged_as_they_stood_the_day_they_were_decided(sample: Path) -> None:
    """The forecast a decision is held to is the one of its day: the entries dated by then. A
    decision that lowers the forecast (an early end) is never refused for an overspend."""
    data = load_workbook_data(sample)
    entries = data.validate(TODAY).entries
    over = with_decisions(
        data.terms,
        {
            "decided": D(2025, 2, 12),
            "kind": "days-per-month",
            "effective": D(2025, 4, 1),
            "days_per_month": "20",
        },
    )
    found = decisions_over_cap(over, entries)
    assert [f.index for f in found] == [2]
    known = [e for e in entries if e.date <= D(2025, 2, 12)]
    assert found[0].forecast == compute_totals(over.as_at(D(2025, 2, 12)), known).ForecastEnd
    covered = with_decisions(
        over,
        {"decided": D(2025, 2, 12), "kind": "vary-cap", "cap": "99000", "effective": D(2025, 4, 1)},
    )
    assert decisions_over_cap(covered, entries) == []
    ended = with_decisions(
        over, {"decided": D(2025, 4, 2), "kind": "end-early", "effective": D(2025, 4, 30)}
    )
    assert [f.index for f in decisions_over_cap(ended, entries)] == [2]  # not the end


def test_allocations_that_no_longer_fit_the_cap_are_a_warning(sample: Path) -> None:
    terms = load_workbook_data(sample).terms
    assert allocation_over_cap(terms) is None  # 90 days at £650 = £58,500: they fit
    raw = terms.model_dump(mode="python", by_alias=True)
    raw["areas"][0]["days_allocated"] = Decimal("60")
    from xlsrc.model.terms.loader import terms_from_mapping

    assert allocation_over_cap(terms_from_mapping(raw)) == (
        Decimal("65000.00"),
        Decimal("58500"),
    )
    assert ALLOCATION_OVER_CAP.severity == "warning"


@pytest.mark.libreoffice
def test_the_cap_in_force_is_the_same_in_the_formulas_and_python(
    lo: None, sample: Path, tmp_path: Path
) -> None:
    """A cap variation from 01/07/2025 and a 6-month extension at 10 days a month: LibreOffice
    recalculates the Budget (CapNow, headroom, cap used, the alert, every month's Cap, the
    scenarios' headroom) and each figure equals Python's to the penny."""
    from tests.test_cached_values import assert_cached_values_reproduced
    from tests.test_libreoffice_decisions import workbook_with
    from tests.test_libreoffice_recalc import assert_penny, compare_everything

    entries = load_workbook_data(sample).validate(TODAY).entries
    terms = with_decisions(
        load_terms(),
        {"decided": D(2024, 2, 20), "kind": "continue"},
        {"decided": TODAY, "kind": "vary-cap", "cap": "95000", "effective": D(2025, 7, 1)},
        {**_extend(6, "10"), "notice": D(2025, 2, 10), "decided": D(2025, 2, 10), "months": 3},
        {**_extend(3, "10"), "effective": D(2025, 7, 1)},
    )
    path = workbook_with(terms, tmp_path, "varied", entries)
    names = compare_everything(path, tmp_path)
    assert assert_cached_values_reproduced(path, tmp_path) > 1500  # the interpreter agrees
    assert_penny(names["CapNow"], Decimal("95000"), "CapNow")
    assert_penny(names["Headroom"], Decimal("95000") - Decimal("52650"), "Headroom")
    t = load_workbook_data(path).totals()
    assert {m.cap for m in t.months if m.month < D(2025, 7, 1)} == {Decimal("58500")}
    assert {m.cap for m in t.months if m.month >= D(2025, 7, 1)} == {Decimal("95000")}
