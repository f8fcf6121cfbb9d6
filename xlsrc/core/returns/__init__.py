"""The monthly return: gathered from the workbook as plain data, checked for confidential
content, then rendered as a sheet (and a PDF). Issuing one locks its month."""
