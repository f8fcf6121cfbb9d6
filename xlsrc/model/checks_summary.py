"""The workbook's state in one line, read first at the top of the Guide (issue 22): OK, Warning
or Not OK, how many checks are not met and warnings raised, and the first thing to act on.

`summarise` is the twin of the Guide's two formulas (xlsrc.edges.workbook.sheets.guide, which
builds them from the words here): given the Checks sheet's rows (each met or not, and what its
Result column says) it gives the same state and the same words. `calloff validate` says the
state too, from its own issues (xlsrc.actions.validate); tests/test_checks_summary.py shows
the Guide, as LibreOffice recalculates it, saying what `summarise` says of the Checks rows
beside it, and validate agreeing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

OK = "OK"
WARNING = "Warning"
NOT_OK = "Not OK"
FIRST = "First to act on: "
# What the Guide names first when a check's cell holds no TRUE or FALSE (an error, a blank):
# such a check is not met, and its Result cannot say why.
UNCOMPUTED = "a check that cannot be worked out: see the Checks sheet"


@dataclass(frozen=True)
class CheckRow:
    """One row of the Checks sheet: a check (part of MasterCheck) or a warning."""

    name: str
    warning: bool
    value: object  # the Met cell: TRUE, FALSE, or an error or blank (not met, not computed)
    result: str  # "OK", or what is wrong

    @property
    def met(self) -> bool:
        return self.value is True

    @property
    def computed(self) -> bool:
        return isinstance(self.value, bool)


@dataclass(frozen=True)
class Summary:
    state: str
    checks: int
    not_met: int
    warnings: int  # warnings raised
    first: str  # the first thing to act on ("" when the state is OK)

    @property
    def words(self) -> str:
        return words(self.checks, self.not_met, self.warnings, self.first)


def warnings_words(n: int) -> str:
    return "no warnings" if n == 0 else f"{n} warning" + ("" if n == 1 else "s")


def words(checks: int, not_met: int, warnings: int, first: str) -> str:
    """'All 17 checks met; no warnings.' or '1 of 17 checks not met; 2 warnings. First to act
    on: ...' (the Guide's formula says the same)."""
    met = f"All {checks} checks met" if not_met == 0 else f"{not_met} of {checks} checks not met"
    head = f"{met}; {warnings_words(warnings)}."
    return head if not first else f"{head} {FIRST}{first}"


def state_of(not_met: int, warnings: int) -> str:
    return NOT_OK if not_met else WARNING if warnings else OK


def summarise(rows: Sequence[CheckRow]) -> Summary:
    """Anything but TRUE is not met; the first to act on is the first FALSE row's Result among
    the checks (or, all checks met, among the warnings), as the Guide's MATCH(FALSE, ...) finds."""
    checks = [r for r in rows if not r.warning]
    warned = [r for r in rows if r.warning and not r.met]
    failed = [r for r in checks if not r.met]
    first = ""
    if failed or warned:
        said = [r.result for r in (failed or warned) if r.computed]
        first = said[0] if said else UNCOMPUTED
    return Summary(state_of(len(failed), len(warned)), len(checks), len(failed), len(warned), first)
