"""The macro-enabled workbook: the governed workbook plus its VBA, buttons and xlwings.conf.

Built in this order:
1. the governed workbook (build.build_workbook), then the hidden xlwings.conf sheet;
2. code names on the workbook and on every sheet (ThisWorkbook, SheetGuide, ...): the VBA
   project's document modules carry the same names, so Excel pairs them;
3. the VBA project: LibreOffice packs macros/*.bas into xl/vbaProject.bin (engine/vba.py);
4. the buttons: one VML drawing per sheet with buttons (buttons.py places, vml.py writes).
openpyxl writes the .xlsm through its keep-VBA path: what it finds in `vba_archive` (the
project, the drawings) it copies into the file, and each sheet's `legacy_drawing` becomes
its <legacyDrawing>. Saving and comparing the package: xlsm.py.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook

from xlsrc.edges.libreoffice.vba_pack import VBA_PART, make_vba_project
from xlsrc.edges.workbook import buttons, vml, xlwings_conf
from xlsrc.edges.workbook.builder import build_workbook
from xlsrc.edges.workbook.vba import Module, procedures
from xlsrc.model.terms.models import Terms

WORKBOOK_CODE_NAME = "ThisWorkbook"
_CONTENT_TYPES = b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
_NO_RELS = b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'


def build_macro_workbook(
    terms: Terms, modules: list[Module], terms_source: str = "bundled terms"
) -> Workbook:
    wb = build_workbook(terms, terms_source)
    add_macros(wb, modules)
    return wb


def add_macros(wb: Workbook, modules: list[Module]) -> None:
    check_buttons(modules)
    xlwings_conf.build(wb)
    set_code_names(wb)
    parts = {VBA_PART: vba_project(wb, modules)}
    parts.update(add_buttons(wb))
    wb.vba_archive = _archive(parts)


def code_name(title: str) -> str:
    """A sheet's code name: "Sheet" + the letters and digits of its title (31 at most)."""
    return ("Sheet" + re.sub(r"[^A-Za-z0-9]", "", title))[:31]


def set_code_names(wb: Workbook) -> list[str]:
    """Name the workbook and its sheets for VBA; return the names, workbook first."""
    wb.code_name = WORKBOOK_CODE_NAME
    names = [WORKBOOK_CODE_NAME]
    for ws in wb.worksheets:
        ws.sheet_properties.codeName = code_name(ws.title)
        names.append(ws.sheet_properties.codeName)
    if len({n.lower() for n in names}) != len(names):
        raise ValueError(f"two sheets would share a code name: {names}")
    return names


def vba_project(wb: Workbook, modules: list[Module]) -> bytes:
    """xl/vbaProject.bin: the standard modules, and an empty document module per code name.

    LibreOffice reads the code names from a skeleton copy of the workbook (titles and code
    names only, so it loads fast).
    """
    skeleton = Workbook()
    skeleton.remove(skeleton.active)
    skeleton.code_name = wb.code_name
    for ws in wb.worksheets:
        copy = skeleton.create_sheet(ws.title)
        copy.sheet_properties.codeName = ws.sheet_properties.codeName
    documents = [wb.code_name, *(ws.sheet_properties.codeName for ws in wb.worksheets)]
    clash = {m.name.lower() for m in modules} & {d.lower() for d in documents}
    if clash:
        raise ValueError(f"module names clash with code names: {sorted(clash)}")
    with tempfile.TemporaryDirectory(prefix="calloff-skeleton-") as tmp:
        path = Path(tmp) / "skeleton.xlsx"
        skeleton.save(path)
        return make_vba_project(
            path, {m.name: m.basic_text() for m in modules}, documents, wb.code_name
        )


def add_buttons(wb: Workbook) -> dict[str, bytes]:
    """Give each sheet with buttons its VML drawing; return the parts to add."""
    parts = {}
    placed = buttons.by_sheet()
    number = 0
    for ws in wb.worksheets:  # workbook order: drawing numbers follow the sheets
        if ws.title not in placed:
            continue
        number += 1
        on_sheet = placed[ws.title]
        anchors = buttons.place(ws, on_sheet)
        parts[vml.part_name(number)] = vml.drawing(
            number, list(zip(on_sheet, anchors, strict=True))
        )
        ws.legacy_drawing = vml.part_name(number)
    return parts


def check_buttons(modules: list[Module]) -> None:
    """Every button's macro is a Public Sub in exactly one module and runs its entry."""
    problems = []
    for button in buttons.BUTTONS:
        owners = [m for m in modules if button.macro in procedures(m)]
        if len(owners) != 1:
            problems.append(f"{button.macro}: defined in {len(owners)} modules, not 1")
            continue
        if f'RunPython "{button.command}"' not in owners[0].source.decode("ascii"):
            problems.append(f'{owners[0].name}.{button.macro}: no RunPython "{button.command}"')
    if problems:
        raise ValueError("buttons and macros disagree: " + "; ".join(problems))


def _archive(parts: dict[str, bytes]) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _NO_RELS)
        for name, data in parts.items():
            archive.writestr(name, data)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
