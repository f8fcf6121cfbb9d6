"""Press a button of xlwings Lite's script (macros/lite/main.py) on workbooks; print what it did.

Run by tests/test_pyodide.py under CPython, under Pyodide in node and under Pyodide in headless
Chromium (tests/pyodide/browser.html), which must all print the same. Usage:

    validate_button.py [--button=NAME] [--select=SHEET!CELL] [--today=YYYY-MM-DD] WORKBOOK...

NAME is a script of the Lite file (validate unless named: totals, build_return,
check_invoice); --select is the cell selected when the button is pressed (the workbook's
active cell otherwise); --today fixes the day the button takes as today. The book is
tests/xl/fake_xlwings (xlwings' Book calls, read from the file); for each workbook one JSON
line: every write the button made (Issues rows, highlights, a return sheet, the Audit row, the
status cell; the time of day masked), its message, the rule codes on the Issues sheet, and
each message in full ("alerts").
"""

import datetime as dt
import functools
import importlib.util
import json
import re
import sys
from pathlib import Path

from tests.xl.fake_xlwings import FakeBook
from xlsrc.adapters.xl import entry

ROOT = Path(__file__).resolve().parents[2]
# The minute a status line was written, the second an Audit row records a return issued.
STAMP = re.compile(
    r"[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2} "
    r"[0-9]{2}:[0-9]{2}:[0-9]{2} UTC"
)


def main(args: list[str]) -> None:
    options = {}
    while args and args[0].startswith("--"):
        key, _, value = args.pop(0)[2:].partition("=")
        options[key] = value
    button = options.get("button", "validate")
    if "today" in options:  # every button's run_* takes the day; the button passes none
        today = dt.date.fromisoformat(options["today"])
        for name in ("validate", "totals", "build_return", "check_invoice"):
            run = getattr(entry, f"run_{name}")
            setattr(entry, f"run_{name}", functools.partial(run, today=today))
    spec = importlib.util.spec_from_file_location("lite_main", ROOT / "macros" / "lite" / "main.py")
    lite = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lite)
    selection = None
    if "select" in options:
        sheet, _, cell = options["select"].rpartition("!")
        selection = (sheet, cell)
    for workbook in args:
        book = FakeBook(Path(workbook), selection=selection)
        getattr(lite, button)(book)
        rows = [
            row
            for op in book.ops
            if op.kind == "values" and op.sheet == "Issues"
            for row in op.value
        ]
        codes = [
            str(r[1]).lstrip("'") for r in rows if len(r) > 1 and r[0] in ("'error", "'warning")
        ]
        print(
            json.dumps(
                {
                    "platform": sys.platform,
                    "writes": [STAMP.sub("<time>", repr(op)) for op in book.ops],
                    "message": [prompt.splitlines()[0] for _, prompt, _ in book.alerts],
                    "codes": sorted(codes),
                    "alerts": [prompt for _, prompt, _ in book.alerts],
                }
            )
        )


if __name__ == "__main__":
    main(sys.argv[1:])
