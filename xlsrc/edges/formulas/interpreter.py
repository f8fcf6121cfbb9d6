"""Compute every formula of a workbook in Python, as Excel would: the values cached in the
file so that Protected View, pandas, calamine and the portfolio see the figures.

The engine interprets the workbook's own formulas (xlsrc.edges.formulas.parser) over its own cells,
lazily and once per cell; LibreOffice's recalculation is the independent check
(tests/test_cached_values.py). Whatever it cannot compute raises `Uncomputable`, and that
cell is written without a cached value (the tests fail on any such cell).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Hashable
from functools import lru_cache

from xlsrc.edges.formulas import functions
from xlsrc.edges.formulas.operands import MISSING, Array, Ctx, Range, is_many
from xlsrc.edges.formulas.parser import FormulaSyntaxError, Node, parse
from xlsrc.edges.formulas.values import (
    DIV0,
    NAME,
    NUM,
    REF,
    VALUE,
    ErrorResult,
    Uncomputable,
    XlError,
    compare,
    to_number,
    to_text,
)
from xlsrc.edges.formulas.workbook_cells import Book, Formula, TableInfo

_BUSY = object()


class Engine:
    def __init__(self, book: Book) -> None:
        self.book = book
        self.memo: dict[tuple[str, int, int], object] = {}
        self.grids: dict[Range, tuple[tuple[object, ...], ...]] = {}
        self.masks: dict[tuple[Range, object], list[bool]] = {}
        self.name_nodes: dict[str, Node] = {}
        # Item-by-item results over ranges and arrays, by what they were computed from: the
        # same comparison or product in many formulas (AnnexA's roll-ups) is computed once.
        self.arrays: dict[tuple[Hashable, ...], object] = {}
        self._alive: list[object] = []  # arrays keyed by identity stay alive (ids unique)
        # The cells whose value depends on the day (TODAY(), directly or through any cell or
        # range they read), found as they are computed: `_open` is the cells being computed,
        # innermost last; a range read while a volatile cell was met is itself volatile.
        self.volatile: set[tuple[str, int, int]] = set()
        self._volatile_ranges: set[Range] = set()
        self._open: list[tuple[str, int, int]] = []
        self._marks = 0

    def mark_volatile(self) -> None:
        """The value being computed depends on the day: so does every cell computing it."""
        self.volatile.update(self._open)
        self._marks += 1

    def reuse(self, key: Hashable) -> None:
        """A result kept from an earlier cell is used again: if it was computed from a range
        that depends on the day, the cell using it does too."""
        ranges = (key,) if isinstance(key, Range) or not isinstance(key, tuple) else key
        if any(isinstance(r, Range) and r in self._volatile_ranges for r in ranges):
            self.mark_volatile()

    def array_key(self, value: object) -> Hashable:
        """What an operand is, as a key: a range by its cells, an array by identity (kept
        alive), a single value by type and value (TRUE and 1 differ)."""
        if isinstance(value, Range):
            return value
        if isinstance(value, Array):
            self._alive.append(value)
            return ("array", id(value))
        return (type(value).__name__, value)

    def memo_array(self, key: tuple[Hashable, ...], make: Callable[[], object]) -> object:
        got = self.arrays.get(key, MISSING)
        if got is MISSING:
            got = make()
            self.arrays[key] = got
        elif self._volatile_ranges:
            self.reuse(key)
        return got

    # ---- cells -------------------------------------------------------------------------
    def cell(self, sheet: str, row: int, col: int) -> object:
        key = (sheet, row, col)
        got = self.memo.get(key, MISSING)
        if got is _BUSY:
            raise Uncomputable(f"circular reference at {sheet}!R{row}C{col}")
        if got is not MISSING:
            if isinstance(got, Uncomputable):
                raise got
            if key in self.volatile:
                self.mark_volatile()
            return got
        grid = self.book.cells.get(sheet)
        if grid is None:
            raise ErrorResult(REF)
        raw = grid.get((row, col))
        if not isinstance(raw, Formula):
            if raw is not None and not isinstance(raw, float | str | bool | XlError):
                raise Uncomputable(f"{sheet}!R{row}C{col} holds {type(raw).__name__}")
            return raw
        self.memo[key] = _BUSY
        self._open.append(key)
        try:
            value = self.formula(raw.text, Ctx(sheet, row, col))
        except Uncomputable as exc:
            self.memo[key] = exc
            raise
        except BaseException:
            del self.memo[key]
            raise
        finally:
            self._open.pop()
        self.memo[key] = value
        return value

    def formula(self, text: str, ctx: Ctx) -> object:
        try:
            node = parse(text, ctx.row, ctx.col)
        except FormulaSyntaxError as exc:
            raise Uncomputable(f"cannot parse ={text}: {exc}") from None
        try:
            value = self.scalar(self.eval(node, ctx), ctx)
        except ErrorResult as err:
            return err.error
        return _tidy(value)

    def grid(self, rng: Range) -> tuple[tuple[object, ...], ...]:
        got = self.grids.get(rng)
        if got is None:
            marks = self._marks
            got = tuple(
                tuple(self.cell(rng.sheet, r, c) for c in range(rng.c1, rng.c2 + 1))
                for r in range(rng.r1, rng.r2 + 1)
            )
            self.grids[rng] = got
            if self._marks != marks:
                self._volatile_ranges.add(rng)
        elif rng in self._volatile_ranges:
            self.mark_volatile()
        return got

    def flat(self, value: object) -> list[object]:
        if isinstance(value, Range):
            return [v for row in self.grid(value) for v in row]
        if isinstance(value, Array):
            return [v for row in value.rows for v in row]
        return [value]

    def rows(self, value: object) -> tuple[tuple[object, ...], ...]:
        if isinstance(value, Range):
            return self.grid(value)
        if isinstance(value, Array):
            return value.rows
        return ((value,),)

    def scalar(self, value: object, ctx: Ctx) -> object:
        """A single value: a range gives its one cell, or the cell on the formula's own row
        or column (Excel's implicit intersection); an array its first item."""
        if isinstance(value, Range):
            if value.r1 == value.r2 and value.c1 == value.c2:
                return self.cell(value.sheet, value.r1, value.c1)
            if value.c1 == value.c2 and value.r1 <= ctx.row <= value.r2:
                return self.cell(value.sheet, ctx.row, value.c1)
            if value.r1 == value.r2 and value.c1 <= ctx.col <= value.c2:
                return self.cell(value.sheet, value.r1, ctx.col)
            return VALUE
        if isinstance(value, Array):
            return value.rows[0][0] if value.rows and value.rows[0] else VALUE
        return value

    # ---- nodes -------------------------------------------------------------------------
    def eval(self, node: Node, ctx: Ctx) -> object:
        kind = node[0]
        if kind in ("num", "str", "bool"):
            return node[1]
        if kind == "err":
            return XlError(node[1])
        if kind == "ref":
            r, c = self._at(node, ctx)
            return Range(self._sheet(node[1], ctx), r, c, r, c)
        if kind == "range":
            sheet = self._sheet(node[1], ctx)
            (r1, c1), (r2, c2) = self._at(node[2], ctx), self._at(node[3], ctx)
            return Range(sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
        if kind == "name":
            return self.name(node[1], ctx)
        if kind == "table":
            return self.table(node[1], node[2], ctx)
        if kind == "op":
            return self.binary(node[1], self.eval(node[2], ctx), self.eval(node[3], ctx), ctx)
        if kind == "neg":
            return self.unary(lambda x: -x, self.eval(node[1], ctx), ctx)
        if kind == "pct":
            return self.unary(lambda x: x / 100, self.eval(node[1], ctx), ctx)
        if kind == "array":
            return Array(node[1])
        if kind == "missing":
            return MISSING
        if kind == "call":
            return functions.call(self, node[1], node[2], ctx)
        raise Uncomputable(f"unknown formula part {kind}")

    def _at(self, ref: Node, ctx: Ctx) -> tuple[int, int]:
        _, _, row, col, row_abs, col_abs = ref
        r = row if row_abs else ctx.row + row
        c = col if col_abs else ctx.col + col
        if r < 1 or c < 1:
            raise ErrorResult(REF)
        return r, c

    def _sheet(self, sheet: str | None, ctx: Ctx) -> str:
        return ctx.sheet if sheet is None else self.book.sheet(sheet)

    def name(self, name: str, ctx: Ctx) -> object:
        entry = self.book.names.get(name)
        if entry is None:
            if name in self.book.tables:
                return self.table(name, "[]", ctx)
            return NAME
        local, text = entry
        node = self.name_nodes.get(name)
        if node is None:
            try:
                node = parse(text, 1, 1)
            except FormulaSyntaxError as exc:
                raise Uncomputable(f"cannot parse name {name} = {text}: {exc}") from None
            self.name_nodes[name] = node
        return self.eval(node, Ctx(local or ctx.sheet, 1, 1))

    def table(self, name: str, spec: str, ctx: Ctx) -> Range:
        info = self.book.tables.get(name)
        if info is None:
            raise ErrorResult(REF)
        return table_range(info, spec, ctx)

    # ---- operators ---------------------------------------------------------------------
    def binary(self, op: str, a: object, b: object, ctx: Ctx) -> object:
        if is_many(a) or is_many(b):
            key = (op, self.array_key(a), self.array_key(b))
            return self.memo_array(key, lambda: self._items(op, a, b))
        return _binary(op, self.scalar(a, ctx), self.scalar(b, ctx))

    def _items(self, op: str, a: object, b: object) -> Array:
        """`a op b` item by item (Excel's array arithmetic): numbers only at C speed."""
        ra, rb = self.rows(a), self.rows(b)
        fast = _ARITHMETIC.get(op)
        if fast is not None and len(ra[0]) == len(rb[0]) and len(ra) == len(rb):
            na, nb = _numbers(ra), _numbers(rb)
            if na is not None and nb is not None:
                width = len(ra[0])
                flat = list(map(fast, na, nb))
                return Array(tuple(tuple(flat[i : i + width]) for i in range(0, len(flat), width)))
        n = max(len(ra), len(rb))
        m = max(len(ra[0]), len(rb[0]))
        out = []
        for i in range(n):
            row: list[object] = []
            for j in range(m):
                x, y = _pick(ra, i, j), _pick(rb, i, j)
                try:
                    row.append(_binary(op, x, y))
                except ErrorResult as err:
                    row.append(err.error)
            out.append(tuple(row))
        return Array(tuple(out))

    def unary(self, fn: Callable[[float], float], a: object, ctx: Ctx) -> object:
        if is_many(a):
            return Array(
                tuple(
                    tuple(_safe(lambda v: fn(to_number(v)), v) for v in row) for row in self.rows(a)
                )
            )
        return fn(to_number(self.scalar(a, ctx)))


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}


def _numbers(rows: tuple[tuple[object, ...], ...]) -> list[float] | None:
    """The items as arithmetic sees them (blank 0, TRUE 1) when all are numbers, booleans
    or blanks; None otherwise (text and errors take the item-by-item path)."""
    flat = [v for row in rows for v in row]
    kinds = set(map(type, flat))
    if kinds <= {float}:
        return flat  # type: ignore[return-value]
    if kinds <= {float, bool, type(None)}:
        return [0.0 if v is None else float(v) for v in flat]  # type: ignore[arg-type]
    return None


def _safe(fn: Callable[[object], object], v: object) -> object:
    try:
        return fn(v)
    except ErrorResult as err:
        return err.error


def _pick(rows: tuple[tuple[object, ...], ...], i: int, j: int) -> object:
    if len(rows) == 1:
        i = 0
    if len(rows[0]) == 1:
        j = 0
    if i >= len(rows) or j >= len(rows[0]):
        return XlError("#N/A")
    return rows[i][j]


def _binary(op: str, x: object, y: object) -> object:
    if op == "&":
        return to_text(x) + to_text(y)
    if op in ("=", "<>", "<", ">", "<=", ">="):
        c = compare(x, y)
        return {
            "=": c == 0,
            "<>": c != 0,
            "<": c < 0,
            ">": c > 0,
            "<=": c <= 0,
            ">=": c >= 0,
        }[op]
    a, b = to_number(x), to_number(y)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            raise ErrorResult(DIV0)
        return a / b
    if op == "^":
        if a == 0 and b == 0:  # Excel: 0^0 is #NUM!
            raise ErrorResult(NUM)
        try:
            return float(a**b)
        except (OverflowError, ZeroDivisionError, TypeError):
            raise ErrorResult(NUM) from None
    raise Uncomputable(f"operator {op}")


def _tidy(value: object) -> object:
    if value is MISSING:
        return 0.0
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return NUM
        return value + 0.0  # no -0.0
    return value


@lru_cache(maxsize=1024)
def _spec(spec: str) -> tuple[str, tuple[str, ...]]:
    """(area, column names) of a structured reference's bracketed part."""
    inner = spec[1:-1].strip()
    areas: list[str] = []
    cols: list[str] = []
    if inner.startswith("@"):
        areas.append("#THIS ROW")
        inner = inner[1:].strip()
    if inner and not inner.startswith("["):
        inner = f"[{inner}]"
    items, colon, at = [], False, 0
    while at < len(inner):
        ch = inner[at]
        if ch == "[":
            end, buf = at + 1, []
            while end < len(inner) and inner[end] != "]":
                if inner[end] == "'" and end + 1 < len(inner):
                    end += 1
                buf.append(inner[end])
                end += 1
            items.append(("".join(buf).strip(), colon))
            colon, at = False, end + 1
        elif ch == ":":
            colon, at = True, at + 1
        else:
            at += 1
    for text, after_colon in items:
        if text.startswith("#"):
            areas.append(text.upper())
        elif after_colon and cols:
            cols.append(text)
        else:
            cols.append(text)
    return (areas[0] if areas else "#DATA"), tuple(cols)


def table_range(info: TableInfo, spec: str, ctx: Ctx) -> Range:
    """The range a structured reference (`[Col]`, `[[#This Row],[Col]]`, `[@Col]`,
    `[#Headers]`, `[[#Data],[A]:[B]]`, `[]`) points at."""
    area, cols = _spec(spec)
    first = info.min_row + info.header_rows
    last = info.max_row - info.totals_rows
    if area == "#THIS ROW":
        if not first <= ctx.row <= last:
            raise ErrorResult(VALUE)
        r1 = r2 = ctx.row
    elif area == "#HEADERS":
        r1 = r2 = info.min_row
    elif area == "#ALL":
        r1, r2 = info.min_row, info.max_row
    elif area == "#TOTALS":
        r1 = r2 = info.max_row
    else:
        r1, r2 = first, last
    if not cols:
        c1, c2 = info.min_col, info.max_col
    else:
        try:
            found = [info.columns[c.upper()] for c in cols]
        except KeyError:
            raise ErrorResult(REF) from None
        c1, c2 = min(found), max(found)
    return Range(info.sheet, r1, c1, r2, c2)
