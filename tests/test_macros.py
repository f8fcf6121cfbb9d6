"""The macro-enabled workbook: macros/*.bas built into workbook/*.xlsm, its buttons and the
xlwings.conf sheet.

- the sources follow the rules that make the round trip exact, and every button's macro
  calls RunPython with its adapter entry point;
- in the built .xlsm the VBA streams decompress (oletools) to exactly the bytes of
  macros/*.bas, and the committed workbook is a fresh build;
- LibreOffice opens the .xlsm, finds every button, and each button's macro, with xlwings'
  RunPython replaced by tests/stubs/xlwings_stub.bas, records exactly its adapter call.
"""

from __future__ import annotations

import importlib
import itertools
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from defusedxml import ElementTree

from tests.conftest import REPO
from xlsrc.actions.build_macros import build_macro_workbook, stale_macro_parts
from xlsrc.edges.fileio import xlsm as package
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.libreoffice.vba_pack import VBA_PART, run_buttons
from xlsrc.edges.workbook import buttons, macros, vml, xlwings_conf
from xlsrc.edges.workbook.builder import build_workbook
from xlsrc.edges.workbook.structure import structural_problems
from xlsrc.edges.workbook.vba import Module, module_problems, procedures, read_modules
from xlsrc.edges.workbook.vba_reader import read_vba_modules
from xlsrc.model import layout
from xlsrc.model.errors import UserDataError

MACROS = REPO / "macros"
COMMITTED = REPO / "workbook" / "CON_22889.xlsm"
STUB = REPO / "tests" / "stubs" / "xlwings_stub.bas"
TAKE_CALLS = "vnd.sun.star.script:VBAProject.xlwings.TakeCalls?language=Basic&location=document"
XLWINGS_BAS = Path(importlib.import_module("xlwings").__file__).with_name("xlwings.bas")
NS_X = "{urn:schemas-microsoft-com:office:excel}"


# --- the sources -----------------------------------------------------------------------


def test_macro_sources_follow_the_rules():
    modules = read_modules(MACROS)
    assert [m.name for m in modules] == ["CalloffButtons", "xlwings"]
    for module in modules:
        assert module.source.startswith(f'Attribute VB_Name = "{module.name}"\r\n'.encode())
        assert module.source.decode("ascii")


def test_xlwings_module_is_the_packages_own_with_its_licence():
    ours = (MACROS / "xlwings.bas").read_bytes()
    assert b"'xlwings is distributed under a BSD 3-clause license." in ours
    assert b"'Copyright (C) 2014-present, Zoomer Analytics LLC." in ours
    version = importlib.import_module("xlwings").__version__
    assert f"'Version: {version}\r\n".encode() in ours, (
        f"installed xlwings {version} is not the one macros/xlwings.bas comes from: "
        "install the version pyproject.toml pins, or copy its xlwings.bas to macros/ and pin it"
    )
    assert ours == XLWINGS_BAS.read_bytes()


def test_pyproject_pins_the_xlwings_of_macros():
    import re
    import tomllib

    bas = (MACROS / "xlwings.bas").read_text("utf-8", errors="replace")
    version = re.search(r"^'Version: (\S+)", bas, re.MULTILINE).group(1)
    deps = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    assert f"xlwings=={version}" in deps


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("Ok", b'Attribute VB_Name = "Ok"\r\nSub A()\r\nEnd Sub\r\n', None),
        ("Ok", b'Attribute VB_Name = "Other"\r\n', "first line must be"),
        ("Ok", b'Attribute VB_Name = "Ok"\nSub A()\n', "CRLF"),
        ("Ok", b'Attribute VB_Name = "Ok"\r\nSub A()', "last line"),
        ("Ok", 'Attribute VB_Name = "Ok"\r\n\' caf\u00e9\r\n'.encode("cp1252"), "not ASCII"),
        ("Ok", b'Attribute VB_Name = "Ok"\r\nOption VBASupport 1\r\n', "LibreOffice would drop"),
        ("Ok", b'Attribute VB_Name = "Ok"\r\nAttribute VB_PredeclaredId = True\r\n', "class"),
        ("1st", b'Attribute VB_Name = "1st"\r\n', "a module name is"),
    ],
)
def test_module_rules_catch_each_fault(name, data, expected):
    problems = module_problems(f"{name}.bas", data)
    if expected is None:
        assert problems == []
    else:
        assert any(expected in p for p in problems), problems


