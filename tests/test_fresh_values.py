"""Never a stale cached value (issue 19.1): inputs retyped inside the file's XML, with no
recalculation (the cached values left as they were), then a writing command: every formula
cell's cached value is what the formulas give on the file as it now is.

The independent checks: the engine computing the saved file from nothing (no cached value
kept), `calloff totals` against the file's Budget, and LibreOffice's own recalculation.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from tests.signoff_helpers import sign_off
from tests.test_cached_values import assert_cached_values_reproduced, formula_cells
from xlsrc.actions.decide import decide
from xlsrc.actions.fill import fill
from xlsrc.actions.import_trackers import import_trackers
from xlsrc.actions.monthly_return import build_return
from xlsrc.actions.totals import workbook_totals
from xlsrc.actions.validate import validate_workbook
from xlsrc.edges.formulas.cache import compute
from xlsrc.edges.formulas.functions import pinned_today
from xlsrc.edges.workbook.structure import sheets
from xlsrc.model import layout
from xlsrc.model.entry import ALL_COLUMNS, RawRow

TODAY = dt.date(2025, 6, 30)

# (sheet, cell, value): a Tracker cell, DayRate, a Rates line, VATRate, a Decisions row and an
# Invoices row, each typed over as a program that does not recalculate would leave it.
EDITS: list[tuple[str, str, object]] = [
    (layout.TRACKER, "F5", 1.0),  # 0.5 in the sample
    (layout.CONTRACT, "B22", 600.0),  # DayRate, 650
    (layout.CONTRACT, "A61", 45383.0),  # a Rates line from 1 April 2024 ...
    (layout.CONTRACT, "B61", 640.0),  # ... at 640
    (layout.CONTRACT, "B20", 0.25),  # VATRate, 0.2
    (layout.CONTRACT, "D38", 6.0),  # the extension's months, 3
    (layout.INVOICES, "A5", 45231.0),  # November 2023 invoiced ...
    (layout.INVOICES, "B5", "INV-1"),
    (layout.INVOICES, "C5", 3000.0),
    (layout.INVOICES, "D5", 600.0),
    (layout.INVOICES, "E5", 3600.0),
]


def retype(path: Path, edits: list[tuple[str, str, object]]) -> None:
    """Each cell's value replaced inside its sheet's XML (None: emptied); every cached value
    left as it was."""
    with zipfile.ZipFile(path) as src:
        parts = sheets(src)
        bodies = {info.filename: src.read(info) for info in src.infolist()}
        infos = src.infolist()
    for sheet, ref, value in edits:
        part = parts[sheet]
        body = bodies[part].decode("utf-8")
        cell = re.compile(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>.*?</c>)', re.S)
        found = cell.search(body)
        assert found, f"{sheet}!{ref} is not in the sheet's XML"
        style = re.search(r'\ss="\d+"', found["attrs"])
        s = style[0] if style else ""
        if value is None:
            new = f'<c r="{ref}"{s}/>'
        elif isinstance(value, str):
            new = f'<c r="{ref}"{s} t="inlineStr"><is><t>{escape(value)}</t></is></c>'
        else:
            new = f'<c r="{ref}"{s}><v>{value!r}</v></c>'
        bodies[part] = (body[: found.start()] + new + body[found.end() :]).encode("utf-8")
    out = path.with_suffix(".tmp")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in infos:
            dst.writestr(info, bodies[info.filename])
    out.replace(path)


# Only the Tracker: a row of an invoiced month moved to another area and day count (validate
# reports the changed month, and nothing on the Contract sheet moves).
TRACKER_EDITS: list[tuple[str, str, object]] = [
    (layout.TRACKER, "C7", "Portsmouth"),  # Medway
    (layout.TRACKER, "F7", 1.0),  # 0.5
]


def edited(
    sample: Path, tmp_path: Path, name: str, edits: list[tuple[str, str, object]] = EDITS
) -> Path:
    """A copy of the sample made ready for the command `name` (`PREPARE`), then `edits`
    typed in with no recalculation."""
    path = tmp_path / f"{name}.xlsx"
    shutil.copy(sample, path)
    if name in PREPARE:
        PREPARE[name](path)
    before = formula_cells(path)
    retype(path, edits)
    assert formula_cells(path) == before  # the cached values are now stale
    return path


def assert_fresh(path: Path) -> None:
    """Every cached value is the engine's computation of the file from nothing, and the file's
    TotalNet, TotalVAT, TotalDays and Headroom are `calloff totals`'."""
    ours = formula_cells(path)
    with pinned_today(TODAY):
        computed = compute(openpyxl.load_workbook(path))
    assert computed.uncomputable == {}
    stale = []
    for sheet, values in computed.values.items():
        for ref, value in values.items():
            kind, text = ours[f"{sheet}!{ref}"]
            if not _same(value, kind, text):
                stale.append(f"{sheet}!{ref}: cached {kind} {text!r}, computed {value!r}")
    assert not stale, f"{len(stale)} stale cached values:\n" + "\n".join(stale[:20])
    book = openpyxl.load_workbook(path, data_only=True)
    totals = workbook_totals(path, TODAY).totals
    for name in ("TotalNet", "TotalVAT", "TotalDays", "Headroom"):
        sheet, ref = next(iter(book.defined_names[name].destinations))
        cached = book[sheet][ref.replace("$", "")].value
        assert f"{cached:.2f}" == f"{getattr(totals, name):.2f}", name


