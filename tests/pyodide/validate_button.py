"""Press xlwings Lite's Validate button (macros/lite/main.py) on workbook files; print the result.

Run by tests/test_pyodide.py under CPython and under Pyodide (xlwings Lite's Python), which
must print the same. Usage: validate_button.py [--button=totals] WORKBOOK... (Validate unless
another button of the Lite script is named; "alerts" then holds each message in full).
The book is tests/xl/fake_xlwings (xlwings' Book calls, read from the file); for each workbook
one JSON line: every write the button made (Issues rows, highlights, the status cell; the
time of day masked), its message, and the rule codes on the Issues sheet.
"""

import importlib.util
import json
import re
import sys
from pathlib import Path

from tests.xl.fake_xlwings import FakeBook

ROOT = Path(__file__).resolve().parents[2]
STAMP = re.compile(r"[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}")

spec = importlib.util.spec_from_file_location("lite_main", ROOT / "macros" / "lite" / "main.py")
lite = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lite)

args = sys.argv[1:]
button = args.pop(0).split("=", 1)[1] if args and args[0].startswith("--button=") else "validate"
for workbook in args:
    book = FakeBook(Path(workbook))
    getattr(lite, button)(book)
    rows = [
        row for op in book.ops if op.kind == "values" and op.sheet == "Issues" for row in op.value
    ]
    codes = [str(r[1]).lstrip("'") for r in rows if len(r) > 1 and r[0] in ("'error", "'warning")]
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
