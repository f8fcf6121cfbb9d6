"""calloff: the command line. Each command is a few lines over an action in xlsrc.actions.

One boundary (`main`) turns a person's or a file's problem into a one-line message and exit
code 2; anything else is a bug, reported with a pointer to its traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from xlsrc import __version__
from xlsrc.model.errors import CalloffError, UserDataError
from xlsrc.model.report import Report

EXIT_PROBLEMS = 1  # the command ran and found problems (e.g. validation errors)
EXIT_ERROR = 2  # the command could not run: bad input, bad file
EXIT_BUG = 3

PATH = click.Path(path_type=Path)


class InputFile(click.ParamType):
    """A file to read: a folder, FIFO or device is refused at once (one line, exit 2)."""

    name = "file"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        from xlsrc.edges.fileio.paths import check_input_file

        return check_input_file(Path(value))


EXISTING = InputFile()
FORCE = click.option(
    "--force", is_flag=True, help="Write over a workbook that holds data (a backup is kept)."
)


def _check_out(out: Path | None, *inputs: Path | None, force: bool = False) -> None:
    """Before anything changes: the output is writable, not an input, not a filled workbook."""
    if out is not None:
        from xlsrc.edges.fileio.outputs import check_output

        check_output(out, inputs=[p for p in inputs if p is not None], force=force)


STDOUT = Path("-")  # `--out -`


@contextmanager
def _writing(out: Path | None, suffix: str) -> Iterator[Path | None]:
    """Where a command writes its file. `--out -` writes it to standard output: the command
    writes a temporary file, copied out when it is complete, and whatever the command says
    goes to standard error so it never mixes with the file."""
    if out != STDOUT:
        yield out
        return
    ctx = click.get_current_context()
    ctx.meta["stdout_is_data"] = True
    with tempfile.TemporaryDirectory(prefix="calloff-") as tmp:
        path = Path(tmp) / f"calloff-output{suffix}"
        yield path
        sys.stdout.flush()
        sys.stdout.buffer.write(path.read_bytes())
        sys.stdout.buffer.flush()


def _echo(text: str) -> None:
    """Say something to the person: standard output, unless it carries the file (--out -)."""
    ctx = click.get_current_context(silent=True)
    click.echo(text, err=bool(ctx and ctx.meta.get("stdout_is_data")))


def _emit(data: object) -> None:
    """JSON for programs, the same conventions in every command (xlsrc.model.fmt.json_ready)."""
    from xlsrc.model.fmt import json_ready

    _echo(json.dumps(json_ready(data), indent=2, ensure_ascii=False))


def _no_stdout(out: Path | None, why: str) -> None:
    if out == STDOUT:
        raise click.UsageError(f"--out - (standard output) is not possible here: {why}")


def _acting(command: Callable[..., None]) -> Callable[..., None]:
    """A writing command's `--as ROLE`: its Audit rows name the OS user, and the role given."""

    @click.option(
        "--as",
        "acting_as",
        metavar="ROLE",
        help="The role you act in, recorded with your user name in the Audit log.",
    )
    @functools.wraps(command)
    def run(*args: Any, acting_as: str | None = None, **kwargs: Any) -> None:
        from xlsrc.edges.formulas.cache import noting_uncomputed
        from xlsrc.model.audit import acting, os_user, with_role

        with acting(with_role(os_user(), acting_as)), noting_uncomputed() as uncomputed:
            try:
                command(*args, **kwargs)
            finally:
                _say_uncomputed(uncomputed)

    return run


def _say_uncomputed(uncomputed: dict[str, str]) -> None:
    """Each formula cell the command saved without a value (its engine cannot compute it),
    on standard error: never a blank left in silence (validate lists its own as issues)."""
    for cell, why in sorted(uncomputed.items()):
        click.echo(
            f"Warning: {cell} is saved without a value: calloff cannot compute its formula"
            f" ({why}); open the file in Excel to recalculate it, or replace the formula.",
            err=True,
        )


def _today(value: str | None) -> dt.date | None:
    from xlsrc.model.errors import UserDataError

    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise UserDataError(f"--today must be a date, YYYY-MM-DD; got {value!r}") from None


