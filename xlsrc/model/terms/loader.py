"""Load a terms file into `Terms`, turning every failure into one readable TermsError."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from xlsrc.model.errors import TermsError
from xlsrc.model.terms.effective import DecisionProblems
from xlsrc.model.terms.models import Terms
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
    return terms_from_mapping(raw, source=str(source))


def terms_from_mapping(raw: dict, source: str = "terms") -> Terms:
    try:
        return Terms.model_validate(raw)
    except ValidationError as exc:
        raise TermsError(format_validation_error(exc, source)) from None


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
        if err["type"] == "missing":
            lines.append(f"  - {field}: required field is missing")
        else:
            lines.append(f"  - {field}: {msg}{shown}")
    return "\n".join([f"{source}: {len(lines)} problem(s) in the contract terms:", *lines])
