"""Every sheet prints on A4, legibly: LibreOffice prints the sample to PDF and we measure it."""

from __future__ import annotations

import pytest

from xlsrc.edges.libreoffice.pdf_check import (
    MIN_TEXT_PT,
    bare_pages,
    off_page,
    overprinted,
    pages,
)
from xlsrc.edges.libreoffice.recalc import recalculate
from xlsrc.model import layout

pytestmark = pytest.mark.libreoffice

TITLES = {  # the title each printed sheet starts with
    layout.GUIDE: "SEND and AP Advisory Services",
    layout.CONTRACT: "Contract terms",
    layout.TRACKER: "Day tracker",
    layout.ANNEXA: "Annex A progress",
    layout.EHCP: "EHCP timeliness",
    layout.VCU: "Recommendations to VCU",
    layout.RISKS: "Risk register",
    layout.INVOICES: "Invoices",
    layout.BUDGET: "Budget against the cap",
    layout.CHECKS: "Checks",
    layout.ISSUES: "Issues",
    layout.AUDIT: "Audit log",
}


@pytest.fixture(scope="module")
def printed_pdf(lo, sample, tmp_path_factory):
    pdf = tmp_path_factory.mktemp("print") / "sample.pdf"
    recalculate(sample, pdf=pdf)
    return pdf


@pytest.fixture(scope="module")
def printed(printed_pdf):
    return pages(printed_pdf)


def test_no_word_is_printed_over_another(printed_pdf):
    """Rows tall enough for their wrapped text, labels wrapped rather than cut by the next
    cell: no two words of the whole-workbook print overlap, none runs off its page."""
    found = [f"page {a.page}: {a.text!r} over {b.text!r}" for a, b in overprinted(printed_pdf)]
    assert found == []
    assert [f"page {w.page}: {w.text!r}" for w in off_page(printed_pdf)] == []


def test_no_page_holds_only_headers_and_footer(printed_pdf, printed):
    """The input tables' empty rows (kept ready for typing) are not printed: every page of the
    whole-workbook print has something to read between its marking and its footer."""
    assert [(n, printed[n - 1].text[:80]) for n in bare_pages(printed_pdf)] == []
    tracker = [p for p in printed if "· Tracker" in p.text]
    assert tracker and all("Date Advisor" in p.text for p in tracker)  # headings on each page


def test_every_page_is_a4_and_legible(printed):
    assert printed, "the PDF has no pages"
    for page in printed:
        assert page.is_a4, f"page {page.number} is {page.width:.0f}x{page.height:.0f} pt"
        assert page.median_text_pt >= MIN_TEXT_PT, (
            f"page {page.number}: text {page.median_text_pt:.1f} pt is too small to read"
        )


def test_every_sheet_is_printed_with_its_marking(printed, terms):
    text = "\n".join(p.text for p in printed)
    for sheet, title in TITLES.items():
        assert title in text, f"{sheet} sheet not in the printout"
    assert all(terms.contract.protective_marking in p.text for p in printed)
    assert "Lists" not in {p.text.split()[0] for p in printed if p.text}  # hidden sheet


def test_budget_prints_on_one_page(printed):
    budget = [p for p in printed if "Budget against the cap" in p.text]
    assert len(budget) == 1
    assert "Cumulative spend (net) against the cap" in budget[0].text  # the chart's title


def _header_words(path) -> set[tuple[str, str]]:
    """(sheet, word) of every word of 4+ letters in a header cell of a printed column."""
    import re

    import openpyxl

    from xlsrc.edges.workbook import styles

    wb = openpyxl.load_workbook(path)
    words = set()
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or cell.fill != styles.HEADER_FILL:
                    continue
                if ws.column_dimensions[cell.column_letter].hidden:
                    continue
                found = re.findall(r"[A-Za-z][A-Za-z'-]{3,}", cell.value.replace("\u2019", "'"))
                words |= {(ws.title, w) for w in found}
    return words


def test_no_printed_header_breaks_inside_a_word(printed, sample):
    """pdftotext reads the printout's words: a header wrapped inside a word ("Severit y")
    leaves that word out."""
    import html
    import re

    text = html.unescape("\n".join(p.text for p in printed)).replace("\u2019", "'")
    tokens = set(re.findall(r"[A-Za-z][A-Za-z'-]*", text))
    words = _header_words(sample)
    assert len(words) > 100
    assert sorted(w for w in words if w[1] not in tokens) == []


def test_annexa_prints_its_key_columns_on_every_page(printed):
    annexa = [p for p in printed if "· AnnexA" in p.text]
    assert 1 < len(annexa) <= 20  # each outcome in the order form's full words (issue 15)
    for page in annexa:
        for header in ("Area", "Outcome", "Measure"):
            assert header in page.text.split(), f"page {page.number} lacks {header}"


def test_a_tracker_typed_in_excel_prints_whole(lo, sample, tmp_path):
    """Rows typed straight into the table (no calloff command) are all on the printout."""
    import datetime as dt

    import openpyxl

    wb = openpyxl.load_workbook(sample)
    ws = wb[layout.TRACKER]
    first_blank = next(
        r for r in range(layout.FIRST_DATA_ROW, ws.max_row + 2) if ws.cell(r, 1).value is None
    )
    for i in range(60):
        row = first_blank + i
        ws.cell(row, 1).value = dt.date(2024, 5, 1) + dt.timedelta(days=i)
        ws.cell(row, 6).value = 0.5
        ws.cell(row, 7).value = f"typed row {i}"
    ws.cell(first_blank + 59, 7).value = "LASTTYPEDROW"
    typed = tmp_path / "typed.xlsx"
    wb.save(typed)
    pdf = tmp_path / "tracker.pdf"
    recalculate(typed, pdf=pdf, only_sheet=layout.TRACKER)
    assert "LASTTYPEDROW" in "\n".join(p.text for p in pages(pdf))
