"""Compare two .xlsx files part by part, ignoring the parts that only carry timestamps.

Used by the test that proves the committed workbook is a fresh build, and by
`calloff build --check`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

VOLATILE = frozenset({"docProps/core.xml"})  # created/modified timestamps


def differing_parts(a: Path, b: Path) -> list[str]:
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        names_a, names_b = set(za.namelist()) - VOLATILE, set(zb.namelist()) - VOLATILE
        out = sorted(names_a ^ names_b)
        out += sorted(n for n in names_a & names_b if za.read(n) != zb.read(n))
    return out