def test_a_bad_module_stops_the_build_naming_the_file(tmp_path):
    (tmp_path / "Bad.bas").write_bytes(b'Attribute VB_Name = "Good"\r\n')
    with pytest.raises(UserDataError, match=r"Bad\.bas: the first line must be"):
        read_modules(tmp_path)


def test_the_basic_text_is_what_libreoffice_turns_back_into_the_file():
    module = Module("M", b'Attribute VB_Name = "M"\r\nSub A()\r\n    B\r\nEnd Sub\r\n')
    text = module.basic_text()
    assert text == "Option VBASupport 1\nSub A()\n    B\nEnd Sub\n"
    # LibreOffice's export: header + text without the Option line, LF -> CRLF
    exported = module.header() + text.removeprefix("Option VBASupport 1\n").replace(
        "\n", "\r\n"
    ).encode("cp1252")
    assert exported == module.source


def test_every_button_runs_its_entry_point_through_run_python():
    modules = read_modules(MACROS)
    macros.check_buttons(modules)  # raises on any mismatch
    defined = [p for m in modules for p in procedures(m)]
    for button in buttons.BUTTONS:
        assert defined.count(button.macro) == 1
    assert {b.command for b in buttons.BUTTONS} == {
        f"import xlsrc.adapters.xl.entry as e; e.{name}()"
        for name in (
            "validate",
            "import_trackers",
            "totals",
            "build_return",
            "check_invoice",
            "record_invoice",
        )
    }


def test_the_entry_points_exist():
    entry = pytest.importorskip("xlsrc.adapters.xl.entry")
    for button in buttons.BUTTONS:
        assert callable(getattr(entry, button.entry, None)), button.entry


def test_a_button_without_its_macro_is_refused():
    module = Module("CalloffButtons", b'Attribute VB_Name = "CalloffButtons"\r\n')
    with pytest.raises(ValueError, match="ValidateTracker: defined in 0 modules"):
        macros.check_buttons([module])


# --- placement, drawings, xlwings.conf (in memory, no LibreOffice) ----------------------


@pytest.fixture(scope="module")
def dressed(terms):
    """The governed workbook with conf sheet, code names and buttons (no VBA project)."""
    wb = build_workbook(terms)
    xlwings_conf.build(wb)
    macros.set_code_names(wb)
    return wb, macros.add_buttons(wb)


def test_buttons_sit_in_the_blank_row_above_the_headers_from_the_first_scrolling_column(
    dressed,
):
    wb, _ = dressed
    assert buttons.ROW == layout.HEADER_ROW - 1 == 3
    for sheet, on_sheet in buttons.by_sheet().items():
        ws = wb[sheet]
        assert all(c.value is None for c in ws[buttons.ROW]), f"{sheet} row 3 is not blank"
        anchors = buttons.place(ws, on_sheet)
        first = buttons.first_scrolling_column(ws) - 1
        assert anchors[0].col == first and anchors[0].col_off == 0
        for a in anchors:
            assert (a.row, a.row_off, a.end_row, a.end_row_off) == (2, 0, 3, 0)
        for left, right in itertools.pairwise(anchors):
            assert right.left_pt >= left.left_pt + left.width_pt  # side by side, no overlap


def test_each_sheet_with_buttons_has_one_drawing_naming_its_macros(dressed):
    wb, parts = dressed
    placed = buttons.by_sheet()
    drawings = {ws.title: ws.legacy_drawing for ws in wb.worksheets if ws.legacy_drawing}
    assert set(drawings) == set(placed)
    assert set(parts) == set(drawings.values())
    ids = []
    for sheet, part in drawings.items():
        root = ElementTree.fromstring(parts[part])
        data = root.findall(f".//{NS_X}ClientData")
        assert [d.get("ObjectType") for d in data] == ["Button"] * len(placed[sheet])
        assert [d.findtext(f"{NS_X}FmlaMacro") for d in data] == [
            f"[0]!{b.macro}" for b in placed[sheet]
        ]
        ids += [s.get("id") for s in root.iter("{urn:schemas-microsoft-com:vml}shape")]
    assert len(ids) == len(set(ids)) == len(buttons.BUTTONS)
    assert vml.part_name(1) in parts


