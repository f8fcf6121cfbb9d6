"""calloff: a governed Excel workbook, with Python behind it, for a public call-off contract."""

__version__ = "0.1.0"
