"""A formula engine for the workbook's own formulas: the values cached in every file."""