def _same(value: object, kind: str | None, text: str | None) -> bool:
    if isinstance(value, bool):
        return kind == "b" and text == ("1" if value else "0")
    if isinstance(value, float):
        return kind in (None, "n") and text not in (None, "") and float(text) == value
    if value is None:
        return text == "0"
    if isinstance(value, str):
        return kind == "str" and (text or "") == value
    return kind == "e" and text == str(value)


def _fill_row() -> RawRow:
    cells = ["10/06/2025", "RK-01", "Medway", "Deep dive", "PM-1", "1", "one more"]
    return RawRow("new.csv", 2, dict(zip(ALL_COLUMNS[:7], cells, strict=True)))


def _validate(path: Path) -> None:
    report = validate_workbook(path, today=TODAY)
    assert report.written


def _fill(path: Path) -> None:
    assert fill(path, [_fill_row()], today=TODAY).rows_written


def _decide(path: Path) -> None:
    decide(
        path,
        {
            "kind": "day-rate",
            "rate": "730.00",
            "effective": dt.date(2024, 6, 1),
            "decided": dt.date(2024, 5, 20),
            "by": "DfE contract manager",
        },
    )


# The month the return command issues: signed off before the inputs are typed over (the
# sign-off's own save computes every value, so it comes first).
RETURN_MONTH = "2025-05"


def _import(path: Path) -> None:
    """An advisor's file with one June 2025 row, imported."""
    from tests.test_import import entry, tracker_file

    row = entry("RK-01", dt.date(2025, 6, 10), area="Medway", outcomes=("PM-1",))
    advisor = tracker_file(path.parent, "RK-01", [row], name=f"{path.stem}-RK-01.xlsx")
    assert import_trackers(path, [advisor], today=TODAY).rows_written


def _return(path: Path) -> None:
    report = build_return(path, RETURN_MONTH, today=TODAY, confirm_incomplete=True)
    assert [f"{r.month:%Y-%m}" for r in report.returns] == [RETURN_MONTH]


COMMANDS = {
    "validate": _validate,
    "fill": _fill,
    "decide": _decide,
    "import": _import,
    "return": _return,
}
PREPARE = {"return": lambda path: sign_off(path, RETURN_MONTH)}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_writing_command_leaves_no_stale_cached_value(sample, tmp_path, command):
    path = edited(sample, tmp_path, command)
    with pinned_today(TODAY):
        COMMANDS[command](path)
    assert_fresh(path)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_tracker_retyped_leaves_no_stale_cached_value(sample, tmp_path, command):
    """The issue's case: only Tracker cells retyped, so nothing forces a full computation
    (validate once kept every figure here: a TotalNet the formulas no longer give)."""
    path = edited(sample, tmp_path, command, TRACKER_EDITS)
    with pinned_today(TODAY):
        COMMANDS[command](path)
    assert_fresh(path)


