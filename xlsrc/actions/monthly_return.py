"""calloff return / returns: build a month's return into the workbook and lock the month."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from xlsrc import __version__
from xlsrc.actions.workbook_data import WorkbookData, load_workbook_data, snapshot
from xlsrc.core.invoices.check import Invoice
from xlsrc.core.returns import confidentiality, signoff
from xlsrc.core.returns.gather import Inputs, gather
from xlsrc.core.returns.issued import gone
from xlsrc.core.returns.issued import issued as issued_before
from xlsrc.core.returns.model import Earlier, MonthlyReturn
from xlsrc.core.returns.order import sheet_before
from xlsrc.core.returns.seal import short_seal
from xlsrc.core.returns.sheet import describe, sealed_record
from xlsrc.core.validate import ValidationResult
from xlsrc.edges.fileio import progress_reader as progress
from xlsrc.edges.fileio.atomic import save_workbook
from xlsrc.edges.fileio.audit_writer import append_audit
from xlsrc.edges.fileio.sheet_writer import add_sheet
from xlsrc.edges.fileio.source import WorkbookSource
from xlsrc.edges.fileio.tracker_writer import load_for_edit
from xlsrc.edges.fileio.writer_lock import workbook_lock
from xlsrc.model import fmt, layout
from xlsrc.model.dates import month_start, months_in_range
from xlsrc.model.errors import UserDataError, WorkbookFileError
from xlsrc.model.layout import RETURN_PREFIX


@dataclass(frozen=True)
class Reprint:
    """An issued return printed again, unchanged: nothing is written to the workbook."""

    month: dt.date
    sheet: str
    version: int
    issued: str
    pdf: Path
    changed_since: bool  # the month's tracker rows no longer match the issued fingerprint

    def to_text(self) -> str:
        text = (
            f"Printed '{self.sheet}' again (version {self.version}, issued {self.issued}) "
            f"to {self.pdf}; the workbook is unchanged."
        )
        if self.changed_since:
            text += (
                f" Note: {self.month:%B %Y}'s tracker rows have changed since it was issued; "
                "issue a corrected return with --reissue."
            )
        return text


@dataclass(frozen=True)
class ReturnReport:
    returns: list[MonthlyReturn]
    skipped: list[str]
    pdfs: list[Path]
    has_problems: bool = False
    reprints: list[Reprint] = field(default_factory=list)

    def to_text(self) -> str:
        lines = [r.to_text() for r in self.reprints]
        for r in self.returns:
            what = (
                "NIL return"
                if r.is_nil
                else (f"{r.delivery.days.normalize():f} days, {fmt.money(r.delivery.net)} net")
            )
            lines.append(
                f"Issued '{r.sheet_name}' (version {r.version}): {what}; {r.period} is now locked."
            )
            if r.not_recorded:
                lines.append("  Not recorded (said in the return): " + "; ".join(r.not_recorded))
            if r.next_report_due:
                lines.append(
                    f"  Progress not sufficient: an interim return is due by "
                    f"{fmt.day(r.next_report_due)} (calloff return WORKBOOK --interim DATE)."
                )
        lines += self.skipped
        lines += [f"Wrote {p}" for p in self.pdfs]
        return "\n".join(lines) or "Nothing to do."

    def to_json(self) -> dict[str, object]:
        return fmt.json_object(
            {
                "returns": [
                    {
                        "sheet": r.sheet_name,
                        "month": f"{r.month:%Y-%m}",
                        "version": r.version,
                        "nil": r.is_nil,
                        "days": r.delivery.days,
                        "net": r.delivery.net,
                        "vat": r.delivery.vat,
                        "gross": r.delivery.gross,
                        "cumulative_net": r.delivery.cumulative_net,
                        "cap_used": r.delivery.cap_used,
                        "headroom": r.delivery.headroom,
                        "forecast_end": r.delivery.forecast_end,
                        "forecast_break": r.delivery.forecast_break,
                        "fingerprint": r.entries_fingerprint,
                        "rows": r.entry_count,
                        "interim_as_at": r.as_at,
                        "not_recorded": r.not_recorded,
                        "next_report_due": r.next_report_due,
                    }
                    for r in self.returns
                ],
                "skipped": self.skipped,
                "pdfs": [str(p) for p in self.pdfs],
                "reprinted": [
                    {
                        "sheet": r.sheet,
                        "month": f"{r.month:%Y-%m}",
                        "version": r.version,
                        "issued": r.issued,
                        "pdf": str(r.pdf),
                        "changed_since": r.changed_since,
                    }
                    for r in self.reprints
                ],
            }
        )


def parse_month(text: str) -> dt.date:
    try:
        return fmt.parse_month(text)
    except ValueError:
        raise UserDataError(f"--month must be YYYY-MM, e.g. 2024-03; got {text!r}") from None


def _inputs(data: WorkbookData, today: dt.date) -> tuple[Inputs, ValidationResult]:
    """What a return draws on, from the command's one read of the workbook."""
    checked, kept = data.validate(today), data.progress
    inputs = Inputs(
        data.terms,
        checked.entries,
        kept.annexa,
        kept.ehcp,
        kept.sen2,
        kept.recommendations,
        kept.risks,
        evidence=kept.evidence,
        plans=kept.plans,
        area_reports=kept.area_reports,
        key_dates=kept.key_dates,
        asks=kept.asks,
        signoffs=kept.signoffs,
        invoices=_register(data, today),
    )
    return inputs, checked


