"""The .xlsm package: written in a fixed order, and compared part by part.

openpyxl copies the VBA parts (the project, the button drawings) in set order, which changes
from one process to the next, and lists the content types' <Default> entries in that order:
`canonical_package` puts them back in a fixed order, so the same sources give the same parts.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.formulas.cache import package
from xlsrc.edges.libreoffice.vba_pack import VBA_PART
from xlsrc.edges.workbook.print_areas import fit_print_areas
from xlsrc.edges.workbook.vba_reader import read_vba_modules

VOLATILE = frozenset({"docProps/core.xml"})  # timestamps
_TYPES = "[Content_Types].xml"
_DEFAULT = re.compile(rb"<Default\b[^>]*/>")
_EXTENSION = re.compile(rb'Extension="([^"]*)"')


def save_macro_workbook(wb: Workbook, target: Path) -> None:
    """Save atomically, in a fixed order: the same sources give the same parts; print areas
    fitted as every save fits them (xlsrc.edges.workbook.print_areas)."""
    fit_print_areas(wb)
    save_workbook(_Package(canonical_package(package(wb))), target)


def canonical_package(data: bytes) -> bytes:
    """The package with [Content_Types].xml first, the other parts sorted by name, and the
    content types' <Default> entries sorted by extension (the rest is left as it is)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        infos = sorted(src.infolist(), key=lambda i: (i.filename != _TYPES, i.filename))
        for info in infos:
            body = src.read(info)
            if info.filename == _TYPES:
                body = _sorted_defaults(body)
            dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _sorted_defaults(types: bytes) -> bytes:
    defaults = _DEFAULT.findall(types)
    if not defaults:
        return types
    rest = _DEFAULT.sub(b"", types)
    at = rest.index(b">") + 1  # right after <Types ...>
    ordered = sorted(defaults, key=_extension)
    return rest[:at] + b"".join(ordered) + rest[at:]


class _Package:
    """Package bytes that fileio.atomic.save_workbook can write like a Workbook."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def save(self, handle: Any) -> None:
        handle.write(self._data)


def differing_macro_parts(a: Path, b: Path) -> list[str]:
    """Parts of two .xlsm files that differ; the VBA project is compared module by module
    (name, kind, exact source bytes), since LibreOffice writes it with a random project ID
    and protection seed."""
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        names_a, names_b = set(za.namelist()) - VOLATILE, set(zb.namelist()) - VOLATILE
        out = sorted(names_a ^ names_b)
        for name in sorted(names_a & names_b):
            if name == VBA_PART:
                out += _differing_modules(za.read(name), zb.read(name))
            elif za.read(name) != zb.read(name):
                out.append(name)
    return out


def _differing_modules(a: bytes, b: bytes) -> list[str]:
    ma, mb = read_vba_modules(a), read_vba_modules(b)
    if set(ma) != set(mb):
        return [f"{VBA_PART} (modules {sorted(ma)} vs {sorted(mb)})"]
    return [f"{VBA_PART} (module {n})" for n in sorted(ma) if ma[n] != mb[n]]


def _extension(default: bytes) -> bytes:
    match = _EXTENSION.search(default)
    return match.group(1).lower() if match else b""
