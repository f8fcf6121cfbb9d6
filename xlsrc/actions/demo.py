"""calloff demo: the main job on bundled data: build, fill the example tracker, total."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xlsrc.actions.build import build
from xlsrc.actions.fill import fill
from xlsrc.actions.totals import workbook_totals
from xlsrc.totals import Totals
from xlsrc.tracker.sample import load_sample


@dataclass(frozen=True)
class DemoResult:
    workbook: Path
    rows: int
    contract_id: str
    totals: Totals


def run_demo(folder: Path) -> DemoResult:
    sample = load_sample()
    workbook = build(out=Path(folder) / "CON_22889-sample.xlsx")
    filled = fill(workbook, sample.rows(), extension_months=sample.extension_months)
    result = workbook_totals(workbook)
    return DemoResult(workbook, len(filled.rows_written), result.contract_id, result.totals)