def _register(data: WorkbookData, today: dt.date) -> list[Invoice]:
    """The invoice register, for the sign-off's invoice number (none when the workbook has no
    Invoices sheet; junk on it is the invoice check's to name, so it is left out here)."""
    if not data.has(layout.INVOICES_TABLE):
        return []
    try:
        return list(data.ledger(today).invoices)
    except UserDataError:
        return []


def _issued(
    audit: list[progress.AuditRow], month: dt.date, as_at: dt.date | None = None
) -> list[progress.AuditRow]:
    """The Audit rows of the returns issued for `month` (or the interim one `as_at`)."""
    if as_at is not None:
        key, action = f"{as_at:%Y-%m-%d}", layout.INTERIM_ISSUED
    else:
        key, action = f"{month:%Y-%m}", layout.RETURN_ISSUED
    return [a for a in audit if a.action == action and a.month == key]


def issue_returns(
    path: Path,
    months: list[dt.date] | None,
    *,
    reissue: bool = False,
    pdf: Path | None = None,
    today: dt.date | None = None,
    skip_unchanged: bool = False,
    progress_bar: bool = False,
    confirm_incomplete: bool = False,
    interim: dt.date | None = None,
    reprint: bool = False,
) -> ReturnReport:
    """Issue the returns for `months` (None: every month up to the last delivery), or the
    interim return as at `interim`, into the workbook at `path`, all or nothing. With
    `reprint` (one month and a PDF), a return already issued is printed again instead."""
    today = today or dt.date.today()
    if pdf is not None:  # checked before the month is locked, not after
        _check_pdf_target(pdf, [interim] if interim else months)
    with workbook_lock(path):
        data = load_workbook_data(path)  # the one read everything below comes from
        again = (
            _reprint_plan(data, months[0], pdf, today, interim)
            if reprint and pdf is not None and months and len(months) == 1
            else None
        )
        if again is None:
            built, skipped = _issue(
                path,
                data,
                months,
                today,
                dict(
                    reissue=reissue,
                    skip_unchanged=skip_unchanged,
                    progress_bar=progress_bar,
                    confirm_incomplete=confirm_incomplete,
                    interim=interim,
                ),
            )
    if again is not None:  # the issued sheet, as issued: printed after the lock is let go
        from xlsrc.edges.libreoffice.recalc import recalculate

        again.pdf.parent.mkdir(parents=True, exist_ok=True)
        recalculate(path, pdf=again.pdf, only_sheet=again.sheet)
        return ReturnReport([], [], [again.pdf], reprints=[again])
    pdfs: list[Path] = []
    if built and pdf is not None:
        from xlsrc.edges.libreoffice.recalc import recalculate

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
    from xlsrc.edges.fileio.atomic import check_writable
    from xlsrc.edges.fileio.outputs import check_output_folder

    if months is not None and len(months) == 1 and pdf.suffix.lower() == ".pdf":
        check_writable(pdf)
    else:
        check_output_folder(pdf)


