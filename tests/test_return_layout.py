"""The printed return reads whole: A4 portrait, every header and label found as itself in the
PDF's words (no "Trajector y", no label run into its value), and no wrapped text cut off (each
text's last words are printed). Checked for the sample's busy month, a nil month and an
interim return (the busy month, June 2025, is also the sample's final month: the end in force
is 30/06/2025); no word printed over another or off its page, no page with only the marking.
LibreOffice prints them, poppler (pdftotext) reads them."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import openpyxl
import pytest

from tests.signoff_helpers import sign_off
from xlsrc.actions.monthly_return import build_return
from xlsrc.edges.libreoffice.pdf_check import (
    MIN_TEXT_PT,
    bare_pages,
    off_page,
    overprinted,
    pages,
    words,
)
from xlsrc.edges.workbook import styles

pytestmark = pytest.mark.libreoffice
TODAY = dt.date(2025, 7, 15)


def pdf_words(pdf) -> str:
    """The PDF's text, rows kept (-layout), whitespace runs made one space."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " " + re.sub(r"\s+", " ", text) + " "


def printed_cells(path, sheet) -> tuple[list[str], list[str]]:
    """(labels: bold short texts - headers, section titles, labels; every text cell)."""
    ws = openpyxl.load_workbook(path)[sheet]
    labels, texts = [], []
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value.strip():
                continue
            texts.append(cell.value)
            if cell.font and cell.font.b and len(cell.value) <= 45:
                labels.append(cell.value)
    return labels, texts


def whole(label: str, words: str) -> bool:
    """The label with space (or the page edge) on both sides: not broken, not run together."""
    return f" {' '.join(label.split())} " in words


def check(path, ret, pdf) -> None:
    printed = pages(pdf)
    assert printed and all(p.is_a4 and p.height > p.width for p in printed)
    assert all(p.median_text_pt >= MIN_TEXT_PT for p in printed)
    words = pdf_words(pdf)
    labels, texts = printed_cells(path, ret.sheet_name)
    assert len(labels) > 20
    broken = [label for label in labels if not whole(label, words)]
    assert not broken, f"headers or labels not printed whole: {broken}"
    cut = []
    for text in texts:
        tail = " ".join(text.split()[-2:])
        if len(text.split()) >= 3 and f" {tail}" not in words:
            cut.append(text[-60:])
    assert not cut, f"text cut off when printed: {cut}"
    over = [f"page {a.page}: {a.text!r} over {b.text!r}" for a, b in overprinted(pdf)]
    assert not over, f"words printed over each other: {over}"
    assert not off_page(pdf)
    assert not bare_pages(pdf), "a page holds only the marking and the footer"
    alone = headings_at_page_foot(path, ret.sheet_name, pdf)
    assert not alone, f"a heading printed alone at a page's foot: {alone}"


def headings(path, sheet) -> list[str]:
    """The texts that head what follows them, as the sheet holds them: section titles (bold,
    12 pt), bold paragraphs across the page, and table header rows (white on navy)."""
    ws = openpyxl.load_workbook(path)[sheet]
    wide = {m.min_row for m in ws.merged_cells.ranges if m.min_col == 1 and m.max_col == 6}
    found = []
    for row in ws.iter_rows(min_row=2):
        first = row[0]
        if (
            isinstance(first.value, str)
            and first.font.b
            and (first.row in wide or first.font.sz >= 12)
        ):
            found.append(first.value)
        header = [
            c.value
            for c in row
            if isinstance(c.value, str)
            and c.font.b
            and c.font.color is not None
            and str(c.font.color.rgb).endswith("FFFFFF")
        ]
        if header:
            found.append(" ".join(header))
    return [" ".join(h.split()) for h in found]


def headings_at_page_foot(path, sheet, pdf) -> list[str]:
    """Each page but the last whose last lines of text (above the footer) are a whole heading."""
    heads = set(headings(path, sheet))
    alone = []
    for number in range(1, len(pages(pdf))):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()][:-1]
        for k in (1, 2, 3):  # a heading wraps to three lines at most
            last = " ".join(lines[-k:])
            if last in heads:
                alone.append(f"page {number}: {last!r}")
    return alone


