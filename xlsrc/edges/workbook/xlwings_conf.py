"""The xlwings.conf sheet (hidden, macro workbook only): how RunPython finds Python.

xlwings' VBA reads this sheet first (before an xlwings.conf file beside the workbook, then
the user's ~/.xlwings/xlwings.conf, then its defaults): keys in column A from A1 down to the
first blank cell, values in column B. A key present here wins even with a blank value, so the
sheet ships with NO key: columns A and B are empty (yellow, to type in) and every setting
comes from the user's own xlwings.conf files or xlwings' defaults until someone types one.
The keys one may add are listed, with what to type, in columns D and E (never read).
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook

from xlsrc.edges.workbook import styles
from xlsrc.edges.workbook.cells import put

SHEET = "xlwings.conf"
SETTINGS = (
    (
        "Interpreter_Win",
        "Windows: full path of python.exe of the environment where calloff is installed, "
        r"e.g. C:\calloff\.venv\Scripts\python.exe. Blank: the 'python' on PATH.",
    ),
    (
        "Interpreter_Mac",
        "macOS: full path of that environment's python, e.g. /Users/me/calloff/.venv/bin/python."
        " Blank: the 'python' on PATH.",
    ),
    (
        "PYTHONPATH",
        "Only if calloff is not installed in that Python: the folder that holds xlsrc/ "
        "(the repository). Several folders: separate with ;. %VARIABLES% are expanded.",
    ),
    ("Conda Path", r"Windows + conda only: the conda folder, e.g. C:\Users\me\miniconda3."),
    ("Conda Env", "Windows + conda only: the environment's name, e.g. calloff."),
)
NOTES = (
    "How the buttons find Python",
    "To set one: type its key in column A (from A1 down, no blank rows) and the value in "
    "column B. Never leave a key with an empty value: it would override your xlwings.conf "
    "files with nothing.",
    "Each button runs RunPython (xlwings' VBA module, built into this workbook), which "
    "starts the Python above and runs xlsrc.adapters.xl.entry in it.",
    "xlwings reads column A from A1 down to the first blank cell; a key here overrides an "
    "xlwings.conf file beside the workbook and the user's ~/.xlwings/xlwings.conf. Delete "
    "the row to use those files' value instead.",
    "To see this sheet: Review > Protect Workbook (no password) to lift structure "
    "protection, then right-click a sheet tab > Unhide.",
)


KEY_COLUMN, VALUE_COLUMN = 1, 2  # what xlwings reads: empty as shipped
REFERENCE_COLUMN = 4  # keys one may add (column D) and what to type (column E)
INPUT_ROWS = len(SETTINGS)


def build(wb: Workbook) -> None:
    ws = wb.create_sheet(SHEET)
    put(ws, 1, 3, "Your settings: key in A, value in B").font = styles.BOLD
    for row in range(1, INPUT_ROWS + 1):
        styles.input_cell(ws.cell(row, KEY_COLUMN))
        styles.input_cell(ws.cell(row, VALUE_COLUMN))
    put(ws, 1, REFERENCE_COLUMN, "Key you may add").font = styles.BOLD
    put(ws, 1, REFERENCE_COLUMN + 1, "What to type in column B").font = styles.BOLD
    for row, (key, explanation) in enumerate(SETTINGS, start=2):
        put(ws, row, REFERENCE_COLUMN, key)
        put(ws, row, REFERENCE_COLUMN + 1, explanation).alignment = styles.WRAP
    first_note = len(SETTINGS) + 3
    put(ws, first_note, REFERENCE_COLUMN, NOTES[0]).font = styles.BOLD
    for row, text in enumerate(NOTES[1:], start=first_note + 1):
        put(ws, row, REFERENCE_COLUMN, text)
    styles.widths(ws, {"A": 18, "B": 40, "C": 34, "D": 18, "E": 90})
    ws.sheet_state = "hidden"


def settings(ws: Any) -> dict[str, object]:
    """The keys and values xlwings' VBA reads from this sheet (A1 down to a blank cell)."""
    out: dict[str, object] = {}
    row = 1
    while ws.cell(row, KEY_COLUMN).value not in (None, ""):
        out[str(ws.cell(row, KEY_COLUMN).value)] = ws.cell(row, VALUE_COLUMN).value
        row += 1
    return out