def _date_option(option: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UserDataError(
            f"{option} must be a date YYYY-MM-DD, e.g. 2024-03-15; got {value!r}"
        ) from None


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Run 'calloff COMMAND --help' for a command's options and an example.",
)
@click.version_option(__version__, prog_name="calloff")
def cli() -> None:
    """Run a call-off contract from a governed Excel workbook.

    \b
    Examples:
      calloff demo                                   build + fill the sample + totals
      calloff build --out workbook/CON_22889.xlsx    the governed workbook
      calloff totals workbook/CON_22889.xlsx --json  Budget figures, as JSON
      calloff validate workbook/CON_22889.xlsx       check every tracker entry
    """


@cli.command()
@click.option("--terms", "terms_file", type=EXISTING, help="Terms file (TOML). Default: CON_22889.")
@click.option(
    "--out",
    type=PATH,
    help="Where to write; - for standard output. Default: workbook/<contract id>.xlsx",
)
@click.option(
    "--check",
    is_flag=True,
    help="Do not write: exit 1 if the file at --out differs from a fresh build.",
)
@click.option(
    "--macros",
    is_flag=True,
    help="Build the macro-enabled .xlsm (buttons, VBA from macros/*.bas); needs LibreOffice.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@FORCE
def build(
    terms_file: Path | None,
    out: Path | None,
    check: bool,
    macros: bool,
    as_json: bool,
    force: bool,
) -> None:
    """Build the governed workbook from a terms file.

    \b
    Examples:
      calloff build --terms my-contract.toml --out workbook/CON_99999.xlsx
      calloff build --check        is the committed workbook a fresh build?
      calloff build --macros       workbook/CON_22889.xlsm, with the Excel buttons
    """
    run: Callable[..., Path]
    stale_parts: Callable[..., list[str]]
    if macros:
        from xlsrc.actions.build_macros import build_macro_workbook, stale_macro_parts

        run, stale_parts = build_macro_workbook, stale_macro_parts
    else:
        from xlsrc.actions import build as plain

        run, stale_parts = plain.build, plain.stale_parts

    if check:
        _no_stdout(out, "--check compares an existing file")
        stale = stale_parts(terms_file, out)
        if as_json:
            _emit({"fresh": not stale, "differing_parts": stale})
        else:
            click.echo(
                "Workbook is a fresh build."
                if not stale
                else "Workbook differs from a fresh build in: " + ", ".join(stale)
            )
        raise click.exceptions.Exit(EXIT_PROBLEMS if stale else 0)
    with _writing(out, ".xlsm" if macros else ".xlsx") as target:
        path = run(terms_file, target, force=force)
    shown = "-" if out == STDOUT else str(path)
    _emit({"workbook": shown}) if as_json else _echo(f"Built {shown}")


@cli.command()
@click.argument("workbook", type=EXISTING)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--today", help="As at this date (YYYY-MM-DD). Default: today.")
def due(workbook: Path, as_json: bool, today: str | None) -> None:
    """What falls due: the next return and its due date, returns overdue, notice deadlines
    for the break and the end, decisions falling due, advisors with no entries last month,
    months delivered but not invoiced.

    \b
    Example:
      calloff due out/demo/CON_22889-sample.xlsx --today 2025-07-15
    """
    from xlsrc.actions.due import workbook_due

    contract_id, result = workbook_due(workbook, today=_today(today))
    if as_json:
        _emit(result.to_json())
        return
    _echo(result.to_text(contract_id))


@cli.command(name="new-contract")
@click.argument("contract_id")
@click.option("--out", type=PATH, help="The terms file to write. Default: <CONTRACT_ID>.toml")
@click.option("--force", is_flag=True, help="Write over an existing file.")
def new_contract(contract_id: str, out: Path | None, force: bool) -> None:
    """Write a commented terms file for a new call-off: every key with what it holds and a
    value to replace (docs/terms.md lists them). It builds as written: edit it, then build
    the workbook with `calloff build --terms CON_99999.toml`.

    \b
    Example:
      calloff new-contract CON_99999       writes CON_99999.toml
    """
    import re

    from xlsrc.edges.fileio.atomic import write_file
    from xlsrc.model.terms.template import new_terms_text

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}", contract_id):
        raise UserDataError(
            f"contract ID {contract_id!r}: use letters, digits, - _ or . only (up to 40),"
            " e.g. CON_99999"
        )
    target = out or Path(f"{contract_id}.toml")
    if target.exists() and not force:
        raise UserDataError(f"{target}: already exists; choose another --out or add --force")
    text = new_terms_text(contract_id).encode("utf-8")
    write_file(target, lambda handle: handle.write(text), backup=force)
    _echo(f"Wrote {target}: replace each REPLACE and value, then calloff build --terms {target}")


