"""The Excel adapter (xlsrc.adapters.xl) gives the CLI's results, through xlwings' Book API.

Every test runs twice, with the same assertions: on the fake of the few xlwings calls the
adapter makes (tests/xl/fake_xlwings.py) and on xlwings' own remote engine, the Book API
behind xlwings Server and xlwings Lite (xw.Book(json=...); needs XLWINGS_LICENSE_KEY, else
skipped with the reason). Each builds the Book from a copy of a workbook file, runs the
button's `run_*` function, replays what it wrote onto the file, and compares with the CLI's
action run on another copy of the same file: same reports, same cells.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from tests.test_import import WORK, tracker_file
from tests.test_signoff_gate import sign
from tests.xl import backends
from xlsrc.actions.import_trackers import import_trackers
from xlsrc.actions.invoice_check import check_invoice, read_ledger
from xlsrc.actions.invoice_record import InvoiceRefused, record_invoice
from xlsrc.actions.monthly_return import build_return
from xlsrc.actions.totals import workbook_totals
from xlsrc.actions.validate import validate_workbook
from xlsrc.adapters.xl import entry
from xlsrc.adapters.xl.book import XlBook
from xlsrc.adapters.xl.protection import SHEET_OPTIONS, unprotected
from xlsrc.core.returns.signoff import NotSignedOff
from xlsrc.core.totals.presentation import totals_json
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.reader import open_book
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.workbook.cells import put
from xlsrc.edges.workbook.names_xml import parse_ref
from xlsrc.model import layout
from xlsrc.model.errors import UserDataError
from xlsrc.model.money import vat_on
from xlsrc.model.rules import AUDIT_CHAIN_BROKEN

TODAY = dt.date(2025, 7, 15)  # after the sample's last delivery (June 2025)
MARCH = dt.date(2024, 3, 1)
_LINK = re.compile(r'^=HYPERLINK\("#.*","(?P<text>.*)"\)$')


@pytest.fixture(params=backends.NAMES)
def backend(request):
    """The fake of xlwings' Book API, and xlwings' own remote engine (needs a licence key)."""
    return backends.make(request.param)


# Helpers: copies, planted cells, and what a sheet holds.


def copies(source: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of a workbook: one for the CLI, one for the adapter."""
    pair = []
    for name in ("cli", "xl"):
        (tmp_path / name).mkdir()
        pair.append(shutil.copy(source, tmp_path / name / source.name))
    return Path(pair[0]), Path(pair[1])


def edit_each(paths: tuple[Path, ...], edit: Callable[[Workbook], None]) -> None:
    """Apply `edit` to each workbook and save it. A copy still identical to the first file
    is given the first's result (the same edit of the same bytes) rather than edited again:
    loading and saving the sample is most of what these tests would otherwise spend."""
    before = [path.read_bytes() for path in paths]
    for i, path in enumerate(paths):
        if i and before[i] == before[0]:
            shutil.copyfile(paths[0], path)
            continue
        wb = load_for_edit(path)
        edit(wb)
        save_workbook(wb, path)


def plant(paths: tuple[Path, ...], cells: dict[tuple[str, str], object]) -> None:
    """Type `cells` ({(sheet, "B7"): value}) into each workbook, as a person would."""

    def edit(wb: Workbook) -> None:
        for (sheet, ref), value in cells.items():
            put(wb[sheet], wb[sheet][ref].row, wb[sheet][ref].column, value)

    edit_each(paths, edit)


def add_name(paths: tuple[Path, ...], name: str, sheet: str, ref: str, value: object) -> None:
    """What the builder is asked to add: a named input cell (here written into a copy)."""
    from openpyxl.workbook.defined_name import DefinedName

    def edit(wb: Workbook) -> None:
        put(wb[sheet], wb[sheet][ref].row, wb[sheet][ref].column, value)
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!${ref[0]}${ref[1:]}")

    edit_each(paths, edit)


@functools.lru_cache(maxsize=8)
def _opened(path: Path, stamp: tuple[int, int]) -> Workbook:
    return load_workbook(path)


def opened(path: Path) -> Workbook:
    """The workbook as saved now (loaded once per version of the file)."""
    stat = path.stat()
    return _opened(path, (stat.st_mtime_ns, stat.st_size))


