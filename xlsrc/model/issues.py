"""One issue type for every problem found in a person's data: where, which rule, what to do."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    sheet: str
    row: int  # worksheet row, 1-based; 0 when the issue is about the sheet as a whole
    column: str  # column header ("Date"), or "" for the whole row
    value: object
    code: str  # a stable rule code from xlsrc.model.rules, e.g. DATE-OUTSIDE-TERM
    severity: Severity
    message: str

    @property
    def where(self) -> str:
        col = f", column {self.column}" if self.column else ""
        row = f", row {self.row}" if self.row else ""
        return f"{self.sheet}{row}{col}"

    def __str__(self) -> str:
        return f"{self.severity.upper()} {self.code} at {self.where}: {self.message}"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["value"] = None if self.value is None else str(self.value)
        return data
