"""calloff build --macros: terms file + macros/*.bas -> the macro-enabled workbook (.xlsm)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from xlsrc.actions.build import DEFAULT_FOLDER
from xlsrc.edges.fileio.outputs import check_output
from xlsrc.edges.fileio.xlsm import differing_macro_parts, save_macro_workbook
from xlsrc.edges.formulas.functions import as_shipped
from xlsrc.edges.workbook import macros as macro_workbook
from xlsrc.edges.workbook.vba import read_modules
from xlsrc.model.terms import default_terms_path, load_terms

MACROS_FOLDER = Path("macros")


def default_output(contract_id: str) -> Path:
    return DEFAULT_FOLDER / f"{contract_id}.xlsm"


def build_macro_workbook(
    terms_file: Path | None = None,
    out: Path | None = None,
    macros: Path = MACROS_FOLDER,
    *,
    force: bool = False,
) -> Path:
    """Build the governed workbook with the VBA of `macros`/*.bas, its buttons and the
    xlwings.conf sheet; save it (default workbook/<contract id>.xlsm)."""
    terms = load_terms(terms_file)
    modules = read_modules(macros)
    source = (terms_file or default_terms_path()).name
    target = check_output(out or default_output(terms.contract.id), force=force)
    wb = macro_workbook.build_macro_workbook(terms, modules, source)
    with as_shipped(terms.dates.order):  # as `calloff build`: the same whatever the day
        save_macro_workbook(wb, target)
    return target


def stale_macro_parts(
    terms_file: Path | None = None, existing: Path | None = None, macros: Path = MACROS_FOLDER
) -> list[str]:
    """Parts of `existing` that differ from a fresh build (empty when it is fresh); the VBA
    project is compared by its modules' source."""
    terms = load_terms(terms_file)
    target = existing or default_output(terms.contract.id)
    if not target.exists():
        return [f"{target} (missing)"]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build_macro_workbook(terms_file, Path(tmp) / target.name, macros)
        return differing_macro_parts(target, fresh)