def cells(path: Path, sheet: str) -> dict[str, tuple[object, bool]]:
    """Every non-empty cell: (value as shown, is a formula); our links read as their text."""
    ws = opened(path)[sheet]
    out = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            value, formula = c.value, c.data_type == "f"
            if formula and (link := _LINK.match(str(value))):
                value, formula = link["text"], False
            out[c.coordinate] = (value, formula)
    return out


def fills(path: Path, sheet: str) -> dict[str, str]:
    ws = opened(path)[sheet]
    return {
        c.coordinate: c.fill.fgColor.rgb[-6:]
        for row in ws.iter_rows()
        for c in row
        if c.fill.patternType == "solid"
    }


def formats(path: Path, sheet: str) -> dict[str, str]:
    ws = opened(path)[sheet]
    return {c.coordinate: c.number_format for row in ws.iter_rows() for c in row if c.value}


def looks(path: Path, sheet: str) -> dict[str, object]:
    """How a sheet looks beyond its values: each cell's font and alignment (as Excel shows
    them: an unset property is the workbook's default), merged blocks, column widths, row
    heights and the print area."""
    ws = opened(path)[sheet]

    def font(f):
        rgb = f.color.rgb if f.color is not None and f.color.type == "rgb" else None
        return bool(f.b), bool(f.i), float(f.sz or 11), rgb[-6:] if rgb else None

    def align(a):
        return a.horizontal, a.vertical, bool(a.wrap_text), int(a.indent or 0)

    return {
        "fonts": {c.coordinate: font(c.font) for row in ws.iter_rows() for c in row},
        "alignment": {c.coordinate: align(c.alignment) for row in ws.iter_rows() for c in row},
        "merged": sorted(str(m) for m in ws.merged_cells.ranges),
        "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
        "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
        "print_area": ws.print_area,
    }


def table_ref(path: Path, sheet: str, table: str) -> str:
    return opened(path)[sheet].tables[table].ref


def audit_column(header: str) -> str:
    return get_column_letter(layout.AUDIT_HEADERS.index(header) + 1)


def _last_audit_row(path: Path) -> int:
    ws = load_workbook(path)[layout.AUDIT]
    return range_boundaries(ws.tables[layout.AUDIT_TABLE].ref)[3]


def without(data: dict, *keys: str) -> dict:
    return {k: v for k, v in data.items() if k not in keys}


# Reading: the open workbook's ranges give the readers what the file gives them.


def test_reads_what_the_file_reader_reads(backend, sample, tmp_path):
    path = Path(shutil.copy(sample, tmp_path / sample.name))
    file, xl = open_book(path), XlBook(backend.open(path))
    assert {k: parse_ref(v) for k, v in xl.names.items()} == {
        k: parse_ref(v) for k, v in file.names.items()
    }
    assert sorted(xl.table_names) == sorted(file.table_names)
    for name in file.table_names:
        assert xl.table(name) == file.table(name), name
    for sheet in file.calamine.sheet_names:
        ours, theirs = xl.grid(sheet), file.grid(sheet)
        for r, row in enumerate(theirs):
            assert ours[r][: len(row)] == row, (sheet, r + 1)
        extra = [v for r in ours[len(theirs) :] for v in r] + [
            v for r, row in zip(ours, theirs, strict=False) for v in r[len(row) :]
        ]
        assert not any(v != "" for v in extra), sheet


# Validate: the same issues, the same Issues sheet, the same highlighted cells.


def _validate_both(backend, cli: Path, xl: Path):
    expected = validate_workbook(cli, today=TODAY)
    book = backend.open(xl)
    got = entry.run_validate(book, today=TODAY)
    backend.apply(book, xl)
    assert without(got.to_json(), "workbook") == without(expected.to_json(), "workbook")
    assert cells(xl, layout.ISSUES) == cells(cli, layout.ISSUES)
    assert fills(xl, layout.ISSUES) == fills(cli, layout.ISSUES)
    assert table_ref(xl, layout.ISSUES, layout.ISSUES_TABLE) == table_ref(
        cli, layout.ISSUES, layout.ISSUES_TABLE
    )
    assert fills(xl, layout.TRACKER) == fills(cli, layout.TRACKER)
    assert cells(xl, layout.TRACKER) == cells(cli, layout.TRACKER)  # nothing typed changed
    return got


