"""The package writer (issue 23): validate edits only the parts that change, and the file it
writes opens, part by part, to what the openpyxl save writes from the same edit: the same
cells, values, styles, row heights, links, tables, names, validations and conditional
formats. The file is checked structurally and by openxml-audit for every test
(tests/conftest.py); LibreOffice reproduces every cached value (test_libreoffice_...)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree

from tests.package_compare import differences
from tests.test_cached_values import assert_cached_values_reproduced
from tests.test_fresh_values import TODAY, TRACKER_EDITS, assert_fresh, edited, retype
from xlsrc.actions import validate as validate_action
from xlsrc.actions.validate import validate_workbook
from xlsrc.edges.fileio import package_writer
from xlsrc.edges.formulas.functions import pinned_today
from xlsrc.model import layout

# Problems of several kinds on the Tracker: an unknown area (error), a day count that is not
# 0.5 or 1, text that looks like a formula, a note long enough to wrap, an advisor unknown.
MANY: list[tuple[str, str, object]] = [
    *TRACKER_EDITS,
    (layout.TRACKER, "C8", "=Atlantis"),
    (layout.TRACKER, "F9", 2.0),
    (layout.TRACKER, "B10", "RK-99 " + "a very long advisor name " * 6),
    (layout.TRACKER, "E11", "NOPE-1, -also wrong"),
]


def _both(sample: Path, tmp_path: Path, edits: list[tuple[str, str, object]]) -> tuple[Path, Path]:
    """The same edit validated by the package writer and by the openpyxl save."""
    ours = edited(sample, tmp_path, "package", edits)
    theirs = tmp_path / "openpyxl.xlsx"
    shutil.copy(ours, theirs)
    calls: list[Path] = []
    real = package_writer.write_validation

    def counted(path: Path, *args: object) -> None:
        real(path, *args)  # type: ignore[arg-type]
        calls.append(path)  # written by the package writer, not left to openpyxl

    with pytest.MonkeyPatch.context() as mp, pinned_today(TODAY):
        mp.setattr(package_writer, "write_validation", counted)
        assert validate_workbook(ours, today=TODAY).written
    assert calls == [ours], "validate did not write through the package writer"
    with pytest.MonkeyPatch.context() as mp, pinned_today(TODAY):
        mp.setattr(package_writer, "write_validation", _refuse)
        assert validate_workbook(theirs, today=TODAY).written
    return ours, theirs


def _refuse(*_: object) -> None:
    raise package_writer.NotPlain("the openpyxl save, for comparison")


@pytest.mark.parametrize("edits", [TRACKER_EDITS, MANY], ids=["two-cells", "many-issues"])
def test_the_package_writer_writes_what_openpyxl_writes(sample, tmp_path, edits):
    ours, theirs = _both(sample, tmp_path, edits)
    assert differences(ours, theirs) == []
    assert_fresh(ours)


def test_the_package_writer_copies_every_part_it_does_not_change(sample, tmp_path):
    path = edited(sample, tmp_path, "copied", TRACKER_EDITS)
    with zipfile.ZipFile(path) as before:
        old = {i.filename: before.read(i) for i in before.infolist()}
    assert validate_workbook(path, today=TODAY).written
    with zipfile.ZipFile(path) as after:
        new = {i.filename: after.read(i) for i in after.infolist()}
    assert list(new) == list(old)  # same parts, same order
    changed = {name for name in old if old[name] != new[name]}
    assert "xl/workbook.xml" not in changed and "[Content_Types].xml" not in changed
    assert "docProps/custom.xml" in changed
    # Only sheets whose inputs changed (Tracker, Issues and their readers) are rewritten.
    assert len([n for n in changed if n.startswith("xl/worksheets/")]) < len(
        [n for n in old if n.startswith("xl/worksheets/sheet")]
    )


def test_a_file_openpyxl_saved_last_is_written_the_same(sample, tmp_path):
    """A file a script saved with openpyxl's own writer, which binds the vt: prefix on each
    custom property's value rather than on the root: the properties the package writer adds
    are still bound (the file parses) and the fingerprints it left are still read."""
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(saved, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/custom.xml":
                vt = b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"'
                assert vt in body
                body = body.replace(vt, b"").replace(b"<vt:lpwstr>", b"<vt:lpwstr" + vt + b">")
            dst.writestr(info, body)
    ours, theirs = _both(saved, tmp_path, TRACKER_EDITS)
    with zipfile.ZipFile(ours) as package:
        ElementTree.fromstring(package.read("docProps/custom.xml"))
    assert differences(ours, theirs) == []
    assert_fresh(ours)
    assert not validate_workbook(ours, today=TODAY).written


def test_a_file_without_custom_properties_gets_them(sample, tmp_path):
    """A workbook saved by a program that records no fingerprints and no custom properties
    (openpyxl alone): everything is computed, and the package gains docProps/custom.xml with
    its content type and relationship, as the openpyxl save adds them."""
    bare = _without_custom_properties(sample, tmp_path)
    ours, theirs = _both(bare, tmp_path, TRACKER_EDITS)
    with zipfile.ZipFile(ours) as package:
        assert "docProps/custom.xml" in package.namelist()
        assert b"/docProps/custom.xml" in package.read("[Content_Types].xml")
        assert b'Target="docProps/custom.xml"' in package.read("_rels/.rels")
    assert differences(ours, theirs) == []
    assert_fresh(ours)
    assert not validate_workbook(ours, today=TODAY).written


def test_validate_twice_writes_nothing_the_second_time(sample, tmp_path):
    path = edited(sample, tmp_path, "twice", MANY)
    assert validate_workbook(path, today=TODAY).written
    assert not validate_workbook(path, today=TODAY).written


def test_a_package_it_cannot_edit_is_saved_with_openpyxl(sample, tmp_path, monkeypatch):
    path = edited(sample, tmp_path, "fallback", TRACKER_EDITS)
    monkeypatch.setattr(package_writer, "write_validation", _refuse)
    with pinned_today(TODAY):
        assert validate_workbook(path, today=TODAY).written
    assert_fresh(path)


def test_shared_formulas_are_left_to_openpyxl(sample, tmp_path):
    path = edited(sample, tmp_path, "shared", TRACKER_EDITS)
    retype(path, [])
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
        infos = src.infolist()
    name = next(n for n, b in parts.items() if n.startswith("xl/worksheets/") and b"<f>" in b)
    parts[name] = parts[name].replace(b"<f>", b'<f t="normal">', 1)
    with zipfile.ZipFile(path, "w") as dst:
        for info in infos:
            dst.writestr(info, parts[info.filename])
    with pytest.raises(package_writer.NotPlain):
        package_writer.write_validation(path, [], "x")
    assert validate_action.validate_workbook(path, today=TODAY).written


def _without_custom_properties(sample: Path, tmp_path: Path) -> Path:
    """`sample` as openpyxl alone saves it: no docProps/custom.xml, so no fingerprints."""
    bare = tmp_path / "bare.xlsx"
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(bare, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/custom.xml":
                continue
            if info.filename in ("[Content_Types].xml", "_rels/.rels"):
                body, n = re.subn(rb"<(Override|Relationship)\b[^>]*custom[^>]*/>", b"", body)
                assert n == 1
            dst.writestr(info, body)
    return bare


@pytest.mark.libreoffice
def test_libreoffice_reproduces_the_package_writers_cached_values(sample, tmp_path, lo):
    ours, _ = _both(sample, tmp_path, MANY)
    assert_cached_values_reproduced(ours, tmp_path)


@pytest.mark.libreoffice
def test_libreoffice_reproduces_every_value_computed_from_nothing(sample, tmp_path, lo):
    ours, _ = _both(_without_custom_properties(sample, tmp_path), tmp_path, MANY)
    assert_cached_values_reproduced(ours, tmp_path)


def _print_rows(path: Path, title: str) -> list[tuple[int, int]]:
    """The row ranges of `title`'s print area."""
    with zipfile.ZipFile(path) as package:
        root = ElementTree.fromstring(package.read("xl/workbook.xml"))
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    at = str([s.get("name") for s in root.iter(f"{main}sheet")].index(title))
    for dn in root.iter(f"{main}definedName"):
        if dn.get("name") == "_xlnm.Print_Area" and dn.get("localSheetId") == at:
            return [
                (int(a), int(b))
                for a, b in re.findall(r"\$?[A-Z]+\$?(\d+):\$?[A-Z]+\$?(\d+)", dn.text or "")
            ]
    raise AssertionError(f"{title} has no print area")