@pytest.fixture
def wb_copy(sample, tmp_path):
    path = tmp_path / "sample.xlsx"
    shutil.copy(sample, path)
    return path


def test_the_busy_month_prints_whole(lo, wb_copy, tmp_path):
    pdf = tmp_path / "busy.pdf"
    (ret,) = build_return(wb_copy, "2025-06", pdf=pdf, today=TODAY).returns
    check(wb_copy, ret, pdf)
    words = pdf_words(pdf)
    # The case lead's sections, each found as itself.
    for heading in (
        "1. Summary by area",
        "4. Progress against Annex A",
        "5. Progress against the improvement plans",
        "7. Meetings attended and representation",
        "10. Close-out: the contract as a whole",
        "11. Sign-off",
        "Final return — June 2025",
        "Oxfordshire has used 51 days of the 50 days allocated",
    ):
        assert whole(heading, words), heading


def headers_off_their_numbers(pdf) -> list[str]:
    """Each "Days" and "Net" column header whose right edge is not over the right edge of its
    figure on the line below (figures are right-aligned in their column): the n-th such
    header of a line pairs with the n-th figure of the next line."""
    _, found = words(pdf)
    number = re.compile(r"£?[\d,]+(\.\d+)?")
    out = []
    lines: dict[tuple[int, int], list] = {}
    for w in found:
        lines.setdefault((w.page, round(w.y0)), []).append(w)
    for (page, y), line in sorted(lines.items()):
        heads = sorted((w for w in line if w.text in ("Days", "Net")), key=lambda w: w.x0)
        if not heads or any(number.fullmatch(w.text) for w in line):
            continue
        if any(0 <= w.x0 - h.x1 < 8 for h in heads for w in line):
            continue  # a label ("Days to date"), not a column's header
        below = [key for key in lines if key[0] == page and 0 < key[1] - y < 20]
        if not below:
            continue
        figures = sorted(
            (w for w in lines[min(below)] if number.fullmatch(w.text)), key=lambda w: w.x0
        )
        for head, figure in zip(heads, figures, strict=False):
            if abs(figure.x1 - head.x1) > 3:
                out.append(
                    f"page {page}: {head.text!r} ends at {head.x1:.0f},"
                    f" {figure.text!r} below it at {figure.x1:.0f}"
                )
    return out


def test_number_headers_stand_over_their_numbers(lo, wb_copy, tmp_path):
    pdf = tmp_path / "march.pdf"
    build_return(wb_copy, "2024-03", pdf=pdf, today=TODAY)
    _, found = words(pdf)
    assert sum(w.text == "Net" for w in found) >= 2  # the Delivery tables: by area and advisor
    assert headers_off_their_numbers(pdf) == []


def test_a_nil_month_prints_whole(lo, built, tmp_path):
    path = tmp_path / "empty.xlsx"
    shutil.copy(built, path)
    sign_off(path, "2023-11")
    pdf = tmp_path / "nil.pdf"
    (ret,) = build_return(path, "2023-11", pdf=pdf, today=TODAY, confirm_incomplete=True).returns
    check(path, ret, pdf)
    assert whole("NIL RETURN: no call-off days delivered this month", pdf_words(pdf))


def test_an_interim_return_prints_whole(lo, wb_copy, tmp_path):
    pdf = tmp_path / "interim.pdf"
    (ret,) = build_return(wb_copy, None, interim=dt.date(2025, 6, 16), pdf=pdf, today=TODAY).returns
    check(wb_copy, ret, pdf)
    assert whole("Interim return — June 2025 to 16/06/2025", pdf_words(pdf))


def test_the_check_finds_a_label_run_into_its_value():
    words = " Forecast, break 31/03/2024£16,575.00 Trajector y "
    assert not whole("Forecast, break 31/03/2024", words)
    assert not whole("Trajectory", words)
    assert whole("Trajector y", words)
    assert styles.BOLD.b