def test_validate_gives_the_cli_issues_sheet_and_highlights(backend, sample, tmp_path):
    pair = copies(sample, tmp_path)
    first = load_workbook(sample)[layout.TRACKER]
    days, advisor = first["F10"].value, first["B12"].value
    plant(
        pair,
        {
            (layout.TRACKER, "F10"): 1.5,  # DAYS-INVALID
            (layout.TRACKER, "B12"): "XX-99",  # ADVISOR-UNKNOWN
            (layout.TRACKER, "G14"): '=HYPERLINK("http://x","click")',  # text, never run
            (layout.TRACKER, "G15"): "Call me on 07700 900123",  # NOTES-PERSONAL-DATA
        },
    )
    report = _validate_both(backend, *pair)
    codes = {(i.code, i.row) for i in report.issues}
    assert {("DAYS-INVALID", 10), ("ADVISOR-UNKNOWN", 12), ("NOTES-PERSONAL-DATA", 15)} <= codes
    issues = cells(pair[1], layout.ISSUES)
    assert ('=HYPERLINK("http://x","click")', False) in issues.values()  # shown, not run

    # Fixed: the next run clears those highlights and shrinks the table, as the CLI does.
    plant(pair, {(layout.TRACKER, "F10"): days, (layout.TRACKER, "B12"): advisor})
    report = _validate_both(backend, *pair)
    assert not {("DAYS-INVALID", 10), ("ADVISOR-UNKNOWN", 12)} & {
        (i.code, i.row) for i in report.issues
    }


# Totals: the CLI's JSON, key for key.


def test_totals_are_the_cli_totals(backend, sample, tmp_path):
    path = Path(shutil.copy(sample, tmp_path / sample.name))
    expected = workbook_totals(path, TODAY)
    got = entry.run_totals(backend.open(path), TODAY)
    assert totals_json(got.totals) == totals_json(expected.totals)
    assert got.rows_with_errors == expected.rows_with_errors
    assert got.contract_id == expected.contract_id


# Build return: the same return sheet, the same Audit row, the month locked.


def test_build_return_gives_the_cli_return_sheet(backend, sample, tmp_path):
    pair = copies(sample, tmp_path)
    add_name(pair, "ActionMonth", layout.GUIDE, "E4", MARCH)
    expected = build_return(pair[0], "2024-03", today=TODAY)
    book = backend.open(pair[1])
    got = entry.run_build_return(book, today=TODAY)
    backend.apply(book, pair[1])
    assert got.to_json() == expected.to_json()
    sheet = "Return 2024-03"
    assert load_workbook(pair[1]).sheetnames == load_workbook(pair[0]).sheetnames
    assert cells(pair[1], sheet) == cells(pair[0], sheet)
    assert formats(pair[1], sheet) == formats(pair[0], sheet)
    assert fills(pair[1], sheet) == fills(pair[0], sheet)
    assert looks(pair[1], sheet) == looks(pair[0], sheet)
    assert len(looks(pair[0], sheet)["merged"]) > 50  # the paragraphs, pairs and headers
    audit_cli, audit_xl = cells(pair[0], layout.AUDIT), cells(pair[1], layout.AUDIT)
    # All but the time issued and the digest that covers it; the same Who (the OS user).
    new = _last_audit_row(pair[0])
    stamp = (f"A{new}", f"{audit_column('Digest')}{new}")
    assert without(audit_xl, *stamp) == without(audit_cli, *stamp)
    assert audit_xl[f"{audit_column('Who')}{new}"] == audit_cli[f"{audit_column('Who')}{new}"]
    # The button's row chains on as the CLI's does: the record stays whole.
    assert [i for i in validate_workbook(pair[1], today=TODAY, write=False).issues
            if i.code == AUDIT_CHAIN_BROKEN.code] == []  # fmt: skip
    assert table_ref(pair[1], layout.AUDIT, layout.AUDIT_TABLE) == table_ref(
        pair[0], layout.AUDIT, layout.AUDIT_TABLE
    )

    # Pressed again: refused, in a message box, as the CLI refuses it.
    book = backend.open(pair[1])
    assert entry.build_return(book) is None
    alerts = backend.apply(book, pair[1])
    assert len(alerts) == 1 and "was issued as version 1" in alerts[0]


