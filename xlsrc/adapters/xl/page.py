"""The print set-up of a sheet the adapter added, on desktop Excel for Windows.

xlwings sets a sheet's print area everywhere (xlsrc.adapters.xl.write) but has no call for the rest
of
the page set-up. On Windows, through COM (as xlsrc.adapters.xl.protection does), the adapter gives a
new return sheet the page the command line gives it (xlsrc.edges.workbook.styles.print_setup): A4,
portrait, one page wide, no gridlines, the margins, the security marking in the header,
the contract, sheet and page number in the footer, and the page breaks that keep headings with
what follows them. On the web, on a Mac and in the tests
nothing happens here; `calloff return --pdf` prints with the full set-up.
"""

from __future__ import annotations

from typing import Any

from xlsrc.adapters.xl.protection import on_windows_desktop
from xlsrc.model.writes import HEADER_MARGIN, SIDE_MARGIN, TOP_MARGIN, Page

XL_PAPER_A4, XL_PORTRAIT, XL_LANDSCAPE = 9, 1, 2  # Excel's XlPaperSize, XlPageOrientation
POINTS_PER_INCH = 72


def page_setup(book: Any, name: str, page: Page, *, windows: bool | None = None) -> None:
    """Give the sheet `name` the page `page` describes (Windows desktop only)."""
    if not (on_windows_desktop(book) if windows is None else windows):
        return
    setup = book.sheets[name].api.PageSetup
    setup.PaperSize = XL_PAPER_A4
    setup.Orientation = XL_LANDSCAPE if page.landscape else XL_PORTRAIT
    setup.Zoom = False  # fit to pages instead
    setup.FitToPagesWide = 1
    setup.FitToPagesTall = False
    setup.PrintGridlines = False
    setup.LeftMargin = setup.RightMargin = _points(SIDE_MARGIN)
    setup.TopMargin = setup.BottomMargin = _points(TOP_MARGIN)
    setup.HeaderMargin = setup.FooterMargin = _points(HEADER_MARGIN)
    setup.CenterHeader = '&"Arial,Bold"' + _text(page.marking)
    setup.LeftFooter = f"{_text(page.contract_id)} · &A"
    setup.RightFooter = "Page &P of &N"
    if page.seal:
        setup.CenterFooter = _text(page.seal)
    sheet = book.sheets[name].api
    for row in page.row_breaks:  # a page ends after `row`: the next begins at row + 1
        sheet.HPageBreaks.Add(sheet.Range(f"A{row + 1}"))


def _points(inches: float) -> float:
    return round(inches * POINTS_PER_INCH, 2)


def _text(text: str) -> str:
    """Text as itself in a header or footer ("&" starts a code there)."""
    return text.replace("&", "&&")