def _issue(
    path: Path,
    data: WorkbookData,
    months: list[dt.date] | None,
    today: dt.date,
    options: dict[str, object],
) -> tuple[list[MonthlyReturn], list[str]]:
    built, skipped = plan_returns(data, months, today=today, **options)  # type: ignore[arg-type]
    if built:
        wb = load_for_edit(path)
        stamp = issue_stamp()
        for ret in built:
            if ret.sheet_name in wb.sheetnames:
                raise UserDataError(f"a sheet named '{ret.sheet_name}' already exists")
            add_sheet(wb, describe(ret), before=sheet_before(wb.sheetnames, ret.sheet_name))
            append_audit(wb, audit_row(ret, stamp))
        from xlsrc.edges.formulas.cache import kept_from  # with openpyxl, to write

        save_workbook(wb, path, kept=kept_from(path))
    return built, skipped


def plan_returns(
    source: WorkbookSource | WorkbookData,
    months: list[dt.date] | None,
    *,
    today: dt.date,
    reissue: bool = False,
    skip_unchanged: bool = False,
    progress_bar: bool = False,
    confirm_incomplete: bool = False,
    interim: dt.date | None = None,
    draft: bool = False,
) -> tuple[list[MonthlyReturn], list[str]]:
    """Gather and check the returns for `months`, or the interim return as at `interim`
    (returns to issue, months skipped).

    Nothing is written: any month that cannot be issued (outside the term, tracker errors,
    already issued, confidential text, something not recorded and not confirmed, not signed
    off) stops them all, so the caller writes all or nothing; the months not signed off are
    named together (exit 1). `draft`: the returns marked DRAFT, signed off or not, to print
    and never to issue. `source`: the command's snapshot, or an opened workbook to read once.
    """
    data = snapshot(source)
    inputs, checked = _inputs(data, today)
    audit = data.audit
    terms = inputs.terms
    if interim is not None:
        if interim > today:
            raise UserDataError(
                f"--interim {interim:%Y-%m-%d} is after today: an interim return reports "
                "what has happened so far"
            )
        months = [month_start(interim)]
    elif months is None:  # every month from the start to the last with delivery
        if not inputs.entries:
            raise UserDataError("the Tracker has no delivery yet: nothing to return")
        months = months_in_range(terms.dates.start, max(e.date for e in inputs.entries))
    built: list[MonthlyReturn] = []
    skipped: list[str] = []
    unsigned: list[tuple[str, list[str]]] = []
    before = issued_before(audit)
    removed = gone(audit)
    head = next((a.digest for a in reversed(audit) if a.digest), "")
    iterator: Iterable[dt.date] = months
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
        # Its figures to date are final only when no row in or before it has an error.
        bad = checked.errors_up_to(month)
        if bad:
            raise UserDataError(
                f"{month:%B %Y} cannot be returned: {len(bad)} tracker error(s) on rows dated in"
                " or before it (or with no readable date); fix them first (calloff validate): "
                + "; ".join(str(b) for b in bad[:5])
            )
        previous = _issued(audit, month, interim)
        key = f"{interim:%Y-%m-%d}" if interim else f"{month:%Y-%m}"
        missing = [g for g in removed if g.earlier.key == key]
        if missing and not draft:
            raise UserDataError(
                missing[0].sentence() + ". It cannot be issued again over a return deleted"
            )
        signed = signoff.find(inputs.signoffs, month)
        # The date prepared is the sign-off's; a draft not yet prepared shows the day drafted.
        prepared = signed.prepared_on if signed and signed.prepared_on else today
        ret, texts = gather(
            inputs, month, prepared=prepared, version=len(previous) + 1, as_at=interim
        )
        if draft:
            ret = replace(ret, draft=True)
        else:  # under its seal: the day, the returns before it, the record's head
            ret = replace(ret, issued_on=today, earlier=tuple(before), chain=head)
        what = f"The {'interim ' if interim else ''}return for {ret.period}"
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
                    f"{what} was issued as version {previous[-1].version} "
                    f"and {why}; print it again with --pdf FILE, or issue a corrected return "
                    "with --reissue."
                )
        if ret.not_recorded and not confirm_incomplete:
            raise UserDataError(
                f"{what} has " + "; ".join(ret.not_recorded) + ". Record them (AnnexA, EHCP "
                "and VCU sheets), or issue it anyway with --confirm-incomplete: the return "
                "will say what was not recorded."
            )
        pending = [c for c in ret.contradictions if not c.acknowledged]
        if pending:
            raise UserDataError(
                f"{what} contradicts itself: "
                + "; ".join(f"{c.area}: {c.what} ({c.where})" for c in pending)
                + f". Resolve it, or say why it stands in 'Contradiction acknowledged' on the "
                f"Report sheet ({month:%B %Y}, the area's row): the acknowledgement is printed."
            )
        confidentiality.check(texts, terms.confidentiality.names_may_be_shown, what)
        lacks = [] if draft else signoff.missing(terms, signed, ret.as_of_day)
        if lacks:
            unsigned.append((what, lacks))
        built.append(ret)
        before = [
            *(e for e in before if e.key != ret.key),
            Earlier(ret.key, ret.version, short_seal(sealed_record(ret)["seal"]), f"{today}"),
        ]
    if unsigned:
        which = (
            f"--interim {interim:%Y-%m-%d}"
            if interim
            else (f"--month {month_start(months[0]):%Y-%m}" if len(months) == 1 else "--month M")
        )
        raise signoff.refuse(
            unsigned, f"or print it marked DRAFT with calloff return WORKBOOK {which} --draft."
        )
    return built, skipped


