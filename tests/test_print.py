"""Every sheet prints on A4, legibly: LibreOffice prints the sample to PDF and we measure it."""

from __future__ import annotations

import pytest

from xlsrc import layout
from xlsrc.engine.libreoffice import recalculate
from xlsrc.engine.pdf_check import MIN_TEXT_PT, pages

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
def printed(lo, sample, tmp_path_factory):
    pdf = tmp_path_factory.mktemp("print") / "sample.pdf"
    recalculate(sample, pdf=pdf)
    return pages(pdf)


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