def test_build_return_refuses_an_unsigned_month_as_the_cli_does(backend, sample, tmp_path):
    pair = copies(sample, tmp_path)
    plant(pair, {(layout.GUIDE, "E4"): "2024-03"})
    for path in pair:  # March 2024 not yet approved
        sign(path, "2024-03", **{"Approved by (role)": None, "Approved on": None})
    with pytest.raises(NotSignedOff) as cli:
        build_return(pair[0], "2024-03", today=TODAY)
    book = backend.open(pair[1], selection=(layout.GUIDE, "E4"))
    assert entry.build_return(book) is None
    alerts = backend.apply(book, pair[1])
    assert len(alerts) == 1
    for line in str(cli.value).splitlines():
        assert line.strip() in alerts[0]
    assert "Return 2024-03" not in load_workbook(pair[1]).sheetnames


def test_build_return_takes_the_month_from_the_selected_cell(backend, sample, tmp_path):
    pair = copies(sample, tmp_path)
    plant(pair, {(layout.GUIDE, "E4"): "2024-03"})
    expected = build_return(pair[0], "2024-03", today=TODAY)
    book = backend.open(pair[1], selection=(layout.GUIDE, "E4"))
    assert entry.run_build_return(book, today=TODAY).to_json() == expected.to_json()


# Check invoice: the CLI's verdict on the Invoices sheet's row.


def _invoice(paths: tuple[Path, ...], sample: Path, pennies_off: int = 0) -> None:
    ledger = read_ledger(sample, TODAY)
    march = ledger.months[MARCH]
    net = float(march.net) + pennies_off / 100
    vat = float(vat_on(march.net, ledger.rules.vat_rate))
    row = {"A5": MARCH, "B5": "INV-0324", "C5": net, "D5": vat, "E5": round(net + vat, 2)}
    plant(paths, {(layout.INVOICES, ref): value for ref, value in row.items()})


@pytest.mark.parametrize("pennies_off", [0, 1])
def test_check_invoice_gives_the_cli_verdict(backend, sample, tmp_path, pennies_off):
    pair = copies(sample, tmp_path)
    _invoice(pair, sample, pennies_off)
    expected = check_invoice(pair[0], month="2024-03", net=None, vat=None, gross=None, today=TODAY)
    book = backend.open(pair[1], selection=(layout.INVOICES, "C5"))  # on the invoice's row
    got = entry.run_check_invoice(book, today=TODAY)
    assert got.to_json() == expected.to_json()
    assert got.passed is (pennies_off == 0)


def test_check_invoice_reads_action_month(backend, sample, tmp_path):
    pair = copies(sample, tmp_path)
    _invoice(pair, sample)
    add_name(pair, "ActionMonth", layout.GUIDE, "E4", "2024-03")
    expected = check_invoice(pair[0], month="2024-03", net=None, vat=None, gross=None, today=TODAY)
    got = entry.run_check_invoice(backend.open(pair[1]), today=TODAY)
    assert got.to_json() == expected.to_json()
    # The invoice selected on the Invoices sheet comes first: the button sits there.
    plant(pair[1:], {(layout.GUIDE, "E4"): "2024-04"})
    book = backend.open(pair[1], selection=(layout.INVOICES, "B5"))
    assert entry.run_check_invoice(book, today=TODAY).to_json() == expected.to_json()


# Record invoice: the row typed on the Invoices sheet goes on the register, checked as
# `calloff invoice record` checks it (the same plan_record).


def test_record_invoice_puts_the_typed_row_on_the_register_as_the_cli_does(
    backend, sample, tmp_path
):
    pair = copies(sample, tmp_path)
    _invoice(pair[1:], sample)
    march = read_ledger(sample, TODAY).months[MARCH]
    vat = vat_on(march.net, read_ledger(sample, TODAY).rules.vat_rate)
    expected = record_invoice(
        pair[0],
        number="INV-0324",
        month="2024-03",
        net=str(march.net),
        vat=str(vat),
        gross=str(march.net + vat),
        today=TODAY,
    )
    book = backend.open(pair[1], selection=(layout.INVOICES, "B5"))
    assert entry.record_invoice(book) is not None
    (alert,) = backend.apply(book, pair[1])
    assert alert == expected.to_text().replace(str(pair[0]), str(pair[1]))
    assert "Invoice INV-0324 recorded on Invoices row 5" in alert
    for path in pair:
        (invoice,) = read_ledger(path, TODAY).invoices
        assert (invoice.number, invoice.status, invoice.net) == ("INV-0324", "Raised", march.net)


