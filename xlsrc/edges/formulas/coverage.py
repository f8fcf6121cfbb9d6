"""The formulas of a saved workbook the engine cannot compute whatever the cells hold: a
function it does not have (xlsrc.edges.formulas.functions), or a formula its parser cannot
read. A save leaves such a cell without a cached value (xlsrc.edges.formulas.cache), so the
writing commands name each one, never leaving it blank in silence (issue 19).

Read from the package's XML, each formula's text once: cheap beside a save's computing.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from xlsrc.edges.formulas.functions import FUNCTIONS, LAZY
from xlsrc.edges.formulas.package_cells import NotPlain, sheet_parts
from xlsrc.edges.formulas.parser import FormulaSyntaxError, parse

# A cell's formula as any program writes it (a shared formula's text is on its first cell).
_FORMULA_CELL = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]+)([0-9]+)"[^>]*>\s*<f\b[^>/]*>([^<]+)</f>', re.S
)
_PREFIX = ("_xlfn.", "_xlws.")


@dataclass(frozen=True)
class Uncomputed:
    sheet: str
    column: str  # the column's letters
    row: int
    formula: str  # with its leading "="
    why: str  # "has no function WEEKDAY2" or "cannot read it: ..."


def known(name: str) -> bool:
    return name in FUNCTIONS or name in LAZY


def why_not(text: str, row: int = 1, col: int = 1) -> str | None:
    """Why the engine cannot compute the formula `text` (no leading "="), whatever the cells
    hold; None when it can."""
    try:
        tree = parse(text, row, col)
    except FormulaSyntaxError as exc:
        return f"cannot read it ({exc})"
    missing = sorted(set(_unknown_calls(tree)))
    if not missing:
        return None
    names = ", ".join(n.removeprefix("_XLFN.").removeprefix("_XLWS.") for n in missing)
    return f"has no function {names}"


def _unknown_calls(node: object) -> Iterator[str]:
    """The unknown function names in a parse tree (a node, or a tuple of arguments)."""
    if not isinstance(node, tuple) or not node:
        return
    if node[0] == "call" and not known(node[1]):
        yield node[1]
    for part in node[1:] if isinstance(node[0], str) else node:
        if isinstance(part, tuple):
            yield from _unknown_calls(part)


def uncomputed_in(path: Path) -> list[Uncomputed]:
    """Every formula cell of the workbook at `path` the engine cannot compute, sheet by sheet
    in workbook order; none when the file cannot be read as a package (the reader says why)."""
    out: list[Uncomputed] = []
    verdicts: dict[str, str | None] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for sheet in sheet_parts(archive.read):
                body = archive.read(sheet.part)
                for letters, digits, raw in _FORMULA_CELL.findall(body):
                    text = html.unescape(raw.decode("utf-8", "replace"))
                    if text not in verdicts:
                        verdicts[text] = why_not(text, int(digits), _column(letters))
                    why = verdicts[text]
                    if why is not None:
                        out.append(
                            Uncomputed(sheet.title, letters.decode(), int(digits), f"={text}", why)
                        )
    except (OSError, KeyError, zipfile.BadZipFile, NotPlain, ValueError):
        return []
    return out


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n
