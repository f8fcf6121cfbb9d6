"""calloff build: terms file -> governed workbook."""

from __future__ import annotations

from pathlib import Path

from xlsrc.terms import default_terms_path, load_terms
from xlsrc.workbook.build import build_to

DEFAULT_FOLDER = Path("workbook")


def default_output(contract_id: str) -> Path:
    return DEFAULT_FOLDER / f"{contract_id}.xlsx"


def build(terms_file: Path | None = None, out: Path | None = None) -> Path:
    terms = load_terms(terms_file)
    source = (terms_file or default_terms_path()).name
    return build_to(terms, out or default_output(terms.contract.id), terms_source=source)
