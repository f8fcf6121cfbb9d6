"""Load a terms file into `Terms`, turning every failure into one readable TermsError."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from xlsrc.model.errors import TermsError
from xlsrc.model.terms.effective import DecisionProblems
from xlsrc.model.terms.models import Terms
from xlsrc.model.terms.reference import line_of
from xlsrc.model.typed import shown_value

DEFAULT_TERMS = "CON_22889.toml"


def default_terms_path() -> Path:
    return Path(str(resources.files("xlsrc.model.terms").joinpath(DEFAULT_TERMS)))


def load_terms(path: str | Path | None = None) -> Terms:
    """Read and validate a terms file; None means the bundled CON_22889 terms."""
    source = Path(path) if path is not None else default_terms_path()
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TermsError(f"{source}: terms file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TermsError(f"{source}: cannot read terms file ({exc})") from None
    try:
        # parse_float=Decimal keeps money exact even if someone writes an amount unquoted
        raw = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise TermsError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:
        raise TermsError(
            f"{source}: not a terms file: arrays or tables nested too deeply"
        ) from None
    try:
        return Terms.model_validate(raw)
    except ValidationError as exc:
        raise TermsError(terms_file_problems(exc, str(source), text)) from None
    except RecursionError:
        raise TermsError(f"{source}: not a terms file: nested too deeply") from None


def terms_from_mapping(raw: dict, source: str = "terms") -> Terms:
    try:
        return Terms.model_validate(raw)
    except ValidationError as exc:
        raise TermsError(format_validation_error(exc, source)) from None


# What to do, by pydantic's error type, in the words of the terms file (never pydantic's).
_FIXES: dict[str, str] = {
    "missing": "add it (docs/terms.md says what it holds)",
    "extra_forbidden": "remove it or correct its spelling: docs/terms.md lists every key",
    "date_type": "write a date as 2024-03-31, without quotes and without a time",
    "date_parsing": "write a date as 2024-03-31, without quotes and without a time",
    "date_from_datetime_inexact": "write a date as 2024-03-31, without a time",
    "date_from_datetime_parsing": "write a date as 2024-03-31, without quotes",
    "decimal_parsing": 'write a number, e.g. 650.00 or "650.00"',
    "decimal_type": 'write a number, e.g. 650.00 or "650.00"',
    "int_parsing": "write a whole number, e.g. 12",
    "int_type": "write a whole number, e.g. 12",
    "int_from_float": "write a whole number, e.g. 12",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "string_type": 'write text in quotes, e.g. "Oxfordshire"',
    "string_too_short": "write something: it may not be empty",
    "string_too_long": "shorten it",
    "string_pattern_mismatch": "use letters, digits, - _ or . only, starting with a letter"
    " or a digit, e.g. OX-PA1",
    "list_type": 'write a list in square brackets, e.g. ["OX", "PO"]',
    "too_short": "give at least one",
    "literal_error": "use one of the values docs/terms.md lists",
    "greater_than": "make it larger",
    "greater_than_equal": "make it larger",
    "less_than": "make it smaller",
    "less_than_equal": "make it smaller",
    "model_type": "write it as a table: [name] or [[name]] with key = value lines",
    "dict_type": "write it as a table: [name] with key = value lines",
}
_WHAT: dict[str, str] = {
    "missing": "is missing",
    "extra_forbidden": "is not a key of a terms file",
    "too_short": "is empty",
    "literal_error": "is not one of the allowed values",
    "greater_than": "is out of range",
    "greater_than_equal": "is out of range",
    "less_than": "is out of range",
    "less_than_equal": "is out of range",
    "string_too_long": "is too long",
}


def _key_name(loc: tuple[object, ...], raw: object) -> str:
    """`outcomes[2].kind (OX-PA1)`: the key as the file writes it, counting tables from 1."""
    parts: list[str] = []
    node = raw
    label = ""
    for part in loc:
        if isinstance(part, int):
            parts[-1] += f"[{part + 1}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            ident = node.get("id") if isinstance(node, dict) else None
            label = f" ({ident})" if isinstance(ident, str) else label
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts) + label if parts else "(the whole file)"


def _as_written(value: object) -> str:
    """A value as the file writes it: 2023-10-12T10:00:00, 650.00, "text", true."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _bound(err: ErrorDetails) -> str:
    ctx = err.get("ctx") or {}
    bounds = (
        ("gt", "more than"),
        ("ge", "at least"),
        ("lt", "less than"),
        ("le", "at most"),
        ("max_length", "at most"),
        ("expected", "one of"),
    )
    for key, words in bounds:
        if key in ctx:
            unit = " characters" if key == "max_length" else ""
            return f"; it must be {words} {ctx[key]}{unit}"
    return ""


def terms_file_problems(exc: ValidationError, source: str, text: str) -> str:
    """Every problem pydantic found in a terms file, all at once, each with its key, its line
    and what to do, in plain words (pydantic's own text never shown)."""
    try:
        raw: object = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError:
        raw = None
    lines: list[str] = []
    for err in exc.errors():
        found = (err.get("ctx") or {}).get("error")
        if isinstance(found, DecisionProblems):
            lines += [f"  - {p}" for p in found.problems]
            continue
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        kind = err["type"]
        where = line_of(text, loc)
        at = f"line {where}, " if where else ""
        got = err.get("input")
        shown = (
            ""
            if kind == "missing" or isinstance(got, dict | list) or got is None
            else f" (it holds {_as_written(got)})"
        )
        if kind in ("value_error", "assertion_error"):
            what = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
            lines.append(f"  - {at}{_key_name(loc, raw)}: {what}" if loc else f"  - {what}")
            continue
        what = _WHAT.get(kind, "cannot be read as written")
        fix = _FIXES.get(kind, "write it as docs/terms.md shows")
        lines.append(f"  - {at}{_key_name(loc, raw)} {what}{shown}{_bound(err)}: {fix}")
    return "\n".join([f"{source}: {len(lines)} problem(s) in the contract terms:", *lines])


_NOT_A_DATE = {
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
}


def format_validation_error(exc: ValidationError, source: str) -> str:
    lines: list[str] = []
    for err in exc.errors():
        found = (err.get("ctx") or {}).get("error")
        if isinstance(found, DecisionProblems):  # each broken decision rule, with its place
            lines += [f"  - {p}" for p in found.problems]
            continue
        field = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        got = err.get("input")
        shown = "" if isinstance(got, dict | list) or got is None else f" (got {shown_value(got)})"
        if "found " in msg:  # the message names the value itself (xlsrc.model.typed)
            shown = ""
        if err["type"] in _NOT_A_DATE:  # pydantic's words are about datetimes and parsing
            msg = "must be a date, such as 01/04/2024 in a cell or 2024-04-01 in a terms file"
        if err["type"] == "missing":
            lines.append(f"  - {field}: required field is missing")
        else:
            lines.append(f"  - {field}: {msg}{shown}")
    return "\n".join([f"{source}: {len(lines)} problem(s) in the contract terms:", *lines])
