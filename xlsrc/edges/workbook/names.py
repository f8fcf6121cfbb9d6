"""Defined names: the one way builders publish a cell or range for formulas and readers."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import absolute_coordinate, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName


def define(wb: Workbook, name: str, sheet: str, ref: str) -> None:
    """Workbook-level name -> 'Sheet'!$A$1 (or a range). Redefining a name is a bug."""
    if name in wb.defined_names:
        raise ValueError(f"defined name {name} already exists")
    target = f"{quote_sheetname(sheet)}!{absolute_coordinate(ref)}"
    wb.defined_names[name] = DefinedName(name, attr_text=target)


def resolve(wb: Workbook, name: str) -> tuple[str, str]:
    """(sheet title, range) a single-area defined name points at."""
    dn = wb.defined_names[name]
    destinations = list(dn.destinations)
    if len(destinations) != 1:
        raise KeyError(f"defined name {name} does not point at one range")
    sheet, ref = destinations[0]
    return sheet, ref.replace("$", "")
