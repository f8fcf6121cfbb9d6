"""openxml-audit (PyPI; a port of Microsoft's Open XML SDK validator) over calloff's files,
failing on any finding except the listed false-positive classes below.

    .venv/bin/python -m tests.tools.openxml_check workbook/CON_22889.xlsx out/demo/*.xlsx

Each false-positive class says why it is one; anything else is a finding to fix.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class FalsePositive:
    name: str
    part: re.Pattern[str]
    path: re.Pattern[str]
    description: re.Pattern[str]
    why: str


FALSE_POSITIVES = (
    FalsePositive(
        "font child order",
        re.compile(r"^/xl/styles\.xml$"),
        re.compile(r"/font\[\d+\]$"),
        re.compile(r"^Unexpected element '\w+' found$"),
        "openpyxl writes a font's children (b, sz, color, name...) in its own order; the "
        "schema's CT_Font is a choice that allows any order, and Excel opens it without repair. "
        "The validator checks them as a sequence.",
    ),
    FalsePositive(
        "inline strings",
        re.compile(r"^/xl/worksheets/sheet\d+\.xml$"),
        re.compile(r".*"),
        re.compile(r"inline-string cell\(s\) \(`<c t=\"inlineStr\">`\) but the package has no"),
        "openpyxl writes text as inline strings (valid SpreadsheetML, read by Excel as is); "
        "the warning says Excel moves them to a shared-strings part when it next saves, which "
        "is a rewrite on save, not a repair on open.",
    ),
)


@cache
def _validator():
    from openxml_audit import OpenXmlValidator

    return OpenXmlValidator()


def _allowed(error) -> bool:
    return any(
        fp.part.search(str(error.part_uri or ""))
        and fp.path.search(str(error.path or ""))
        and fp.description.search(error.description)
        for fp in FALSE_POSITIVES
    )


def findings(path: str | Path) -> list[str]:
    """openxml-audit's findings on a file, except the listed false positives."""
    result = _validator().validate(str(path))
    return [
        f"openxml-audit {e.severity.value}: {e.part_uri} {e.path or ''}: {e.description}"
        for e in result.errors
        if not _allowed(e)
    ]


def main(argv: list[str]) -> int:
    bad = 0
    for name in argv:
        found = findings(name)
        bad += bool(found)
        print(f"{name}: {'OK' if not found else f'{len(found)} finding(s)'}")
        for line in found:
            print("  " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
