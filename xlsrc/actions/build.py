"""calloff build: terms file -> governed workbook."""

from __future__ import annotations

import tempfile
from pathlib import Path

from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.outputs import check_output
from xlsrc.edges.formulas.functions import as_shipped
from xlsrc.edges.workbook.builder import build_workbook
from xlsrc.model.terms import default_terms_path, load_terms
from xlsrc.model.terms.models import Terms

DEFAULT_FOLDER = Path("workbook")


def default_output(contract_id: str) -> Path:
    return DEFAULT_FOLDER / f"{contract_id}.xlsx"


def build_to(terms: Terms, out: Path, terms_source: str = "bundled terms") -> Path:
    """Build the workbook for `terms` and save it at `out` (atomically): the same bytes
    whatever the day, every cell depending on TODAY() saved without a cached value (Excel
    computes it on opening; the others are computed with TODAY() as the order date)."""
    with as_shipped(terms.dates.order):
        save_workbook(build_workbook(terms, terms_source), out)
    return out


def build(terms_file: Path | None = None, out: Path | None = None, *, force: bool = False) -> Path:
    """Build the workbook; a workbook at `out` that holds data is only replaced with `force`."""
    terms = load_terms(terms_file)
    source = (terms_file or default_terms_path()).name
    target = check_output(out or default_output(terms.contract.id), force=force)
    return build_to(terms, target, terms_source=source)


def stale_parts(terms_file: Path | None = None, existing: Path | None = None) -> list[str]:
    """Parts of `existing` that differ from a fresh build (empty when it is fresh)."""
    from xlsrc.edges.workbook.compare import differing_parts

    terms = load_terms(terms_file)
    target = existing or default_output(terms.contract.id)
    if not target.exists():
        return [f"{target} (missing)"]
    with tempfile.TemporaryDirectory() as tmp:
        return differing_parts(target, build(terms_file, Path(tmp) / target.name))
