"""calloff mi: the contract's management information, month by month, as xlsx, CSV or JSON.

Reads the workbook once (terms, tracker, AnnexA, EHCP, SEN2, risks, Audit, Invoices), hands
plain data to xlsrc.core.mi.kpis and writes the chosen format. The figures are the ones `calloff
totals`, the monthly returns and `calloff invoice-check` give (see xlsrc/core/mi/kpis.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xlsrc.actions.workbook_data import WorkbookData, load_workbook_data
from xlsrc.core.mi.kpis import MI, Sources, compute_mi
from xlsrc.edges.mi.export_csv import write_csv
from xlsrc.edges.mi.export_json import mi_json, write_json
from xlsrc.edges.mi.export_xlsx import write_xlsx
from xlsrc.model import fmt, layout
from xlsrc.model.errors import UserDataError

FORMATS = ("xlsx", "csv", "json")
WRITERS: dict[str, Callable[[MI, Path], None]] = {
    "xlsx": write_xlsx,
    "csv": write_csv,
    "json": write_json,
}


@dataclass(frozen=True)
class MIReport:
    mi: MI
    out: Path
    fmt: str
    has_problems: bool = False  # MI on request reports; it never fails on the figures

    def to_text(self) -> str:
        mi, t = self.mi, self.mi.totals
        reported = [m for m in mi.months if m.reported]
        span = (
            f"{reported[0].month:%b %Y} to {reported[-1].month:%b %Y}" if reported else "no months"
        )
        passed = sum(i.result == "PASS" for i in mi.invoices)
        lines = [
            f"Wrote {self.out} ({self.fmt}): management information for"
            f" {mi.terms.contract.id}, {span}, as at {mi.today:%d/%m/%Y}.",
            f"  Spend to date (net) {fmt.money(t.TotalNet)} of {fmt.money(mi.terms.cap_now)}"
            f" ({t.CapUsedPct * 100:.2f}%, {t.AlertBand});"
            f" forecast at the end {fmt.money(t.ForecastEnd)}.",
            f"  Days delivered {t.TotalDays.normalize():f}; returns issued {len(mi.returns)};"
            f" invoices checked {len(mi.invoices)}, passed {passed};"
            f" open risks {mi.risks.open}; escalations now {mi.escalations.total}.",
        ]
        if mi.rows_with_errors:
            lines.append(
                f"  {mi.rows_with_errors} tracker row(s) have errors: run 'calloff validate'."
            )
        if mi.invoices_problem:
            lines.append(f"  Invoices not checked: {mi.invoices_problem}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return {"written": str(self.out), "format": self.fmt, **mi_json(self.mi)}


def default_out(workbook: Path, fmt: str) -> Path:
    return workbook.with_name(f"{workbook.stem}-MI.{fmt}")


def management_information(
    path: Path,
    *,
    fmt: str | None = None,
    out: Path | None = None,
    today: dt.date | None = None,
) -> MIReport:
    """Compute the MI of the workbook at `path` and write it as `fmt` to `out`.

    Without `fmt` the format is --out's suffix when it names one, else xlsx; without `out` the
    file is WORKBOOK-MI.<format> beside the workbook (or in `out` when that is a folder).
    """
    suffix = Path(out).suffix.lower().lstrip(".") if out is not None else ""
    fmt = (fmt or (suffix if suffix in FORMATS else "xlsx")).lower()
    if fmt not in FORMATS:
        raise UserDataError(f"--format must be one of {', '.join(FORMATS)}; found {fmt!r}")
    if suffix in FORMATS and suffix != fmt:
        raise UserDataError(f"--out {out} ends .{suffix} but --format is {fmt}; make them agree")
    path = Path(path)
    target = default_out(path, fmt) if out is None else Path(out)
    if target.is_dir():
        target = target / default_out(path, fmt).name
    if target.resolve() == path.resolve():
        raise UserDataError(f"--out {target} is the workbook itself; choose another file")
    mi = compute_mi(read_sources(load_workbook_data(path), today or dt.date.today()))
    WRITERS[fmt](mi, target)
    return MIReport(mi, target, fmt)


def read_sources(data: WorkbookData, today: dt.date) -> Sources:
    """What the MI is computed from, all from one read of the workbook."""
    checked = data.validate(today)
    invoices, problem = [], None
    if not data.has(layout.INVOICES_TABLE):
        problem = "the workbook has no Invoices table (built by an older calloff)"
    else:
        try:
            # From this read's validation and totals: the same figures, validated once.
            ledger = data.ledger(today)
            invoices = [ledger.check(invoice) for invoice in ledger.invoices]
        except UserDataError as exc:
            problem = str(exc)
    kept = data.progress
    return Sources(
        terms=data.terms,
        entries=checked.entries,  # as `calloff totals` (xlsrc.actions.totals.totals_of)
        rows_with_errors=len(checked.error_rows()),
        annexa=kept.annexa,
        ehcp=kept.ehcp,
        sen2=kept.sen2,
        risks=kept.risks,
        audit=data.audit,
        invoices=invoices,
        invoices_problem=problem,
        today=today,
        recommendations=kept.recommendations,
        asks=kept.asks,
    )