@cli.command()
@_acting
@click.argument("workbook", type=EXISTING)
@click.option(
    "--tracker",
    "tracker_csv",
    type=EXISTING,
    required=True,
    help="CSV with the columns Date, Advisor, Area, Activity, Outcomes, Days, Notes.",
)
@click.option(
    "--out",
    type=PATH,
    help="Write to a new file (- for standard output) instead of updating WORKBOOK.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--today", hidden=True, help="Pretend today is this date (YYYY-MM-DD).")
def fill(
    workbook: Path,
    tracker_csv: Path,
    out: Path | None,
    as_json: bool,
    today: str | None,
) -> None:
    """Add tracker rows from a CSV to the workbook's Tracker (all or nothing).

    \b
    Example:
      calloff fill workbook/CON_22889.xlsx --tracker october.csv
    """
    from xlsrc.actions.fill import fill as run
    from xlsrc.edges.tracker_csv import read_tracker_csv

    if out not in (None, STDOUT) and not _same(out, workbook):
        _check_out(out, tracker_csv)

    with _writing(out, workbook.suffix) as target:
        result = run(
            workbook,
            read_tracker_csv(tracker_csv),
            out=target,
            today=_today(today),
        )
    if as_json:
        _emit(
            {
                "rows_written": len(result.rows_written),
                "warnings": [w.to_json() for w in result.warnings],
            }
        )
        return
    _echo(f"Added {len(result.rows_written)} row(s) to {out or workbook}")
    for w in result.warnings:
        _echo(f"  {w}")


_DATE = click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"])


@cli.command()
@_acting
@click.argument("workbook", type=EXISTING)
@click.argument(
    "kind",
    type=click.Choice(
        [
            "continue",
            "terminate-at-break",
            "end-early",
            "extend",
            "days-per-month",
            "day-rate",
            "allocation",
            "vary-cap",
        ]
    ),
)
@click.option("--decided", type=_DATE, required=True, help="Date the decision was taken.")
@click.option("--by", "by", required=True, help="Who decided: a role (never a name).")
@click.option("--effective", type=_DATE, help="Date it takes effect (an early end: the last day).")
@click.option("--months", type=int, help="Extend: whole months (1 up to the maximum).")
@click.option("--days-per-month", type=str, help="Call-off days per month from then on.")
@click.option("--rate", type=str, help="Day-rate: the new rate (excl. VAT), e.g. 700.00.")
@click.option("--area", help="Allocation: the area's short name or code.")
@click.option("--days", type=str, help="Allocation: the area's days allocated.")
@click.option("--cap", type=str, help="Vary-cap: the new cap (excl. VAT), e.g. 95000.00.")
@click.option("--notice", type=_DATE, help="Date notice was given (an extension needs it).")
@click.option("--note", default="", help="A short note (no names).")
@click.option(
    "--out",
    type=PATH,
    help="Write to a new file (- for standard output) instead of updating WORKBOOK.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--today", hidden=True, help="Pretend today is this date (YYYY-MM-DD).")