def issue_stamp() -> str:
    """When a return is issued, as the Audit sheet records it."""
    from xlsrc.model.audit import now

    return now()


def audit_row(ret: MonthlyReturn, stamp: str) -> dict[str, object]:
    """The Audit row that records an issued return and locks its month."""
    return {
        "When": stamp,
        "Action": layout.INTERIM_ISSUED if ret.is_interim else layout.RETURN_ISSUED,
        "Month": ret.key,
        "Version": ret.version,
        "Rows": ret.entry_count,
        "Net": float(ret.delivery.net),
        "Fingerprint": ret.entries_fingerprint,
        "Tool": f"calloff {__version__}",
        # What the return states and its seal; the Return sheet carries the same seal.
        "Details": json.dumps(sealed_record(ret), sort_keys=True),
    }


def build_return(
    path: Path,
    month: str | None,
    *,
    reissue: bool = False,
    pdf: Path | None = None,
    today: dt.date | None = None,
    confirm_incomplete: bool = False,
    interim: dt.date | None = None,
) -> ReturnReport:
    """Issue the month's return (or the interim one as at `interim`); for one already issued,
    with a PDF asked for and no --reissue, print the issued version again instead (nothing
    written to the workbook)."""
    first = _first_month(month, interim)
    return issue_returns(
        path,
        [first],
        reissue=reissue,
        pdf=pdf,
        today=today,
        confirm_incomplete=confirm_incomplete,
        interim=interim,
        reprint=pdf is not None and not reissue,
    )


def _first_month(month: str | None, interim: dt.date | None) -> dt.date:
    """The month a return speaks for: --month's, or the interim date's."""
    if (month is None) == (interim is None):
        raise UserDataError("give either --month YYYY-MM or --interim YYYY-MM-DD")
    return month_start(interim) if interim else parse_month(str(month))


