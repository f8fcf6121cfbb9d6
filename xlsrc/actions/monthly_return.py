"""calloff return / returns: build a month's return into the workbook and lock the month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xlsrc import __version__, fmt, layout
from xlsrc.dates import month_start, months_in_range
from xlsrc.errors import UserDataError
from xlsrc.fileio import progress_reader as progress
from xlsrc.fileio.atomic import save_workbook
from xlsrc.fileio.audit_writer import append_audit
from xlsrc.fileio.reader import open_book, read_tracker
from xlsrc.fileio.source import WorkbookSource
from xlsrc.fileio.terms_reader import read_terms
from xlsrc.fileio.tracker_writer import load_for_edit
from xlsrc.fileio.writer_lock import workbook_lock
from xlsrc.returns import confidentiality
from xlsrc.returns.gather import Inputs, gather
from xlsrc.returns.model import MonthlyReturn
from xlsrc.returns.render import render
from xlsrc.validate import validate_rows


@dataclass(frozen=True)
class ReturnReport:
    returns: list[MonthlyReturn]
    skipped: list[str]
    pdfs: list[Path]
    has_problems: bool = False

    def to_text(self) -> str:
        lines = []
        for r in self.returns:
            what = (
                "NIL return"
                if r.is_nil
                else (f"{r.delivery.days.normalize():f} days, {fmt.money(r.delivery.net)} net")
            )
            lines.append(
                f"Issued '{r.sheet_name}' (version {r.version}): {what}; {r.period} is now locked."
            )
        lines += self.skipped
        lines += [f"Wrote {p}" for p in self.pdfs]
        return "\n".join(lines) or "Nothing to do."

    def to_json(self) -> dict[str, object]:
        return {
            "returns": [
                {
                    "sheet": r.sheet_name,
                    "month": f"{r.month:%Y-%m}",
                    "version": r.version,
                    "nil": r.is_nil,
                    "days": str(r.delivery.days),
                    "net": str(r.delivery.net),
                    "vat": str(r.delivery.vat),
                    "gross": str(r.delivery.gross),
                    "cumulative_net": str(r.delivery.cumulative_net),
                    "cap_used": str(r.delivery.cap_used),
                    "headroom": str(r.delivery.headroom),
                    "forecast_end": str(r.delivery.forecast_end),
                    "forecast_break": None
                    if r.delivery.forecast_break is None
                    else str(r.delivery.forecast_break),
                    "fingerprint": r.entries_fingerprint,
                    "rows": r.entry_count,
                }
                for r in self.returns
            ],
            "skipped": self.skipped,
            "pdfs": [str(p) for p in self.pdfs],
        }


def parse_month(text: str) -> dt.date:
    try:
        return fmt.parse_month(text)
    except ValueError:
        raise UserDataError(f"--month must be YYYY-MM, e.g. 2024-03; got {text!r}") from None


def _inputs(book: WorkbookSource, today: dt.date) -> tuple[Inputs, list]:
    terms = read_terms(book)
    checked = validate_rows(terms, read_tracker(book), today=today)
    inputs = Inputs(
        terms,
        checked.entries,
        progress.read_annexa(book),
        progress.read_ehcp(book),
        progress.read_sen2(book),
        progress.read_recommendations(book),
        progress.read_risks(book),
    )
    return inputs, checked.errors


def _issued(audit: list[progress.AuditRow], month: dt.date) -> list[progress.AuditRow]:
    key = f"{month:%Y-%m}"
    return [a for a in audit if a.action == layout.RETURN_ISSUED and a.month == key]


def issue_returns(
    path: Path,
    months: list[dt.date] | None,
    *,
    reissue: bool = False,
    pdf: Path | None = None,
    today: dt.date | None = None,
    skip_unchanged: bool = False,
    progress_bar: bool = False,
) -> ReturnReport:
    """Issue the returns for `months` (None: every month up to the last delivery) into the
    workbook at `path`, all or nothing."""
    today = today or dt.date.today()
    if pdf is not None:  # checked before the month is locked, not after
        _check_pdf_target(pdf, months)
    with workbook_lock(path):
        built, skipped = _issue(path, months, reissue, today, skip_unchanged, progress_bar)
    pdfs: list[Path] = []
    if built and pdf is not None:
        from xlsrc.engine.libreoffice import recalculate

        for ret in built:
            target = (
                pdf
                if len(built) == 1 and pdf.suffix.lower() == ".pdf"
                else (pdf / f"{ret.contract_id}-{ret.sheet_name.replace(' ', '-')}.pdf")
            )
            target.parent.mkdir(parents=True, exist_ok=True)
            recalculate(path, pdf=target, only_sheet=ret.sheet_name)
            pdfs.append(target)
    return ReturnReport(built, skipped, pdfs)


def _check_pdf_target(pdf: Path, months: list[dt.date] | None) -> None:
    """The PDF (one month, a .pdf path) or the folder for them can be written."""
    from xlsrc.fileio.atomic import check_writable
    from xlsrc.fileio.paths import check_output_folder

    if months is not None and len(months) == 1 and pdf.suffix.lower() == ".pdf":
        check_writable(pdf)
    else:
        check_output_folder(pdf)


def _issue(
    path: Path,
    months: list[dt.date] | None,
    reissue: bool,
    today: dt.date,
    skip_unchanged: bool,
    progress_bar: bool,
) -> tuple[list[MonthlyReturn], list[str]]:
    built, skipped = plan_returns(
        open_book(path),
        months,
        reissue=reissue,
        today=today,
        skip_unchanged=skip_unchanged,
        progress_bar=progress_bar,
    )
    if built:
        wb = load_for_edit(path)
        stamp = issue_stamp()
        for ret in built:
            if ret.sheet_name in wb.sheetnames:
                raise UserDataError(f"a sheet named '{ret.sheet_name}' already exists")
            render(wb, ret)
            append_audit(wb, audit_row(ret, stamp))
        save_workbook(wb, path)
    return built, skipped


def plan_returns(
    book: WorkbookSource,
    months: list[dt.date] | None,
    *,
    today: dt.date,
    reissue: bool = False,
    skip_unchanged: bool = False,
    progress_bar: bool = False,
) -> tuple[list[MonthlyReturn], list[str]]:
    """Gather and check the returns for `months` (returns to issue, months skipped).

    Nothing is written: any month that cannot be issued (outside the term, tracker errors,
    already issued, confidential text) stops them all, so the caller writes all or nothing.
    """
    inputs, errors = _inputs(book, today)
    audit = progress.read_audit(book)
    terms = inputs.terms
    if months is None:  # every month from the start to the last with delivery
        if not inputs.entries:
            raise UserDataError("the Tracker has no delivery yet: nothing to return")
        months = months_in_range(terms.dates.start, max(e.date for e in inputs.entries))
    built: list[MonthlyReturn] = []
    skipped: list[str] = []
    iterator = months
    if progress_bar:
        from tqdm import tqdm

        iterator = tqdm(months, desc="Returns", unit="month", disable=None)
    for month in iterator:
        month = month_start(month)
        if not (month_start(terms.dates.start) <= month <= terms.contract_end):
            raise UserDataError(
                f"{month:%Y-%m} is outside the contract term "
                f"({terms.dates.start:%m/%Y} to {terms.contract_end:%m/%Y})"
            )
        bad = [e for e in errors if _in_month(e.value, month) or _row_in_month(e, inputs, month)]
        if bad:
            raise UserDataError(
                f"{month:%B %Y} has {len(bad)} tracker error(s); fix them first "
                "(calloff validate): " + "; ".join(str(b) for b in bad[:5])
            )
        previous = _issued(audit, month)
        ret, texts = gather(inputs, month, prepared=today, version=len(previous) + 1)
        if previous:
            same = previous[-1].fingerprint == ret.entries_fingerprint
            if skip_unchanged and same:
                skipped.append(
                    f"{month:%B %Y}: already issued (version {previous[-1].version}), unchanged."
                )
                continue
            if not reissue:
                why = (
                    "nothing has changed since"
                    if same
                    else "its tracker rows have changed since (the month is locked)"
                )
                raise UserDataError(
                    f"The return for {month:%B %Y} was issued as version {previous[-1].version} "
                    f"and {why}; issue a corrected return with --reissue."
                )
        confidentiality.check(
            texts, terms.confidentiality.names_may_be_shown, f"The return for {month:%B %Y}"
        )
        built.append(ret)
    return built, skipped


def issue_stamp() -> str:
    """When a return is issued, as the Audit sheet records it."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def audit_row(ret: MonthlyReturn, stamp: str) -> dict[str, object]:
    """The Audit row that records an issued return and locks its month."""
    return {
        "When": stamp,
        "Action": layout.RETURN_ISSUED,
        "Month": f"{ret.month:%Y-%m}",
        "Version": ret.version,
        "Rows": ret.entry_count,
        "Net": float(ret.delivery.net),
        "Fingerprint": ret.entries_fingerprint,
        "Tool": f"calloff {__version__}",
    }


def _in_month(value: object, month: dt.date) -> bool:
    return isinstance(value, dt.date) and month_start(value) == month


def _row_in_month(issue, inputs: Inputs, month: dt.date) -> bool:
    return any(e.row == issue.row and month_start(e.date) == month for e in inputs.entries)


def build_return(
    path: Path,
    month: str,
    *,
    reissue: bool = False,
    pdf: Path | None = None,
    today: dt.date | None = None,
) -> ReturnReport:
    return issue_returns(path, [parse_month(month)], reissue=reissue, pdf=pdf, today=today)


def build_all_returns(
    path: Path, *, pdf: Path | None = None, today: dt.date | None = None
) -> ReturnReport:
    """Every month from the start to the last month with delivery; unchanged ones skipped."""
    return issue_returns(path, None, pdf=pdf, today=today, skip_unchanged=True, progress_bar=True)
