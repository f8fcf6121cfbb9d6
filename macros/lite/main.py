"""The workbook's buttons in xlwings Lite: Excel on the web and on a Mac, no local Python.

Paste this file into the xlwings Lite editor's main.py and requirements.txt beside it into
its requirements.txt (README, "Using it in Excel"). Each script is the entry point the
desktop buttons run through RunPython (xlsrc.adapters.xl.entry), given the book Lite passes in: the
same reading, the same core as the `calloff` command line, the same messages.

Import trackers is not here: it reads the advisors' files from a folder beside the
workbook, and xlwings Lite runs in the browser's sandbox with no access to local files. In
Lite, paste the advisor's rows into the Tracker and press Validate (docs/excel-setup.md).
"""

import xlwings as xw
from xlwings import script

from xlsrc.adapters.xl import entry


@script
def validate(book: xw.Book):
    """Check every Tracker entry: the Issues sheet lists each problem, cells are highlighted."""
    entry.validate(book)


@script
def totals(book: xw.Book):
    """Python's own totals of the Budget figures: spend, VAT, headroom, forecasts."""
    entry.totals(book)


@script
def build_return(book: xw.Book):
    """Build the month's return sheet (month: the ActionMonth cell or the selected cell)."""
    entry.build_return(book)


@script
def check_invoice(book: xw.Book):
    """Check the month's invoice on the Invoices sheet against the Tracker, to the penny."""
    entry.check_invoice(book)


@script
def record_invoice(book: xw.Book):
    """Put the invoice typed on the selected Invoices row on the register, once it agrees."""
    entry.record_invoice(book)