def test_record_invoice_refuses_a_row_a_penny_out_and_writes_nothing(backend, sample, tmp_path):
    pair = copies(sample, tmp_path)
    _invoice(pair, sample, pennies_off=1)
    book = backend.open(pair[1], selection=(layout.INVOICES, "C5"))
    with pytest.raises(InvoiceRefused, match="INV-0324 not recorded") as refused:
        entry.run_record_invoice(book, today=TODAY)
    assert "£0.01 (too high)" in str(refused.value)
    assert entry.record_invoice(book) is None
    (alert,) = backend.apply(book, pair[1])
    assert alert.startswith("invoice INV-0324 not recorded")
    (invoice,) = read_ledger(pair[1], TODAY).invoices
    assert invoice.status == ""  # not recorded: Status left as typed


def test_record_invoice_asks_for_the_invoices_row(backend, sample, tmp_path):
    pair = copies(sample, tmp_path)
    book = backend.open(pair[1], selection=(layout.TRACKER, "C5"))
    with pytest.raises(UserDataError, match="select any cell of its row"):
        entry.run_record_invoice(book, today=TODAY)


# Import trackers: the same rows appended, from the trackers folder beside the workbook.


def test_import_trackers_appends_the_cli_rows(backend, built, tmp_path, monkeypatch):
    pair = copies(built, tmp_path)
    folder = tmp_path / "xl" / "trackers"
    folder.mkdir()
    files = [tracker_file(folder, advisor, rows) for advisor, rows in sorted(WORK.items())]
    expected = import_trackers(pair[0], files, today=TODAY)
    monkeypatch.chdir(pair[1].parent)  # the remote engine knows the book by name only
    book = backend.open(pair[1])
    got = entry.run_import_trackers(book, today=TODAY)  # every file in ./trackers
    backend.apply(book, pair[1])
    assert without(got.to_json(), "workbook") == without(expected.to_json(), "workbook")
    assert cells(pair[1], layout.TRACKER) == cells(pair[0], layout.TRACKER)

    # Again: everything is already present, nothing is written.
    book = backend.open(pair[1])
    again = entry.run_import_trackers(book, today=TODAY)
    assert again.rows_written == [] and not again.has_problems
    assert backend.apply(book, pair[1]) == []


# The boundary: a message in the workbook, never a traceback.


def test_a_person_s_problem_is_a_message_and_the_status_line(backend, sample, tmp_path):
    path = Path(shutil.copy(sample, tmp_path / sample.name))
    add_name((path,), "ActionStatus", layout.GUIDE, "E5", None)
    book = backend.open(path, selection=(layout.GUIDE, "A1"))
    assert entry.build_return(book) is None  # no exception escapes
    alerts = backend.apply(book, path)
    assert len(alerts) == 1 and "Build return needs a month" in alerts[0]
    status = load_workbook(path)[layout.GUIDE]["E5"].value
    assert status.startswith("Build return, ") and "needs a month" in status


def test_a_bug_is_logged_not_shown(backend, sample, tmp_path, monkeypatch):
    path = Path(shutil.copy(sample, tmp_path / sample.name))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    log = tmp_path / "state" / "calloff" / "error.log"

    def broken(book):
        return {}["no such key"]

    monkeypatch.setattr(entry, "run_totals", broken)
    book = backend.open(path)
    assert entry._button(book, "Totals", entry.run_totals, entry._totalled) is None
    alerts = backend.apply(book, path)
    assert alerts == [
        f"Internal error (a bug, not your data): KeyError: 'no such key'. Details: {log}"
    ]
    assert "Traceback" in log.read_text() and "Traceback" not in alerts[0]


def test_totals_button_shows_the_headline(backend, sample, tmp_path):
    path = Path(shutil.copy(sample, tmp_path / sample.name))
    book = backend.open(path)
    assert entry.totals(book) is not None
    (alert,) = backend.apply(book, path)
    assert "Spend to date (net)         £52,650.00" in alert


# The contract with the workbook's VBA and with xlwings Lite.


