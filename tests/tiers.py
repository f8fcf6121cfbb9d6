"""The two test tiers: `make test` runs everything in full; `make test-fast` sets
CALLOFF_TEST_TIER=fast and runs what needs neither LibreOffice nor node, trimmed where only
the number of tries is cut, never what a test asserts: no openxml-audit on every written
workbook (tests/conftest.py; the shipped workbooks still pass it in test_excel_fidelity) and
fewer hypothesis examples (`examples`)."""

from __future__ import annotations

import os

FAST = os.environ.get("CALLOFF_TEST_TIER") == "fast"


def examples(full: int) -> int:
    """How many examples hypothesis draws: `full` in `make test`, a quarter (at least two) in
    `make test-fast`."""
    return max(2, full // 4) if FAST else full
