"""calloff demo: the main job on bundled data: build, fill the example tracker, total."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xlsrc.actions.build import build
from xlsrc.actions.decide import decide
from xlsrc.actions.fill import fill
from xlsrc.actions.totals import workbook_totals
from xlsrc.core.totals import Totals
from xlsrc.edges.fileio import progress_writer
from xlsrc.edges.fileio.atomic import backup_folder, backups, save_workbook
from xlsrc.edges.fileio.audit_rows import simple_audit
from xlsrc.edges.fileio.audit_writer import append_audit
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.fileio.writer_lock import workbook_lock
from xlsrc.edges.sample import Sample, load_sample
from xlsrc.model import layout


@dataclass(frozen=True)
class DemoResult:
    workbook: Path
    rows: int
    contract_id: str
    totals: Totals


def apply_progress(workbook: Path, sample: Sample) -> None:
    """The example's Annex A ratings and evidence, plans, report inputs, EHCP, SEN2, VCU."""
    writers = {
        "annexa": progress_writer.write_ratings,
        "evidence": progress_writer.write_evidence,
        "ehcp": progress_writer.write_ehcp,
        "sen2": progress_writer.write_sen2,
        "vcu": progress_writer.write_recommendations,
        "plans": progress_writer.write_plans,
        "report": progress_writer.write_area_reports,
        "keydates": progress_writer.write_key_dates,
        "asks": progress_writer.write_asks,
        "signoff": progress_writer.write_signoffs,
    }
    with workbook_lock(workbook):
        wb = load_for_edit(workbook)
        written = [name for name in writers if name in sample.progress]
        for name in written:
            writers[name](wb, sample.progress_rows(name))
        what = "the example's " + ", ".join(written)
        append_audit(wb, simple_audit(layout.PROGRESS_RECORDED, what))
        from xlsrc.edges.formulas.cache import kept_from  # with openpyxl, to write

        save_workbook(wb, workbook, kept=kept_from(workbook))


def run_demo(folder: Path) -> DemoResult:
    sample = load_sample()
    # The demo's own file: run again, it starts afresh from the bundled data.
    workbook = build(out=Path(folder) / "CON_22889-sample.xlsx", force=True)
    for decision in sample.decisions:
        decide(workbook, decision)
    filled = fill(workbook, sample.rows())
    apply_progress(workbook, sample)
    _drop_backups(workbook)
    result = workbook_totals(workbook)
    return DemoResult(workbook, len(filled.rows_written), result.contract_id, result.totals)


def _drop_backups(workbook: Path) -> None:
    """The demo's steps each keep a backup; the file is made again from bundled data on the
    next run, so none is worth keeping (and nothing is left beside it)."""
    for old in backups(workbook):
        old.unlink(missing_ok=True)
    folder = backup_folder(workbook)
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