def test_the_buttons_the_vba_calls_exist():
    for name in (
        "validate",
        "totals",
        "import_trackers",
        "build_return",
        "check_invoice",
        "record_invoice",
    ):
        assert callable(getattr(entry, name)), name


class _Com:
    """Stands in for a COM Worksheet/Workbook: records protection calls."""

    def __init__(self, log: list, name: str, protected: bool) -> None:
        self.log, self.name = log, name
        self.ProtectContents = self.ProtectStructure = protected

    def Unprotect(self) -> None:  # COM's names
        self.log.append(("unprotect", self.name))

    def Protect(self, **options) -> None:
        self.log.append(("protect", self.name, options))


def test_protection_is_lifted_and_restored_on_windows():
    log: list = []

    class Sheet:
        def __init__(self, name, protected):
            self.api = _Com(log, name, protected)

    class Book:
        api = _Com(log, "book", True)
        sheets: ClassVar = {"Issues": Sheet("Issues", True), "Tracker": Sheet("Tracker", False)}

    with (
        pytest.raises(RuntimeError),
        unprotected(Book, ["Issues", "Tracker"], structure=True, windows=True),
    ):
        log.append("write")
        raise RuntimeError("the action failed")
    assert log == [
        ("unprotect", "book"),
        ("unprotect", "Issues"),
        "write",
        ("protect", "Issues", SHEET_OPTIONS),
        ("protect", "book", {"Structure": True}),
    ]  # Tracker was not protected: left alone


def test_protection_is_left_alone_elsewhere():
    class Book:
        api = sheets = None  # any use would fail

    with unprotected(Book, ["Issues"], structure=True, windows=False):
        pass


def test_a_new_return_gets_the_cli_page_on_windows():
    from types import SimpleNamespace

    from xlsrc.adapters.xl.page import page_setup
    from xlsrc.model.writes import Page

    setup = SimpleNamespace()
    breaks: list[str] = []
    api = SimpleNamespace(
        PageSetup=setup,
        Range=lambda address: address,
        HPageBreaks=SimpleNamespace(Add=breaks.append),
    )
    book = SimpleNamespace(sheets={"Return 2024-03": SimpleNamespace(api=api)})
    page = Page(
        landscape=False,
        marking="OFFICIAL & SENSITIVE",
        contract_id="CON_22889",
        area="A1:F90",
        row_breaks=(40, 77),
    )
    page_setup(book, "Return 2024-03", page, windows=True)
    assert vars(setup) == {
        "PaperSize": 9,  # A4
        "Orientation": 1,  # portrait
        "Zoom": False,
        "FitToPagesWide": 1,
        "FitToPagesTall": False,
        "PrintGridlines": False,
        "LeftMargin": 28.8,
        "RightMargin": 28.8,
        "TopMargin": 54.0,
        "BottomMargin": 54.0,
        "HeaderMargin": 21.6,
        "FooterMargin": 21.6,
        "CenterHeader": '&"Arial,Bold"OFFICIAL && SENSITIVE',
        "LeftFooter": "CON_22889 · &A",
        "RightFooter": "Page &P of &N",
    }
    assert breaks == ["A41", "A78"]  # each page break before the row that starts a page
    page_setup(None, "Return 2024-03", page, windows=False)  # elsewhere: nothing touched


def test_validate_lists_a_broken_decision_row_and_counts_it_as_the_cli(backend, sample, tmp_path):
    """A 13-month extension typed into the Decisions table: the button lists it as the CLI
    does and records the count CheckContractRows reads."""
    pair = copies(sample, tmp_path)
    ws = load_workbook(sample)[layout.CONTRACT]
    extend = int(ws.tables[layout.DECISIONS_TABLE].ref.split(":")[0][1:]) + 2
    plant(pair, {(layout.CONTRACT, f"D{extend}"): 13})
    report = _validate_both(backend, *pair)
    assert ("DECISION-BREAKS-RULE", extend) in {(i.code, i.row) for i in report.issues}
    counts = [
        load_workbook(p)[layout.CONTRACT][
            load_workbook(p)
            .defined_names[layout.DECISION_ROW_ERRORS]
            .attr_text.split("!")[1]
            .replace("$", "")
        ].value
        for p in pair
    ]
    assert counts == [1, 1]