def decide(
    workbook: Path, kind: str, as_json: bool, out: Path | None, today: str | None, **options: Any
) -> None:
    """Record a contract decision (break, early end, extension, days per month, day rate,
    allocation, a cap variation). Its rules are checked first (who may decide it, its dates,
    and the cap: a decision taking the forecast over the cap in force needs a cap variation
    first); a refused decision writes nothing.

    \b
    Examples:
      calloff decide workbook/CON_22889.xlsx continue --decided 2024-02-20 \\
          --by "DfE contract manager"
      calloff decide workbook/CON_22889.xlsx extend --months 3 --days-per-month 4 \\
          --effective 2025-04-01 --decided 2025-02-10 --notice 2025-02-10 \\
          --by "DfE contract manager"
      calloff decide workbook/CON_22889.xlsx day-rate --rate 700.00 --effective 2024-04-01 \\
          --decided 2024-03-01 --by "DfE contract manager"
      calloff decide workbook/CON_22889.xlsx vary-cap --cap 95000.00 --effective 2025-04-01 \\
          --decided 2025-02-10 --by "DfE contract manager"
    """
    from xlsrc.actions.decide import decide as run

    if out not in (None, STDOUT) and not _same(out, workbook):
        _check_out(out, workbook)
    fields = {k: (v.date() if isinstance(v, dt.datetime) else v) for k, v in options.items()}
    with _writing(out, workbook.suffix) as target:
        result = run(workbook, {"kind": kind, **fields}, out=target, today=_today(today))
    if as_json:
        _emit(result.to_json())
        return
    eff = result.terms.effective
    _echo(f"Recorded in {out or workbook} (Contract sheet, Decisions row {result.row}).")
    _echo(
        f"  The break: {eff.break_state}; contract end in force {eff.end:%d/%m/%Y}"
        f" ({eff.extension_months} month(s) of extension); day rate now £{eff.rate_now:,.2f};"
        f" cap in force £{eff.cap_now:,.2f}"
    )


@cli.command()
@click.argument("workbook", type=EXISTING)
@click.option("--json", "as_json", is_flag=True, help="Print JSON; keys are the defined names.")
def totals(workbook: Path, as_json: bool) -> None:
    """Python's totals of the Budget figures (days, net, VAT, gross, headroom, forecasts).

    \b
    Example:
      calloff totals workbook/CON_22889.xlsx --json
    """
    from xlsrc.actions.totals import workbook_totals
    from xlsrc.core.totals.presentation import totals_json, totals_text

    result = workbook_totals(workbook)
    if as_json:
        data = totals_json(result.totals)
        data["rows_with_errors"] = result.rows_with_errors
        data["rows_not_counted"] = result.rows_not_counted
        _emit(data)
        return
    click.echo(totals_text(result.totals, result.contract_id))
    for n, line in enumerate(result.notes()):
        click.echo(f"{'' if n else chr(10)}  {line}")


@cli.command()
@click.option(
    "--out",
    type=PATH,
    default=Path("out/demo"),
    show_default=True,
    help="Folder for the demo workbook.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the totals as JSON.")
def demo(out: Path, as_json: bool) -> None:
    """Build the workbook, fill it with the bundled example tracker, print the totals.

    \b
    Example:
      calloff demo --out out/demo
    """
    from xlsrc.actions.demo import run_demo

    _no_stdout(out, "the demo writes a folder")
    from xlsrc.core.totals.presentation import totals_json, totals_text

    result = run_demo(out)
    if as_json:
        _emit({"workbook": str(result.workbook), **totals_json(result.totals)})
        return
    click.echo(f"Built {result.workbook} and added {result.rows} example tracker rows.\n")
    click.echo(totals_text(result.totals, result.contract_id))


@cli.command()
@click.argument("workbook", type=EXISTING)
@click.option("--out", type=PATH, help="Recalculated copy (.xlsx) to write; - for standard output.")
@click.option("--pdf", type=PATH, help="PDF of every sheet to write.")
@click.option("--json", "as_json", is_flag=True, help="Print the defined names' values.")
def recalc(workbook: Path, out: Path | None, pdf: Path | None, as_json: bool) -> None:
    """Recalculate the workbook in LibreOffice headless (needs LibreOffice installed).

    \b
    Example:
      calloff recalc workbook/CON_22889.xlsx --pdf out/CON_22889.pdf --json
    """
    from xlsrc.edges.libreoffice.recalc import names_json, recalculate

    with _writing(out, ".xlsx") as target:
        _check_out(target, workbook)
        _check_out(pdf, workbook)
        with tempfile.TemporaryDirectory() as tmp:
            names = recalculate(workbook, xlsx=target, pdf=pdf, names=Path(tmp) / "names.json")
    if as_json:
        _emit(names_json(names or {}))
        return
    for path in (out, pdf):
        if path:
            _echo(f"Wrote {path}")
    if names is not None:
        _echo(f"MasterCheck: {'TRUE' if names.get('MasterCheck') else 'FALSE'}")