def test_rows_typed_past_the_print_area_are_printed(sample, tmp_path):
    """A note typed in Excel on a Tracker row past the print area (Excel does not grow it):
    the file validate writes prints that row. A print area that leaves out a typed row is never
    kept: the package writer leaves such a file to the openpyxl save, which fits every print
    area to what its sheet holds."""
    path = tmp_path / "typed.xlsx"
    shutil.copy(sample, path)
    row = _print_rows(path, layout.TRACKER)[-1][1] + 2
    retype(path, [(layout.TRACKER, f"G{row}", "typed in Excel below the print area")])
    with pytest.raises(package_writer.NotPlain, match="print area"):
        package_writer.write_validation(path, [], "x")
    with pinned_today(TODAY):
        assert validate_workbook(path, today=TODAY).written
    assert any(first <= row <= last for first, last in _print_rows(path, layout.TRACKER))
    assert_fresh(path)


def test_a_number_beyond_excels_dates_outside_a_date_cell_is_written(sample, tmp_path):
    """A billion days is a number, not a date beyond 9999 (a date-formatted cell holding such
    a serial is left to openpyxl, which refuses it: test_values_as_typed): the package writer
    writes the file (the benchmark's contract has a cap of a billion pounds)."""
    path = edited(sample, tmp_path, "big", [*TRACKER_EDITS, (layout.TRACKER, "F6", 1e9)])
    ours, theirs = _both(path, tmp_path, [])
    assert differences(ours, theirs) == []
    assert_fresh(ours)
