"""Recalculate a workbook in LibreOffice headless and save it (xlsx and/or PDF).

Runs under the *system* Python (Debian's python3-uno), not the project's virtualenv,
so it imports nothing from xlsrc. Usage:

    python3 lo_worker.py IN.xlsx [--xlsx OUT.xlsx] [--pdf OUT.pdf] [--names JSON]

LibreOffice keeps the cached values of an xlsx unless told otherwise, so we call
calculateAll() explicitly before storing: the values that come back are the engine's own.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def _props(**kwargs: object) -> tuple:
    out = []
    for key, value in kwargs.items():
        p = PropertyValue()
        p.Name = key
        p.Value = value
        out.append(p)
    return tuple(out)


def _connect(pipe: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("LibreOffice did not start") from None
            time.sleep(0.25)


# com.sun.star.util.NumberFormat bits: what a cell's format says its number is.
_DATE, _TIME, _LOGICAL = 2, 4, 1024
_EPOCH = dt.date(1899, 12, 30)  # serial day 0 of the 1900 date system (as LibreOffice counts)


def _cell_value(cell: Any, formats: Any) -> object:
    """The cell's value as JSON: text, a number, true/false for a TRUE/FALSE cell, an ISO date
    for a date cell (a workbook serial number means nothing to a program)."""
    from com.sun.star.table.CellContentType import (
        EMPTY,
        FORMULA,
        TEXT,
    )

    kind = cell.getType()
    if kind == EMPTY:
        return None
    if kind == TEXT:
        return cell.getString()
    if kind == FORMULA:
        if cell.getError():
            return f"#ERR{cell.getError()}"
        # FormulaResultType2: 1 VALUE, 2 TEXT (com.sun.star.sheet.FormulaResult)
        if cell.FormulaResultType2 == 2:
            return cell.getString()
    value = cell.getValue()
    shown_as = formats.getByKey(cell.NumberFormat).Type
    if shown_as & _LOGICAL:
        return value != 0
    if shown_as & _DATE and not shown_as & _TIME and value == int(value):
        return (_EPOCH + dt.timedelta(days=int(value))).isoformat()
    return value


def _named_values(doc: Any) -> dict[str, object]:
    """Every workbook-level defined name that points at one cell, with its value."""
    out: dict[str, object] = {}
    formats = doc.getNumberFormats()
    ranges = doc.NamedRanges
    for name in ranges.getElementNames():
        nr = ranges.getByName(name)
        try:
            area = nr.getReferredCells()
        except Exception:  # noqa: BLE001 - a name that is not a range (a constant)
            area = None
        if area is None:
            out[name] = None
            continue
        addr = area.getRangeAddress()
        if addr.StartColumn == addr.EndColumn and addr.StartRow == addr.EndRow:
            out[name] = _cell_value(area.getCellByPosition(0, 0), formats)
        else:
            out[name] = (
                f"range:{addr.EndRow - addr.StartRow + 1}x{addr.EndColumn - addr.StartColumn + 1}"
            )
    return out


# com.sun.star.sheet.CellFlags: cells holding a typed value (number, date, text), not a formula.
_TYPED = 1 | 2 | 4


def _extend_print_areas(doc: Any) -> None:
    """Rows typed below a print range (in Excel, after calloff last fitted the print areas:
    xlsrc.edges.workbook.print_areas) are printed too: each range grows over the typed rows
    between it and the next range, or the end of the sheet."""
    sheets = doc.Sheets
    for name in sheets.getElementNames():
        sheet = sheets.getByName(name)
        areas = list(sheet.getPrintAreas())
        if not areas:
            continue
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        used_end = cursor.getRangeAddress().EndRow
        changed = False
        for i, area in enumerate(areas):
            gap_end = areas[i + 1].StartRow - 1 if i + 1 < len(areas) else used_end
            if gap_end <= area.EndRow:
                continue
            gap = sheet.getCellRangeByPosition(
                area.StartColumn, area.EndRow + 1, area.EndColumn, gap_end
            )
            typed = gap.queryContentCells(_TYPED).getRangeAddresses()
            last = max((r.EndRow for r in typed), default=area.EndRow)
            if last > area.EndRow:
                area.EndRow = last
                changed = True
        if changed:
            sheet.setPrintAreas(tuple(areas))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("--xlsx")
    ap.add_argument("--pdf")
    ap.add_argument("--names")
    ap.add_argument("--only-sheet", help="PDF of this sheet alone (others hidden first)")
    args = ap.parse_args(argv)

    pipe = f"calloff-{uuid.uuid4().hex}"
    with tempfile.TemporaryDirectory(prefix="calloff-lo-") as profile:
        proc = subprocess.Popen(
            [
                "soffice",
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                f"-env:UserInstallation=file://{profile}",
                f"--accept=pipe,name={pipe};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            ctx = _connect(pipe, proc)
            smgr = ctx.ServiceManager
            desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            url = uno.systemPathToFileUrl(os.path.abspath(args.src))
            doc = desktop.loadComponentFromURL(url, "_blank", 0, _props(Hidden=True))
            if doc is None:
                print(f"LibreOffice could not open {args.src}", file=sys.stderr)
                return 2
            doc.calculateAll()
            if args.names:
                Path(args.names).write_text(
                    json.dumps(_named_values(doc), indent=1, default=str), "utf-8"
                )
            if args.xlsx:
                out = uno.systemPathToFileUrl(os.path.abspath(args.xlsx))
                doc.storeToURL(out, _props(FilterName="Calc MS Excel 2007 XML"))
            if args.pdf:
                if args.only_sheet:
                    sheets = doc.Sheets
                    if doc.isProtected():  # structure protection (no password) blocks removal
                        doc.unprotect("")
                    if not sheets.hasByName(args.only_sheet):
                        print(f"no sheet named {args.only_sheet}", file=sys.stderr)
                        return 2
                    # Hidden sheets with print ranges still print: drop the others from
                    # this in-memory copy instead (the document is never stored back).
                    for name in sheets.getElementNames():
                        if name != args.only_sheet:
                            sheets.removeByName(name)
                _extend_print_areas(doc)
                out = uno.systemPathToFileUrl(os.path.abspath(args.pdf))
                doc.storeToURL(out, _props(FilterName="calc_pdf_Export"))
            doc.close(True)
            # The bridge drops as soffice exits, which raises: expected.
            with contextlib.suppress(Exception):
                desktop.terminate()
        finally:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
