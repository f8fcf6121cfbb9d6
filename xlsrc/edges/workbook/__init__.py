"""The governed workbook: one builder module per sheet, orchestrated by build.py."""
