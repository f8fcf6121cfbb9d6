"""File adapter: reading and writing workbook files with openpyxl / calamine."""