def test_an_unchanged_workbook_keeps_its_values_and_a_retyped_one_does_not(sample, tmp_path):
    """The proof is read from the file: the fingerprints recorded with the cached values."""
    from xlsrc.edges.formulas.cache import kept_from

    path = tmp_path / "same.xlsx"
    shutil.copy(sample, path)
    with pinned_today(TODAY):
        same = compute(openpyxl.load_workbook(path), kept_from(path))
    assert layout.TRACKER not in same.changed and layout.ANNEXA not in same.changed
    retype(path, EDITS[:1])
    with pinned_today(TODAY):
        moved = compute(openpyxl.load_workbook(path), kept_from(path))
    assert layout.TRACKER in moved.changed
    assert layout.ANNEXA not in moved.changed  # nothing it reads was touched


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("command", "edits"),
    [
        ("validate", TRACKER_EDITS),
        ("validate", EDITS),
        ("fill", EDITS),
        ("import", EDITS),
        ("return", TRACKER_EDITS),
    ],
)
def test_libreoffice_reproduces_every_cached_value_after_inputs_retyped(
    lo, sample, tmp_path, command, edits
):
    path = edited(sample, tmp_path, command, edits)
    with pinned_today(TODAY):
        COMMANDS[command](path)
    assert assert_cached_values_reproduced(path, tmp_path) > 1500


def test_a_row_added_to_a_table_computes_its_readers_not_every_sheet(sample, tmp_path):
    """Every writing command adds an Audit row, so the Audit table grows: the sheets reading
    the Audit table are computed again (a table's last row is in its sheet's fingerprint), the
    others keep their proven values, and every cached value is still the full computation's."""
    from xlsrc.edges.fileio.atomic import save_workbook
    from xlsrc.edges.fileio.audit_rows import simple_audit
    from xlsrc.edges.fileio.audit_writer import append_audit
    from xlsrc.edges.fileio.tracker_writer import load_for_edit
    from xlsrc.edges.formulas.cache import kept_from

    path = tmp_path / "audited.xlsx"
    shutil.copy(sample, path)
    wb = load_for_edit(path)
    append_audit(wb, simple_audit(layout.REPAIRED, "a row the table grows by"))
    with pinned_today(TODAY):
        grown = compute(wb, kept_from(path))
        save_workbook(wb, path, kept=kept_from(path))
    assert layout.AUDIT in grown.changed
    assert layout.TRACKER not in grown.changed and layout.ANNEXA not in grown.changed
    assert_fresh(path)


def test_a_return_added_as_a_sheet_computes_its_readers_not_every_sheet(sample, tmp_path):
    """Issuing a return adds its sheet: each sheet's fingerprint is recorded under its title,
    so the new sheet (and what reads it) is computed and every other sheet keeps its proven
    values; every cached value is still the full computation's."""
    from xlsrc.actions.monthly_return import build_return
    from xlsrc.edges.formulas import cache

    path = tmp_path / "returned.xlsx"
    shutil.copy(sample, path)
    changed: list[frozenset[str]] = []
    real = cache.compute_book

    def spy(*args: object) -> cache.Computed:
        out = real(*args)  # type: ignore[arg-type]
        changed.append(out.changed)
        return out

    with pytest.MonkeyPatch.context() as mp, pinned_today(TODAY):
        mp.setattr(cache, "compute_book", spy)
        assert build_return(path, "2024-03", today=TODAY, confirm_incomplete=True).returns
    added = [s for s in changed[-1] if s not in layout.SHEET_ORDER]
    assert added, changed[-1]  # the return's own sheet
    assert layout.TRACKER not in changed[-1] and layout.ANNEXA not in changed[-1]
    assert_fresh(path)
