"""What formulas compute with, shared by the interpreter and the worksheet functions: a range
reference, an array of values, where a formula sits, and the one marker for an argument left out.

The interpreter (xlsrc.edges.formulas.interpreter) evaluates formulas into these; the functions
(xlsrc.edges.formulas.functions) take them through the `Evaluator` protocol, so neither module
imports the other's body.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol


class Range(NamedTuple):
    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int

    @property
    def shape(self) -> tuple[int, int]:
        return self.r2 - self.r1 + 1, self.c2 - self.c1 + 1


class Array(NamedTuple):
    rows: tuple[tuple[object, ...], ...]

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.rows[0]) if self.rows else 0


@dataclass(frozen=True)
class Ctx:
    sheet: str
    row: int
    col: int


MISSING = object()


def is_many(v: object) -> bool:
    """True for an array or a range of more than one cell."""
    return isinstance(v, Array) or (isinstance(v, Range) and v.shape != (1, 1))


class Evaluator(Protocol):
    """What the worksheet functions ask of the interpreter."""

    def eval(self, node: Any, ctx: Ctx) -> object: ...

    def scalar(self, value: object, ctx: Ctx) -> object: ...

    def rows(self, value: object) -> tuple[tuple[object, ...], ...]: ...

    def flat(self, value: object) -> list[object]: ...

    @property
    def masks(self) -> dict[tuple[Range, object], list[bool]]:
        """COUNTIF criteria already matched over a range, kept for the next cell."""

    def mark_volatile(self) -> None:
        """The value being computed depends on the day (TODAY())."""

    def reuse(self, key: Hashable) -> None:
        """A result kept from an earlier cell (a COUNTIF mask, an array) is used again."""

    def array_key(self, value: object) -> Hashable:
        """An operand as a key for `memo_array` (a range by its cells, an array by identity)."""
        ...

    def memo_array(self, key: tuple[Hashable, ...], make: Callable[[], object]) -> object:
        """An item-by-item result already computed from the same operands, or `make()`."""
        ...