def test_code_names_are_unique_identifiers(dressed):
    wb, _ = dressed
    assert wb.code_name == "ThisWorkbook"
    names = [ws.sheet_properties.codeName for ws in wb.worksheets]
    assert len({n.lower() for n in names}) == len(names)
    assert all(n.isidentifier() and len(n) <= 31 for n in names)


def test_xlwings_conf_sheet_holds_no_key_with_an_empty_value(dressed):
    """xlwings reads column A from A1 down: a key there wins even when blank, overriding the
    user's xlwings.conf. As shipped it holds no key; the keys one may add are listed aside."""
    wb, _ = dressed
    ws = wb[xlwings_conf.SHEET]
    assert ws.sheet_state == "hidden"
    assert xlwings_conf.settings(ws) == {}
    assert ws.cell(2, 1).value is None  # xlwings' VBA reads only A1 when A2 is blank
    listed = [ws.cell(r, xlwings_conf.REFERENCE_COLUMN).value for r in range(2, 7)]
    assert listed == ["Interpreter_Win", "Interpreter_Mac", "PYTHONPATH", "Conda Path", "Conda Env"]
    assert all(ws.cell(r, xlwings_conf.REFERENCE_COLUMN + 1).value for r in range(2, 7))


def test_the_package_is_written_in_a_fixed_order():
    """openpyxl copies the VBA parts in set order, which changes from process to process."""
    import io

    def zipped(order: list[str], defaults: list[bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in order:
                body = b"<Types>" + b"".join(defaults) + b"</Types>" if "Types" in name else b""
                archive.writestr(name, body)
        return buffer.getvalue()

    vml_first = [b'<Default Extension="vml" />', b'<Default Extension="bin" />']
    a = zipped(["xl/vbaProject.bin", "[Content_Types].xml", "a.xml"], vml_first)
    b = zipped(["a.xml", "xl/vbaProject.bin", "[Content_Types].xml"], vml_first[::-1])
    views = []
    for data in (a, b):
        with zipfile.ZipFile(io.BytesIO(package.canonical_package(data))) as archive:
            views.append([(name, archive.read(name)) for name in archive.namelist()])
    assert views[0] == views[1]
    assert views[0][0] == (
        "[Content_Types].xml",
        b'<Types><Default Extension="bin" /><Default Extension="vml" /></Types>',
    )


# --- the built .xlsm (LibreOffice packs the VBA) ---------------------------------------


@pytest.fixture(scope="module")
def xlsm(lo, tmp_path_factory) -> Path:
    return build_macro_workbook(out=tmp_path_factory.mktemp("xlsm") / "CON_22889.xlsm")


def _oletools_modules(path: Path) -> dict[str, tuple[str, bytes]]:
    """Module name -> (file extension oletools gives it, decompressed source bytes)."""
    import olefile
    from oletools.olevba import VBA_Project

    data = zipfile.ZipFile(path).read(VBA_PART)
    project = VBA_Project(olefile.OleFileIO(data), "", "PROJECT", "VBA/dir", relaxed=False)
    project.parse_project_stream()
    list(project.parse_modules())
    return {m.name: (m.filename.rsplit(".", 1)[1], bytes(m.code_raw)) for m in project.modules}


@pytest.mark.libreoffice
def test_vba_streams_decompress_to_exactly_the_bas_files(xlsm):
    found = _oletools_modules(xlsm)
    for bas in sorted(MACROS.glob("*.bas")):
        assert found[bas.stem] == ("bas", bas.read_bytes()), bas.name


@pytest.mark.libreoffice
def test_document_modules_pair_with_the_code_names(xlsm):
    found = _oletools_modules(xlsm)
    wb = openpyxl.load_workbook(xlsm, keep_vba=True)
    code_names = [wb.code_name, *(ws.sheet_properties.codeName for ws in wb.worksheets)]
    documents = [name for name, (ext, _) in found.items() if ext == "cls"]
    assert sorted(documents) == sorted(code_names)
    base = found["ThisWorkbook"][1].decode("ascii")
    assert 'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"' in base  # workbook
    sheet = found[wb.worksheets[0].sheet_properties.codeName][1].decode("ascii")
    assert 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in sheet  # sheet


@pytest.mark.libreoffice
def test_our_reader_agrees_with_oletools(xlsm):
    ours = read_vba_modules(zipfile.ZipFile(xlsm).read(VBA_PART))
    theirs = _oletools_modules(xlsm)
    assert {n: m.source for n, m in ours.items()} == {n: s for n, (_, s) in theirs.items()}
    assert {n for n, m in ours.items() if m.kind == "standard"} == {
        n for n, (ext, _) in theirs.items() if ext == "bas"
    }


def test_our_reader_agrees_with_oletools_on_an_excel_made_file():
    """xlwings' standalone quickstart was saved by Excel: p-code before each module's text."""
    path = XLWINGS_BAS.with_name("quickstart_standalone.xlsm")
    ours = read_vba_modules(zipfile.ZipFile(path).read(VBA_PART))
    assert {n: m.source for n, m in ours.items()} == {
        n: s for n, (_, s) in _oletools_modules(path).items()
    }


@pytest.mark.libreoffice
def test_the_macro_workbook_passes_the_structural_checks(xlsm):
    assert structural_problems(xlsm) == []
    with zipfile.ZipFile(xlsm) as archive:
        types = archive.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types


@pytest.mark.libreoffice
def test_committed_macro_workbook_equals_a_fresh_build(xlsm):
    assert package.differing_macro_parts(COMMITTED, xlsm) == [], (
        "run `calloff build --macros` and commit workbook/"
    )


@pytest.mark.libreoffice
def test_stale_macro_parts_sees_a_changed_module(xlsm, tmp_path):
    changed = tmp_path / "macros"
    shutil.copytree(MACROS, changed)
    bas = changed / "CalloffButtons.bas"
    bas.write_bytes(bas.read_bytes().replace(b"' Budget sheet", b"' The Budget sheet"))
    assert stale_macro_parts(existing=xlsm, macros=MACROS) == []
    assert stale_macro_parts(existing=xlsm, macros=changed) == [
        f"{VBA_PART} (module CalloffButtons)"
    ]


@pytest.mark.libreoffice
def test_saving_through_openpyxl_keeps_the_vba_and_the_buttons(xlsm, tmp_path):
    copy = tmp_path / "copy.xlsm"
    save_workbook(load_for_edit(xlsm), copy)
    changed = package.differing_macro_parts(xlsm, copy)
    assert not [p for p in changed if p.startswith((VBA_PART, "xl/drawings/vmlDrawing"))]
    assert structural_problems(copy) == []


# --- LibreOffice runs every button ------------------------------------------------------


@pytest.mark.libreoffice
def test_every_button_runs_its_macro_and_records_its_adapter_call(xlsm):
    stub = Module("xlwings", STUB.read_bytes())
    found = run_buttons(xlsm, {"xlwings": stub.basic_text()}, TAKE_CALLS)
    assert sorted((b["sheet"], b["label"]) for b in found) == sorted(
        (b.sheet, b.label) for b in buttons.BUTTONS
    )
    by_label = {(b["sheet"], b["label"]): b for b in found}
    for button in buttons.BUTTONS:
        seen = by_label[(button.sheet, button.label)]
        assert [e["event"] for e in seen["events"]] == ["actionPerformed"]
        assert seen["ran"] == [
            "vnd.sun.star.script:VBAProject.CalloffButtons."
            f"{button.macro}?language=Basic&location=document"
        ]
        assert seen["calls"] == [button.command], button.label
