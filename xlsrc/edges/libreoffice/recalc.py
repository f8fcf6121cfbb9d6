"""LibreOffice headless as a real spreadsheet engine: recalculate, export xlsx and PDF.

The UNO bridge lives in the system Python (Debian's python3-uno), not in our virtualenv, so
the work runs in a subprocess (lo_worker.py) under that interpreter.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from functools import cache
from pathlib import Path

from xlsrc.model.errors import EngineError

WORKER = Path(__file__).with_name("lo_worker.py")
CANDIDATES = ("/usr/bin/python3", "/usr/local/bin/python3", "python3")
INSTALL_HINT = "install LibreOffice: apt-get install libreoffice-calc-nogui python3-uno"


@cache
def uno_python() -> str:
    """An interpreter that can `import uno` (CALLOFF_UNO_PYTHON overrides the search)."""
    override = os.environ.get("CALLOFF_UNO_PYTHON")
    for candidate in (override,) if override else CANDIDATES:
        exe = shutil.which(candidate) if candidate else None
        if exe and subprocess.run([exe, "-c", "import uno"], capture_output=True).returncode == 0:
            return exe
    raise EngineError(f"no Python with the LibreOffice UNO bridge found; {INSTALL_HINT}")


def available() -> bool:
    try:
        uno_python()
    except EngineError:
        return False
    return shutil.which("soffice") is not None


def recalculate(
    src: Path,
    *,
    xlsx: Path | None = None,
    pdf: Path | None = None,
    names: Path | None = None,
    only_sheet: str | None = None,
    timeout: float = 300,
) -> dict[str, object] | None:
    """Open `src` in LibreOffice, recalculate everything, write the outputs asked for.

    Returns the values of the workbook's single-cell defined names when `names` is given.
    """
    if shutil.which("soffice") is None:
        raise EngineError(f"LibreOffice (soffice) is not installed; {INSTALL_HINT}")
    cmd = [uno_python(), str(WORKER), str(src)]
    for flag, path in (
        ("--xlsx", xlsx),
        ("--pdf", pdf),
        ("--names", names),
        ("--only-sheet", only_sheet),
    ):
        if path is not None:
            cmd += [flag, str(path)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise EngineError(f"LibreOffice took longer than {timeout:.0f}s on {src}") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise EngineError(f"LibreOffice failed on {src}: {detail[0]}")
    if names is not None:
        return json.loads(Path(names).read_text(encoding="utf-8"))
    return None


# A defined name's number is money unless its name says otherwise (fmt.json_ready's keys:
# "Days" days, "Pct"/"VATRate" ratios); these are counts and these ratios too.
_COUNT_NAME = re.compile(r"Months|Errors|Threshold|ReportDays")
_RATIO_NAME = re.compile(r"^CapBand\d")


def names_json(names: dict[str, object]) -> dict[str, object]:
    """LibreOffice's values of the defined names, the way every command writes JSON: money a
    string with two decimals ("52650.00"), days one, ratios four, counts whole numbers; the
    float LibreOffice hands over never reaches the output (fmt.json_ready)."""
    from xlsrc.model.fmt import json_ready

    out: dict[str, object] = {}
    for name, value in names.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            out[name] = value
            continue
        number = Decimal(repr(value))
        if _COUNT_NAME.search(name):
            whole = number.to_integral_value()
            out[name] = int(whole) if whole == number else str(number)
        elif _RATIO_NAME.search(name):
            out[name] = json_ready(number, "pct")
        else:
            out[name] = json_ready(number, name)
    return out
