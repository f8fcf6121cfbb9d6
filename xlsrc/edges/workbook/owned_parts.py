"""Parts of the file that calloff owns and another spreadsheet program's save can lose.

LibreOffice, Gnumeric or an older Excel keep what people typed but may drop what calloff
declared: the workbook's fullCalcOnLoad flag (Excel recomputes every formula on opening), the
Tracker table's calculated columns (Excel fills Month and Cost on a row added to the table) and
the Budget chart (LibreOffice writes one openpyxl cannot read, so a save through openpyxl would
drop it). `missing_in_package` says which are gone, reading the zip directly (no openpyxl
load); `restore_owned_parts` puts them back on an openpyxl workbook the way the builder first
made them. Writing commands refuse a file that has lost the calculated columns or the chart
(a write through openpyxl would add rows Excel does not fill, or drop the chart for good);
`calloff validate` restores it.

fullCalcOnLoad alone is not refused: Excel itself leaves it out when it saves (it has just
recalculated), so refusing would stop every command after every Excel save; every writing
command saves through openpyxl and sets it again (`PUT_BACK_BY_ANY_WRITE`).
"""

from __future__ import annotations

import posixpath
import warnings
import zipfile
from pathlib import Path

from defusedxml import ElementTree
from openpyxl import Workbook
from openpyxl.reader.drawings import find_images

from xlsrc.edges.workbook.sheets import budget
from xlsrc.edges.workbook.sheets import tracker as tracker_sheet
from xlsrc.edges.workbook.structure import NS, sheets
from xlsrc.model import layout
from xlsrc.model.terms.models import Terms

FULL_CALC = "fullCalcOnLoad"
CALCULATED_COLUMNS = "Tracker calculated columns"
BUDGET_CHART = "Budget chart"

# What each part is, for a refusal ("has lost ...") and for validate's "Put right: ..." line.
LOST = {
    FULL_CALC: "the flag that makes Excel recalculate every formula on opening (fullCalcOnLoad)",
    CALCULATED_COLUMNS: "the Tracker table's calculated Month and Cost columns",
    BUDGET_CHART: "the Budget chart of cumulative spend against the cap",
}
PUT_RIGHT = {
    FULL_CALC: "Excel recalculates every formula on opening again (fullCalcOnLoad)",
    CALCULATED_COLUMNS: (
        "the Tracker table's Month and Cost are calculated columns again (Excel fills them on"
        " a row added to the table)"
    ),
    BUDGET_CHART: "the Budget chart of cumulative spend against the cap is drawn again",
}

# Set again by every writing command's save, without a word (see the module docstring).
PUT_BACK_BY_ANY_WRITE = frozenset({FULL_CALC})

_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_TABLE, _DRAWING = _TYPE + "table", _TYPE + "drawing"
_TRUE = ("1", "true")


def lost_parts(missing: list[str]) -> str:
    """The refusal's words for what a file has lost."""
    words = [LOST[m] for m in missing]
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def missing_in_package(path: Path) -> list[str]:
    """Which owned parts the file at `path` lacks (FULL_CALC, CALCULATED_COLUMNS,
    BUDGET_CHART, in that order). A sheet or table the file lacks altogether is the readers'
    to report, not this."""
    with zipfile.ZipFile(path) as archive:
        missing = []
        if not _full_calc_on_load(archive):
            missing.append(FULL_CALC)
        parts = sheets(archive)
        tracker = parts.get(layout.TRACKER)
        if tracker is not None and _calculated_columns_lost(archive, tracker):
            missing.append(CALCULATED_COLUMNS)
        chart_sheet = parts.get(layout.BUDGET)
        if chart_sheet is not None and not _has_readable_chart(archive, chart_sheet):
            missing.append(BUDGET_CHART)
    return missing


def restore_owned_parts(wb: Workbook, terms: Terms, missing: list[str]) -> None:
    """Put each missing part back on `wb`, as the builder made it; no cell is written."""
    if FULL_CALC in missing:
        recalculate_on_load(wb)
    if CALCULATED_COLUMNS in missing and layout.TRACKER in wb.sheetnames:
        ws = wb[layout.TRACKER]
        table = ws.tables.get(layout.TRACKER_TABLE)
        if table is not None:
            tracker_sheet.declare_calculated_columns(ws, table)
    if BUDGET_CHART in missing and layout.BUDGET in wb.sheetnames:
        ws = wb[layout.BUDGET]
        ws._charts = []  # what openpyxl could not read was dropped on loading
        budget.draw_chart(ws, terms)


def recalculate_on_load(wb: Workbook) -> None:
    """Excel recomputes every formula on opening (the builder's setting)."""
    wb.calculation.fullCalcOnLoad = True


def _full_calc_on_load(archive: zipfile.ZipFile) -> bool:
    root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    calc = root.find("m:calcPr", NS)
    return calc is not None and calc.get("fullCalcOnLoad", "").lower() in _TRUE


def _calculated_columns_lost(archive: zipfile.ZipFile, sheet: str) -> bool:
    owned = set(tracker_sheet.row_formulas(layout.FIRST_DATA_ROW))
    for part in _related(archive, sheet, _TABLE):
        root = ElementTree.fromstring(archive.read(part))
        if layout.TRACKER_TABLE not in (root.get("displayName"), root.get("name")):
            continue
        return any(
            column.find("m:calculatedColumnFormula", NS) is None
            for column in root.iterfind("m:tableColumns/m:tableColumn", NS)
            if column.get("name") in owned
        )
    return False


def _has_readable_chart(archive: zipfile.ZipFile, sheet: str) -> bool:
    """The sheet's drawing holds a chart openpyxl can read (what it cannot, it drops)."""
    for drawing in _related(archive, sheet, _DRAWING):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Unable to read chart": answered by the count
            charts, _ = find_images(archive, drawing)
        if charts:
            return True
    return False


def _related(archive: zipfile.ZipFile, part: str, kind: str) -> list[str]:
    """The parts `part` relates to with relationships of type `kind`."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in archive.namelist():
        return []
    out = []
    for rel in ElementTree.fromstring(archive.read(rels)).iterfind("rel:Relationship", NS):
        target = rel.get("Target", "")
        if rel.get("Type") != kind or rel.get("TargetMode") == "External":
            continue
        full = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        if (found := posixpath.normpath(full)) in archive.namelist():
            out.append(found)
    return out
