"""Is a printed workbook legible? Page sizes and text heights read from the PDF (poppler).

A page counts as legible when its median word is at least MIN_TEXT_PT tall: 10-11 pt text
scaled to fit a page shrinks, and below about 6 pt a printout is hard to read.
"""

from __future__ import annotations

import html
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

from xlsrc.model.errors import EngineError

A4_PT = (595.3, 841.9)
MIN_TEXT_PT = 6.0
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
)


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    median_text_pt: float
    text: str

    @property
    def is_a4(self) -> bool:
        size = sorted((self.width, self.height))
        return abs(size[0] - A4_PT[0]) < 1 and abs(size[1] - A4_PT[1]) < 1


def pages(pdf: Path) -> list[Page]:
    if shutil.which("pdftotext") is None:
        raise EngineError("pdftotext is not installed: apt-get install poppler-utils")
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    out = []
    for number, (width, height, body) in enumerate(_PAGE.findall(html), start=1):
        words = _WORD.findall(body)
        heights = [float(y2) - float(y1) for y1, y2, _ in words]
        out.append(
            Page(
                number,
                float(width),
                float(height),
                statistics.median(heights) if heights else 0.0,
                " ".join(w for _, _, w in words),
            )
        )
    return out


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


_BOX = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
# Words whose boxes share less than this are neighbours, not one printed over the other.
_OVERLAP_PT = 0.5
_OVERLAP_SHARE = 0.3  # of the shorter word's height
# A page whose body (below the marking, above the footer) is no taller than a repeated header
# row holds nothing of its own.
_BARE_BODY_PT = 40.0


def words(pdf: Path) -> tuple[list[tuple[float, float]], list[Word]]:
    """(each page's width and height, every word with its box), read by pdftotext -bbox."""
    if shutil.which("pdftotext") is None:
        raise EngineError("pdftotext is not installed: apt-get install poppler-utils")
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    sizes, found = [], []
    for number, (width, height, body) in enumerate(_PAGE.findall(out), start=1):
        sizes.append((float(width), float(height)))
        for x0, y0, x1, y1, text in _BOX.findall(body):
            found.append(
                Word(number, float(x0), float(y0), float(x1), float(y1), html.unescape(text))
            )
    return sizes, found


def overprinted(pdf: Path) -> list[tuple[Word, Word]]:
    """Pairs of words printed over each other (text run into the next cell or row, a label cut
    by its neighbour: a clipped word is still in the PDF, under the next one)."""
    _, every = words(pdf)
    pairs = []
    by_page: dict[int, list[Word]] = {}
    for word in every:
        by_page.setdefault(word.page, []).append(word)
    for page_words in by_page.values():
        page_words.sort(key=lambda w: w.y0)
        for i, a in enumerate(page_words):
            for b in page_words[i + 1 :]:
                if b.y0 >= a.y1:
                    break
                across = min(a.x1, b.x1) - max(a.x0, b.x0)
                down = min(a.y1, b.y1) - max(a.y0, b.y0)
                shorter = min(a.y1 - a.y0, b.y1 - b.y0)
                if across > _OVERLAP_PT and down > _OVERLAP_SHARE * shorter:
                    pairs.append((a, b))
    return pairs


def off_page(pdf: Path) -> list[Word]:
    """Words that run past a page's edge."""
    sizes, every = words(pdf)
    return [
        w
        for w in every
        if w.x0 < 0 or w.y0 < 0 or w.x1 > sizes[w.page - 1][0] or w.y1 > sizes[w.page - 1][1]
    ]


def bare_pages(pdf: Path) -> list[int]:
    """Pages holding only the marking, a repeated header row and the footer: every word
    between the first line (the marking) and the last (the footer) sits within one header's
    height. A sheet's first page has its title and what-to-do line above the headers, so an
    empty table's page is not bare; a page that only repeats the headers is."""
    sizes, every = words(pdf)
    bare = []
    for number in range(1, len(sizes) + 1):
        on_page = [w for w in every if w.page == number]
        body = _between_head_and_foot(on_page)
        if not body or max(w.y1 for w in body) - min(w.y0 for w in body) <= _BARE_BODY_PT:
            bare.append(number)
    return bare


def _between_head_and_foot(on_page: list[Word]) -> list[Word]:
    """The words below the page's first line and above its last (a word on a line shares
    part of its height with the line's first word)."""
    if not on_page:
        return []
    top = min(on_page, key=lambda w: w.y0)
    foot = max(on_page, key=lambda w: w.y1)
    return [w for w in on_page if w.y0 >= top.y1 and w.y1 <= foot.y0]
