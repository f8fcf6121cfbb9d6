"""calloff: a governed Excel workbook, with Python behind it, for a public call-off contract."""

import os

# openpyxl writes with lxml when it is installed (the dev tools bring it in) and with the
# standard library otherwise, and the bytes differ: one writer everywhere, so the same
# sources build the same workbook on every machine. Set before openpyxl is first imported.
os.environ.setdefault("OPENPYXL_LXML", "False")

__version__ = "0.1.0"
