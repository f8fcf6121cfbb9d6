"""Is a printed workbook legible? Page sizes and text heights read from the PDF (poppler).

A page counts as legible when its median word is at least MIN_TEXT_PT tall: 10-11 pt text
scaled to fit a page shrinks, and below about 6 pt a printout is hard to read.
"""

from __future__ import annotations

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
