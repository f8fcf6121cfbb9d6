"""Render README pictures: the sample workbook, recalculated and printed by LibreOffice.

python tests/tools/render_preview.py      # writes workbook/preview/*.png
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from xlsrc.actions.demo import run_demo
from xlsrc.edges.libreoffice.recalc import recalculate

OUT = Path(__file__).resolve().parents[2] / "workbook" / "preview"
PAGES = {
    "Guide": "guide",
    "Budget against the cap": "budget",
    "Day tracker": "tracker",
    "Annex A progress": "annexa",
}


def page_titles(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        workbook = run_demo(Path(tmp)).workbook
        pdf = Path(tmp) / "sample.pdf"
        recalculate(workbook, pdf=pdf)
        done: set[str] = set()
        for number, text in enumerate(page_titles(pdf), start=1):
            for marker, name in PAGES.items():
                if name not in done and (marker in text or (name == "guide" and number == 1)):
                    subprocess.run(
                        [
                            "pdftoppm",
                            "-png",
                            "-r",
                            "110",
                            "-f",
                            str(number),
                            "-l",
                            str(number),
                            "-singlefile",
                            str(pdf),
                            str(OUT / name),
                        ],
                        check=True,
                    )
                    done.add(name)
        # One page of a monthly return, printed on its own.
        import datetime as dt

        from xlsrc.actions.monthly_return import build_return

        # Prepared a week after the month, as a return would be.
        build_return(workbook, "2024-03", pdf=Path(tmp) / "return.pdf", today=dt.date(2024, 4, 8))
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "110",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(Path(tmp) / "return.pdf"),
                str(OUT / "return"),
            ],
            check=True,
        )
        done.add("return")
    print(f"wrote {sorted(done)} to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