def _reprint_plan(
    data: WorkbookData, month: dt.date, pdf: Path, today: dt.date, as_at: dt.date | None = None
) -> Reprint | None:
    """The latest issued return for `month` (or the interim one `as_at`), to print to `pdf`
    as issued; None if never issued."""
    previous = _issued(data.audit, month, as_at)
    if not previous:
        return None
    last = previous[-1]
    version = last.version or len(previous)
    sheet = f"{RETURN_PREFIX}{last.month}{' interim' if as_at else ''}" + (
        "" if version == 1 else f" v{version}"
    )
    try:
        data.book.grid(sheet)
    except WorkbookFileError:
        raise UserDataError(
            f"The return '{sheet}' was issued as version {version}, but the sheet is no "
            "longer in the workbook, so it cannot be printed again. Restore the sheet from a "
            "backup, or issue a corrected return with --reissue."
        ) from None
    from xlsrc.core.returns.month_fingerprint import fingerprint, month_entries

    end = as_at or dt.date.max
    rows = [e for e in month_entries(data.validate(today).entries, month) if e.date <= end]
    changed = fingerprint(rows) != last.fingerprint
    return Reprint(month, sheet, version, last.when, pdf, changed)


def build_all_returns(
    path: Path,
    *,
    pdf: Path | None = None,
    today: dt.date | None = None,
    confirm_incomplete: bool = False,
) -> ReturnReport:
    """Every month from the start to the last month with delivery; unchanged ones skipped."""
    return issue_returns(
        path,
        None,
        pdf=pdf,
        today=today,
        skip_unchanged=True,
        progress_bar=True,
        confirm_incomplete=confirm_incomplete,
    )


@dataclass(frozen=True)
class DraftReport:
    """A return marked DRAFT, saved in a file of its own: the workbook is not touched."""

    ret: MonthlyReturn
    xlsx: Path
    pdf: Path | None
    lacks: list[str]  # what its sign-off still lacks before it can be issued
    has_problems: bool = False  # a draft is what was asked for: exit 0

    def to_text(self) -> str:
        lines = [
            f"Drafted '{self.ret.sheet_name}' (marked DRAFT, not issued; {self.ret.period} "
            f"is not locked) to {self.xlsx}; the workbook is unchanged."
        ]
        if self.pdf is not None:
            lines.append(f"Wrote {self.pdf}")
        if self.lacks:
            lines.append("Before it can be issued, its sign-off needs:")
            lines += [f"  - {x}" for x in self.lacks]
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return fmt.json_object(
            {
                "draft": self.ret.sheet_name,
                "month": self.ret.key,
                "xlsx": str(self.xlsx),
                "pdf": str(self.pdf) if self.pdf else None,
                "signoff_lacks": self.lacks,
            }
        )


def draft_return(
    path: Path,
    month: str | None,
    *,
    pdf: Path | None = None,
    today: dt.date | None = None,
    reissue: bool = False,
    confirm_incomplete: bool = False,
    interim: dt.date | None = None,
) -> DraftReport:
    """The month's return (or the interim one) marked DRAFT on its sheet and every printed
    page, signed off or not, saved as '<workbook>-DRAFT-<month>.xlsx' beside the workbook
    (and printed to `pdf`): nothing is written to the workbook, nothing locked, no Audit row."""
    first = _first_month(month, interim)
    today = today or dt.date.today()
    if pdf is not None:
        _check_pdf_target(pdf, [first])
    data = load_workbook_data(path)
    built, _ = plan_returns(
        data,
        [first],
        today=today,
        reissue=reissue,
        confirm_incomplete=confirm_incomplete,
        interim=interim,
        draft=True,
    )
    ret = built[0]
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    add_sheet(wb, describe(ret))
    out = path.with_name(f"{path.stem}-DRAFT-{ret.key}.xlsx")
    save_workbook(wb, out, backup=False)
    if pdf is not None:
        from xlsrc.edges.libreoffice.recalc import recalculate

        target = pdf if pdf.suffix.lower() == ".pdf" else pdf / f"{out.stem}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        recalculate(out, pdf=target, only_sheet=ret.sheet_name)
        pdf = target
    lacks = signoff.missing(data.terms, signoff.find(data.progress.signoffs, first), ret.as_of_day)
    return DraftReport(ret, out, pdf, lacks)
