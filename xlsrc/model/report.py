"""What every reporting action returns, so the CLI and the Excel adapter treat them alike."""

from __future__ import annotations

from typing import Protocol


class Report(Protocol):
    @property
    def has_problems(self) -> bool:
        """True when the command should exit 1 (errors found, invoice fails, ...)."""

    def to_text(self) -> str:
        """What a person reads in the terminal."""

    def to_json(self) -> dict[str, object]:
        """The same content for programs: money as strings, dates ISO."""
