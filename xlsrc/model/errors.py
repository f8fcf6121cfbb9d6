"""The exception tree, split by who can fix the problem.

- UserDataError: something a person typed (a terms file, a tracker row) breaks a rule.
- WorkbookFileError: the file itself is wrong (not a workbook, corrupt, missing a table).
- anything else is a bug: the CLI boundary logs it with its traceback.
"""

from __future__ import annotations


class CalloffError(Exception):
    """Base of the errors a person can act on; str() is the whole message."""


class UserDataError(CalloffError):
    pass


class TermsError(UserDataError):
    pass


class WorkbookFileError(CalloffError):
    pass


class EngineError(CalloffError):
    """The spreadsheet engine (LibreOffice) is missing or failed."""