def _report(report: Report, as_json: bool) -> None:
    """Print a Report (xlsrc.model.report) and exit 1 when it found problems."""
    if as_json:
        _emit(report.to_json())
    else:
        _echo(report.to_text())
    if report.has_problems:
        raise click.exceptions.Exit(EXIT_PROBLEMS)


@cli.command()
@_acting
@click.argument("workbook", type=EXISTING)
@click.option("--no-write", is_flag=True, help="Only report; leave the workbook untouched.")
@click.option("--json", "as_json", is_flag=True, help="Print every issue as JSON.")
@click.option("--today", hidden=True, help="Pretend today is this date (YYYY-MM-DD).")
def validate(workbook: Path, no_write: bool, as_json: bool, today: str | None) -> None:
    """Check every Tracker entry; list problems in the Issues sheet, highlight their cells.

    Exits 1 when there are errors. What people typed is never changed.

    \b
    Example:
      calloff validate workbook/CON_22889.xlsx --json
    """
    from xlsrc.actions.validate import validate_workbook

    _report(validate_workbook(workbook, today=_today(today), write=not no_write), as_json)


@cli.command()
@click.option("--advisor", required=True, help="The advisor's ID, e.g. RK-01.")
@click.option("--terms", "terms_file", type=EXISTING, help="Terms file. Default: CON_22889.")
@click.option(
    "--from",
    "master",
    type=EXISTING,
    help="Take terms from this master workbook instead of a terms file.",
)
@click.option(
    "--out",
    type=PATH,
    help="Where to write; - for standard output. Default: trackers/<contract>-<ID>.xlsx",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@FORCE
def tracker(
    advisor: str,
    terms_file: Path | None,
    master: Path | None,
    out: Path | None,
    as_json: bool,
    force: bool,
) -> None:
    """Write a standalone tracker file for one advisor (same table, lists and checks).

    \b
    Example:
      calloff tracker --advisor RK-01 --out trackers/RK-01.xlsx
    """
    from xlsrc.actions.advisor_tracker import write_advisor_tracker

    with _writing(out, ".xlsx") as target:
        path = write_advisor_tracker(
            advisor, terms_file=terms_file, master=master, out=target, force=force
        )
    shown = "-" if out == STDOUT else str(path)
    _emit({"tracker": shown}) if as_json else _echo(f"Wrote {shown}")


@cli.command(name="import")
@_acting
@click.argument("workbook", type=EXISTING)
@click.argument("files", type=EXISTING, nargs=-1, required=True)
@click.option(
    "--take-valid", is_flag=True, help="Import the valid rows of a file that also has errors."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--today", hidden=True, help="Pretend today is this date (YYYY-MM-DD).")
def import_(
    workbook: Path, files: tuple[Path, ...], take_valid: bool, as_json: bool, today: str | None
) -> None:
    """Validate advisors' tracker files and merge their entries into the master Tracker.

    Importing the same file twice adds nothing; a conflicting entry is reported, never
    overwritten; a file with errors changes nothing unless --take-valid.

    \b
    Example:
      calloff import workbook/CON_22889.xlsx trackers/RK-01.xlsx trackers/RK-02.xlsx
    """
    from xlsrc.actions.import_trackers import import_trackers

    _report(
        import_trackers(workbook, list(files), take_valid=take_valid, today=_today(today)), as_json
    )


@cli.command(name="invoice-check")
@click.argument("workbook", type=EXISTING)
@click.option("--month", required=True, help="Invoice month, YYYY-MM.")
@click.option("--net", help="Invoice net (excl. VAT). Default: the Invoices sheet's row.")
@click.option("--vat", help="Invoice VAT. Default: the Invoices sheet's row.")
@click.option("--gross", help="Invoice gross. Default: the Invoices sheet's row.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def invoice_check(
    workbook: Path, month: str, net: str | None, vat: str | None, gross: str | None, as_json: bool
) -> None:
    """Check a supplier's invoice against the Tracker, to the penny. Exits 1 unless PASS.

    Without --net, --vat and --gross it checks the month's row on the Invoices sheet.

    \b
    Example (the bundled example from `calloff demo`; prints PASS):
      calloff invoice-check out/demo/CON_22889-sample.xlsx --month 2024-03 \\
          --net 3575.00 --vat 715.00 --gross 4290.00
    """
    from xlsrc.actions.invoice_check import check_invoice

    _report(check_invoice(workbook, month=month, net=net, vat=vat, gross=gross), as_json)


@cli.group(name="invoice")
def invoice_group() -> None:
    """The invoice register (the Invoices sheet): record invoices and credit notes.

    \b
    Example:
      calloff invoice record out/demo/CON_22889-sample.xlsx --number RKS-0099 \\
          --month 2024-03 --net 3575.00 --vat 715.00 --gross 4290.00
    """


@invoice_group.command(name="record")
@_acting
@click.argument("workbook", type=EXISTING)
@click.option("--number", required=True, help="Invoice number, e.g. RKS-0009.")
@click.option("--month", required=True, help="The (first) month it covers, YYYY-MM.")
@click.option("--to-month", help="The last month it covers, YYYY-MM (default: --month only).")
@click.option("--date", "invoice_date", help="The invoice's date, YYYY-MM-DD.")
@click.option("--net", required=True, help="Net (excl. VAT); negative for a credit note.")
@click.option("--vat", required=True, help="VAT; negative for a credit note.")
@click.option("--gross", required=True, help="Gross; negative for a credit note.")
@click.option("--po", default="", help="Purchase order number.")
@click.option(
    "--status",
    default="Raised",
    show_default=True,
    help="Raised, Paid or Credited.",
)
@click.option("--credits", help="For a credit note: the invoice number it cancels.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--today", hidden=True, help="Pretend today is this date (YYYY-MM-DD).")
def invoice_record(
    workbook: Path,
    number: str,
    month: str,
    to_month: str | None,
    invoice_date: str | None,
    net: str,
    vat: str,
    gross: str,
    po: str,
    status: str,
    credits: str | None,
    as_json: bool,
    today: str | None,
) -> None:
    """Record an invoice on the register, checked to the penny against the Tracker first.

    When it disagrees with the Tracker it is refused (exit 2) with the figures and nothing is
    written. A credit note has negative amounts and names the invoice it cancels (--credits),
    which is marked Credited. The register is the source of "invoiced to date".

    \b
    Example (the bundled example from `calloff demo`):
      calloff invoice record out/demo/CON_22889-sample.xlsx --number RKS-0099 \\
          --month 2024-03 --net 3575.00 --vat 715.00 --gross 4290.00 --po PO-SAMPLE-22889
    """
    from xlsrc.actions.invoice_record import record_invoice

    _report(
        record_invoice(
            workbook,
            number=number,
            month=month,
            to_month=to_month,
            invoice_date=invoice_date,
            net=net,
            vat=vat,
            gross=gross,
            po=po,
            status=status,
            credits=credits,
            today=_today(today),
        ),
        as_json,
    )


@cli.command(name="return")
@_acting
@click.argument("workbook", type=EXISTING)
@click.option("--month", help="The month, YYYY-MM.")
@click.option(
    "--interim",
    help="Issue an interim return: the month so far, as at this date (YYYY-MM-DD).",
)
@click.option("--pdf", type=PATH, help="Also print the return to this PDF (LibreOffice).")
@click.option(
    "--reissue",
    is_flag=True,
    help="Issue a corrected version of a month already returned (v2, v3...).",
)
@click.option(
    "--confirm-incomplete",
    is_flag=True,
    help="Issue even though the month has no ratings, an EHCP figure or a VCU recommendation.",
)
@click.option(
    "--draft",
    is_flag=True,
    help="Build it marked DRAFT in a file of its own, signed off or not; lock nothing.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--today", hidden=True, help="Pretend today is this date (YYYY-MM-DD).")
def return_(
    workbook: Path,
    month: str | None,
    interim: str | None,
    pdf: Path | None,
    reissue: bool,
    confirm_incomplete: bool,
    draft: bool,
    as_json: bool,
    today: str | None,
) -> None:
    """Build the monthly return sheet 'Return YYYY-MM' and lock that month.

    Only a return signed off on the Report sheet (SignOff: prepared by and on, approved by
    and on, by roles the terms give those powers) is issued; otherwise it exits 1 naming
    what is missing and writes nothing. --draft saves it marked DRAFT beside the workbook
    (WORKBOOK-DRAFT-YYYY-MM.xlsx, and --pdf) and changes nothing in the workbook.
    Stops, naming the cell, if anything confidential would be shown. On a month already
    issued, --pdf prints the issued return again, unchanged; --reissue makes a new version.

    \b
    Examples:
      calloff return out/demo/CON_22889-sample.xlsx --month 2024-03 --pdf out/return-2024-03.pdf
      calloff return out/demo/CON_22889-sample.xlsx --interim 2024-03-15
      calloff return out/demo/CON_22889-sample.xlsx --month 2024-03 --draft
    """
    from xlsrc.actions.monthly_return import build_return, draft_return

    if draft:
        _report(
            draft_return(
                workbook,
                month,
                pdf=pdf,
                today=_today(today),
                reissue=reissue,
                confirm_incomplete=confirm_incomplete,
                interim=_date_option("--interim", interim) if interim else None,
            ),
            as_json,
        )
        return
    report = build_return(
        workbook,
        month,
        reissue=reissue,
        pdf=pdf,
        today=_today(today),
        confirm_incomplete=confirm_incomplete,
        interim=_date_option("--interim", interim) if interim else None,
    )
    _report(report, as_json)


@cli.command()
@_acting
@click.argument("workbook", type=EXISTING)
@click.option("--pdf", type=PATH, help="Folder for one PDF per return.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--today", hidden=True, help="Pretend today is this date (YYYY-MM-DD).")
@click.option(
    "--confirm-incomplete",
    is_flag=True,
    help="Issue even months with no ratings, an EHCP figure or a VCU recommendation.",
)
def returns(
    workbook: Path,
    pdf: Path | None,
    as_json: bool,
    today: str | None,
    confirm_incomplete: bool,
) -> None:
    """Build every monthly return not yet issued, from the start to the last month with
    delivery (with a progress bar).

    \b
    Example:
      calloff returns out/demo/CON_22889-sample.xlsx --pdf out/returns/
    """
    from xlsrc.actions.monthly_return import build_all_returns

    report = build_all_returns(
        workbook, pdf=pdf, today=_today(today), confirm_incomplete=confirm_incomplete
    )
    _report(report, as_json)


@cli.command()
@click.argument("workbook", type=EXISTING)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv", "json"]),
    help="Output format. Default: from --out's suffix, else xlsx.",
)
@click.option(
    "--out",
    type=PATH,
    help="Where to write; - for standard output. Default: <workbook>-MI.<format> beside it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--today", hidden=True, help="Pretend today is this date (YYYY-MM-DD).")
def mi(workbook: Path, fmt: str | None, out: Path | None, as_json: bool, today: str | None) -> None:
    """Management information: the contract's KPIs month by month (xlsx with charts, CSV, JSON).

    \b
    Example:
      calloff mi out/demo/CON_22889-sample.xlsx --format csv --out out/mi.csv
    """
    from xlsrc.actions.mi import management_information

    if out == STDOUT:
        fmt = fmt or "xlsx"
    with _writing(out, f".{fmt}") as target:
        _check_out(target, workbook)
        report = management_information(workbook, fmt=fmt, out=target, today=_today(today))
    _report(report, as_json)


@cli.command()
@click.argument("inputs", type=click.Path(path_type=Path), nargs=-1, required=True)
@click.option(
    "--out",
    type=PATH,
    required=True,
    help="The summary workbook to write (.xlsx); - for standard output.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--today", hidden=True, help="Pretend today is this date (YYYY-MM-DD).")
def portfolio(inputs: tuple[Path, ...], out: Path, as_json: bool, today: str | None) -> None:
    """Roll up many contract workbooks (folders or files) into one summary, sorted by risk.

    A damaged or foreign file is listed with its reason and skipped, never fatal.

    \b
    Example:
      calloff portfolio contracts/ --out out/portfolio.xlsx
    """
    from xlsrc.actions.portfolio import portfolio as run

    with _writing(out, ".xlsx") as target:
        assert target is not None  # --out is required
        _check_out(target, *inputs)
        report = run(list(inputs), out=target, today=_today(today))
    _report(report, as_json)


@cli.command()
@_acting
@click.argument("workbook", type=PATH)
@click.option("--force", is_flag=True, help="Remove it even if its calloff is still running.")
def unlock(workbook: Path, force: bool) -> None:
    """Clear a workbook's lock left by a calloff that no longer runs, and say whose it was.

    A lock whose process has gone on this computer is cleared by the next command anyway;
    this is for a lock from another computer (a shared folder) or an unreadable one.

    \b
    Example:
      calloff unlock workbook/CON_22889.xlsx
    """
    from xlsrc.edges.fileio.writer_lock import unlock as run

    whose = run(workbook, force=force)
    click.echo(
        f"{workbook}: was not locked."
        if whose is None
        else f"{workbook}: removed the lock of {whose}."
    )
    if whose is not None and force:
        from xlsrc.actions.audit_log import record_unlock

        if record_unlock(workbook, whose):
            click.echo(f"{workbook}: recorded in its Audit log.")


@cli.command()
@click.argument("workbook", type=EXISTING)
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON.")
def log(workbook: Path, as_json: bool) -> None:
    """Print the workbook's Audit history, one line per row (When, Who, Action, Month,
    Details); a row marked ! no longer matches the record (edited, moved or deleted around).
    Exit 1 when the record is broken.

    \b
    Example:
      calloff log workbook/CON_22889.xlsx
    """
    from xlsrc.actions.audit_log import read_log

    _report(read_log(workbook), as_json)


@cli.command()
@click.argument("workbook", type=EXISTING)
@click.option("--seal", help="The seal in a printed return's footer (or its 16 hex digits).")
@click.option(
    "--pdf",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A printed return (PDF): its pages' seal is read from it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the finding as JSON.")
@click.option("--today", hidden=True, help="Pretend today is this date (YYYY-MM-DD).")
def verify(
    workbook: Path, seal: str | None, pdf: Path | None, as_json: bool, today: str | None
) -> None:
    """Say whether the workbook still holds an issued return, unchanged: the one whose seal
    a printed page's footer carries. Exit 0 when it does; exit 2, saying what is missing or
    changed, when it does not (its sheet or Audit row deleted, replaced or edited, its
    month's rows or the contract facts it used changed).

    \b
    Example:
      calloff verify out/demo/CON_22889-sample.xlsx --pdf out/return-2024-03.pdf
    """
    from xlsrc.actions.verify import verify as run

    if (seal is None) == (pdf is None):
        raise UserDataError("give one of --seal SEAL or --pdf RETURN.pdf")
    _report(run(workbook, seal, pdf, _today(today)), as_json)


def _same(a: Path, b: Path) -> bool:
    from xlsrc.edges.fileio.paths import same_file

    return same_file(a, b)


def _quiet_unraisable(unraisable: Any) -> None:
    """A file-system failure met again while a half-written part is tidied away (openpyxl's
    writer generators, finalised after a full disk) was already reported in its one line:
    its echo is not printed. Anything else goes to Python's own hook."""
    if isinstance(unraisable.exc_value, OSError | MemoryError):
        return
    sys.__unraisablehook__(unraisable)


def main(argv: list[str] | None = None) -> int:
    sys.unraisablehook = _quiet_unraisable  # stays: finalisers also run at interpreter exit
    try:
        # Without standalone mode click *returns* the code of a ctx.exit()/Exit(n).
        code = cli.main(args=argv, prog_name="calloff", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except CalloffError as exc:
        click.echo(f"calloff: {exc}", err=True)
        return getattr(exc, "exit_code", EXIT_ERROR)
    except MemoryError:
        click.echo(
            "calloff: not enough memory for this workbook; is it far larger than a contract's?",
            err=True,
        )
        return EXIT_ERROR
    except OSError as exc:  # the file system said no (disk full, permission, a folder...)
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"calloff: {where}{exc.strerror or exc}", err=True)
        return EXIT_ERROR
    except Exception:  # noqa: BLE001 - the one place a bug is caught, logged and reported
        from xlsrc.edges.errorlog import write_error_log

        log = write_error_log(traceback.format_exc())
        where = f" Details: {log}" if log else ""
        click.echo(f"calloff: internal error (a bug, not your data).{where}", err=True)
        return EXIT_BUG
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
