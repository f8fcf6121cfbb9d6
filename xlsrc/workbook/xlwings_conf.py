"""The xlwings.conf sheet (hidden, macro workbook only): how RunPython finds Python.

xlwings' VBA reads this sheet first (before an xlwings.conf file beside the workbook, then
the user's ~/.xlwings/xlwings.conf, then its defaults): keys in column A from A1 down to the
first blank cell, values in column B. A key present with a blank value counts as set (to
nothing) except for the interpreters, where blank falls back to the next place; delete a row
to use the file's value instead. Column C only explains.
"""

from __future__ import annotations

from openpyxl import Workbook

from xlsrc.workbook import styles
from xlsrc.workbook.cells import put

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
    "Each button runs RunPython (xlwings' VBA module, built into this workbook), which "
    "starts the Python above and runs xlsrc.xl.entry in it.",
    "The settings start in A1; xlwings reads down column A to the first blank cell.",
    "This sheet overrides an xlwings.conf file beside the workbook and the user's "
    "~/.xlwings/xlwings.conf. Delete a row to use those files' value instead.",
    "To see this sheet: Review > Protect Workbook (no password) to lift structure "
    "protection, then right-click a sheet tab > Unhide.",
)


def build(wb: Workbook) -> None:
    ws = wb.create_sheet(SHEET)
    for row, (key, explanation) in enumerate(SETTINGS, start=1):
        put(ws, row, 1, key).font = styles.BOLD
        styles.input_cell(ws.cell(row, 2))
        put(ws, row, 3, explanation).alignment = styles.WRAP
    first_note = len(SETTINGS) + 2  # after one blank row: not read as a setting
    put(ws, first_note, 1, NOTES[0]).font = styles.BOLD
    for row, text in enumerate(NOTES[1:], start=first_note + 1):
        put(ws, row, 1, text)
    styles.widths(ws, {"A": 18, "B": 48, "C": 90})
    ws.sheet_state = "hidden"
