"""calloff portfolio: one summary workbook over many contract workbooks (any terms).

Each file is read in a worker process (two at a time); a file that is not a contract
workbook, is damaged or cannot be read is listed with its reason and skipped, never fatal.
The command fails (has_problems) only when no workbook at all could be read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xlsrc.actions.portfolio_read import WORKERS, find_workbooks, read_all
from xlsrc.core.portfolio import (
    HIGH,
    MEDIUM,
    ContractLine,
    Skipped,
    by_risk,
    days_since_return,
    duplicates,
    risk_level,
)
from xlsrc.edges.portfolio_files import write_portfolio
from xlsrc.model import fmt
from xlsrc.model.errors import UserDataError

SHOWN = 20  # contracts at high or medium risk listed in the terminal


@dataclass(frozen=True)
class PortfolioReport:
    out: Path
    lines: list[ContractLine]  # in risk order
    skipped: list[Skipped]
    today: dt.date

    @property
    def has_problems(self) -> bool:
        return not self.lines

    def to_text(self) -> str:
        levels = [risk_level(line, self.today) for line in self.lines]
        text = [
            f"Wrote {self.out}: {len(self.lines)} contract(s) ({levels.count(HIGH)} high,"
            f" {levels.count(MEDIUM)} medium risk), {len(self.skipped)} file(s) skipped."
        ]
        flagged = [
            (lvl, line) for lvl, line in zip(levels, self.lines, strict=True) if lvl != "Low"
        ]
        for level, line in flagged[:SHOWN]:
            why = ", ".join(line.failing) or "master check passes"
            placeholder = (
                f" (PLACEHOLDER {', '.join(line.placeholders)})" if line.placeholders else ""
            )
            text.append(
                f"  {level:<6} {line.contract_id:<14} {line.cap_used * 100:6.2f}% of"
                f" {fmt.money(line.cap)}; forecast {fmt.money(line.forecast_end)}{placeholder};"
                f" {line.open_escalations} open escalation(s); {why}"
            )
        if len(flagged) > SHOWN:
            text.append(f"  ... and {len(flagged) - SHOWN} more in the workbook")
        for cid, paths in duplicates(self.lines).items():
            text.append(f"  Note: {cid} was read from {len(paths)} files: {', '.join(paths)}")
        if self.skipped:
            text.append("Skipped:")
            text += [f"  {s.path}: {s.reason}" for s in self.skipped]
        if not self.lines:
            text.append("No contract workbook could be read.")
        return "\n".join(text)

    def to_json(self) -> dict[str, object]:
        return fmt.json_object(self._data())

    def _data(self) -> dict[str, object]:
        return {
            "written": str(self.out),
            "as_at": self.today.isoformat(),
            "contracts": [self._line_json(line) for line in self.lines],
            "skipped": [{"file": s.path, "reason": s.reason} for s in self.skipped],
            "duplicate_contract_ids": duplicates(self.lines),
        }

    def _line_json(self, line: ContractLine) -> dict[str, object]:
        return {
            "risk": risk_level(line, self.today),
            "contract": line.contract_id,
            "reference": line.reference,
            "supplier": line.supplier,
            "areas": list(line.areas),
            "start": line.start,
            "ends": line.contract_end,
            "break": line.break_,
            "cap": line.cap,
            "spent": line.spent,
            "cap_used": line.cap_used,
            "forecast_end": line.forecast_end,
            "alert": line.alert,
            "placeholders": list(line.placeholders),
            "last_month_returned": line.last_return_month,
            "days_since_last_return": days_since_return(line, self.today),
            "open_escalations": line.open_escalations,
            "master_check_python": line.master_check,
            "failing_checks": line.failing,
            "master_check_saved_in_file": line.master_cached,
            "rows_with_errors": line.rows_with_errors,
            "invoices": line.invoices,
            "invoices_failed": line.invoices_failed,
            "invoices_problem": line.invoices_problem,
            "file": line.path,
        }


def portfolio(
    inputs: list[Path],
    *,
    out: Path,
    today: dt.date | None = None,
    workers: int = WORKERS,
    progress: bool | None = None,
) -> PortfolioReport:
    """Summarise every contract workbook in `inputs` (files and folders) into `out`."""
    today = today or dt.date.today()
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UserDataError(f"--out must be an .xlsx file; found {out}")
    if out.is_dir():
        raise UserDataError(f"--out {out} is a folder; give the summary's file name")
    paths, missing = find_workbooks(inputs, exclude=out)
    if not paths and not missing:
        raise UserDataError("no .xlsx or .xlsm files found in " + ", ".join(map(str, inputs)))
    results = read_all(paths, today, workers=workers, progress=progress)
    lines = by_risk([r for r in results if isinstance(r, ContractLine)], today)
    skipped = missing + [r for r in results if isinstance(r, Skipped)]
    write_portfolio(lines, skipped, today, out)
    return PortfolioReport(out, lines, skipped, today)
