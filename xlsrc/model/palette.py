"""The look every sheet shares, as plain text: number formats and colours (RGB).

Declarations only: the openpyxl builders (xlsrc.edges.workbook.styles) and the plain descriptions
of what to write (xlsrc.model.writes, xlsrc.core.returns.sheet) take their formats and colours from
here,
so a sheet drawn by either sink looks the same.
"""

from __future__ import annotations

# Number formats.
GBP = '"£"#,##0.00'
GBP_NEG = '"£"#,##0.00;[Red]-"£"#,##0.00'
DATE = "dd/mm/yyyy"
MONTH = "mmm yyyy"
PCT = "0.00%"
DAYS = "0.0"
INT = "0"

# Colours.
NAVY = "1F3864"  # titles, headers
MARKING_RED = "C00000"  # the security marking, warnings in text
WHITE = "FFFFFF"
SECTION_BLUE = "D9E1F2"  # a return's section lines
RED = "F8CBAD"
AMBER = "FFE699"
GREEN = "C6EFCE"
