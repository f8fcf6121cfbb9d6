"""Excel formulas as trees: tokenise, parse, and make cell references relative to the host.

A formula is parsed once per *shape*: references are stored as offsets from the cell that
holds the formula (absolute parts stay absolute), so the 400 `Cost` formulas of a Tracker,
which differ only in their row, share one tree.

Nodes are tuples; the first item names the kind:
  ("num", float) ("str", text) ("bool", b) ("err", code) ("array", rows)
  ("ref", sheet|None, row, col, row_abs, col_abs)       one cell
  ("range", sheet|None, ref, ref)                       two "ref" nodes joined by ':'
  ("name", NAME)                                        a defined name
  ("table", TABLE, spec)                                a structured reference
  ("call", FUNC, args) ("op", sym, left, right) ("neg", x) ("pct", x) ("missing",)
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from xlsrc.model.writes import column_number as column_index_from_string


class FormulaSyntaxError(ValueError):
    pass


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<err>\#(?:N/A|VALUE!|REF!|DIV/0!|NUM!|NAME\?|NULL!))
  | (?P<sheet>(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)
  | (?P<cell>\$?[A-Za-z]{1,3}\$?[0-9]+)(?![\w(\[.])
  | (?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<table>[A-Za-z_\\][\w.]*\[(?:[^\[\]]|\[(?:[^\[\]]|'.)*\])*\])
  | (?P<func>[A-Za-z_][\w.]*)(?=\()
  | (?P<name>[A-Za-z_\\][\w.]*)
  | (?P<op><=|>=|<>|[-+*/^&=<>%(),:{};])
    """,
    re.VERBOSE,
)
_CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)([0-9]+)")

# Binary operators: precedence (higher binds tighter).
_BINARY = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "&": 2, "+": 3, "-": 3}
_BINARY |= {"*": 4, "/": 4, "^": 5}


# A parsed formula: a tuple whose first item names the kind (see above), the rest its parts.
Node = tuple[Any, ...]


def tokens(text: str) -> list[tuple[str, str]]:
    out, at = [], 0
    while at < len(text):
        m = _TOKEN.match(text, at)
        if m is None:
            raise FormulaSyntaxError(f"cannot read {text[at : at + 20]!r}")
        at = m.end()
        if m.lastgroup != "ws":
            out.append((m.lastgroup or "", m.group()))
    return out


def shape(text: str, row: int, col: int) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The formula's tokens with cell references made relative to (row, col): the cache key."""
    out = []
    for kind, value in tokens(text):
        if kind == "cell":
            m = _CELL.fullmatch(value)
            assert m is not None
            c_abs, letters, r_abs, digits = m.groups()
            c = column_index_from_string(letters.upper())
            r = int(digits)
            value = f"{r_abs}{r if r_abs else r - row},{c_abs}{c if c_abs else c - col}"
        out.append((kind, value))
    return text, tuple(out)


@lru_cache(maxsize=4096)
def parse_shape(shaped: tuple[tuple[str, str], ...]) -> Node:
    return _Parser(list(shaped)).parse()


# A quick key for a formula's shape: string literals as they are, every cell reference
# relative to the host; one regular-expression pass, so only new shapes are tokenised.
_KEY = re.compile(
    r""""(?:[^"]|"")*"|'(?:[^']|'')+'"""
    r"|(?<![\w$.])(\$?)([A-Za-z]{1,3})(\$?)([0-9]+)(?![\w(\[.!])"
)
_BY_KEY: dict[str, Node] = {}


def parse(text: str, row: int, col: int) -> Node:
    """The tree of `text` (without its leading '='), references relative to (row, col)."""

    def relative(m: re.Match[str]) -> str:
        if m.group(2) is None:
            return m.group(0)
        c_abs, letters, r_abs, digits = m.groups()
        c = column_index_from_string(letters.upper())
        r = int(digits)
        return f"\x00{r_abs}{r if r_abs else r - row},{c_abs}{c if c_abs else c - col}\x00"

    key = _KEY.sub(relative, text)
    tree = _BY_KEY.get(key)
    if tree is None:
        tree = parse_shape(shape(text, row, col)[1])
        if len(_BY_KEY) < 65536:
            _BY_KEY[key] = tree
    return tree


class _Parser:
    def __init__(self, toks: list[tuple[str, str]]) -> None:
        self.toks = toks
        self.at = 0

    def peek(self) -> tuple[str, str]:
        return self.toks[self.at] if self.at < len(self.toks) else ("end", "")

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        self.at += 1
        return tok

    def expect(self, value: str) -> None:
        kind, got = self.take()
        if got != value or kind != "op":
            raise FormulaSyntaxError(f"expected {value!r}, found {got!r}")

    def parse(self) -> Node:
        node = self.expr(0)
        if self.peek()[0] != "end":
            raise FormulaSyntaxError(f"unexpected {self.peek()[1]!r}")
        return node

    def expr(self, min_prec: int) -> Node:
        left = self.unary()
        while True:
            kind, op = self.peek()
            prec = _BINARY.get(op) if kind == "op" else None
            if prec is None or prec < min_prec:
                return left
            self.take()
            right = self.expr(prec + 1)
            left = ("op", op, left, right)

    def unary(self) -> Node:
        kind, value = self.peek()
        if kind == "op" and value in "+-":
            self.take()
            inner = self.unary()
            return ("neg", inner) if value == "-" else inner
        node = self.postfix()
        return node

    def postfix(self) -> Node:
        node = self.primary()
        while self.peek() == ("op", "%"):
            self.take()
            node = ("pct", node)
        return node

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "num":
            return ("num", float(value))
        if kind == "str":
            return ("str", value[1:-1].replace('""', '"'))
        if kind == "err":
            return ("err", value)
        if kind == "op" and value == "(":
            node = self.expr(0)
            self.expect(")")
            return node
        if kind == "op" and value == "{":
            return self.array()
        if kind == "func":
            return self.call(value.upper())
        if kind == "sheet":
            sheet = value[:-1]
            if sheet.startswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
            k2, v2 = self.take()
            if k2 == "cell":
                return self.maybe_range(self.ref(sheet, v2))
            if k2 == "name":
                return ("name", v2.upper())
            raise FormulaSyntaxError(f"expected a reference after {value!r}")
        if kind == "cell":
            return self.maybe_range(self.ref(None, value))
        if kind == "table":
            name, spec = value.split("[", 1)
            return ("table", name.upper(), "[" + spec)
        if kind == "name":
            upper = value.upper()
            if upper in ("TRUE", "FALSE"):
                return ("bool", upper == "TRUE")
            return ("name", upper)
        raise FormulaSyntaxError(f"unexpected {value!r}")

    def ref(self, sheet: str | None, shaped: str) -> Node:
        r, c = shaped.split(",")
        return ("ref", sheet, int(r.lstrip("$")), int(c.lstrip("$")), r[0] == "$", c[0] == "$")

    def maybe_range(self, first: Node) -> Node:
        if self.peek() == ("op", ":") and self.toks[self.at + 1][0] == "cell":
            self.take()
            _, value = self.take()
            return ("range", first[1], first, self.ref(first[1], value))
        return first

    def call(self, name: str) -> Node:
        self.expect("(")
        args: list = []
        if self.peek() == ("op", ")"):
            self.take()
            return ("call", name, tuple(args))
        while True:
            if self.peek() in (("op", ","), ("op", ")")):
                args.append(("missing",))
            else:
                args.append(self.expr(0))
            kind, value = self.take()
            if value == ")" and kind == "op":
                return ("call", name, tuple(args))
            if value != "," or kind != "op":
                raise FormulaSyntaxError(f"expected ',' or ')' in {name}(), found {value!r}")

    def array(self) -> Node:
        rows: list[list] = [[]]
        while True:
            node = self.unary()
            if node[0] not in ("num", "str", "bool", "err"):
                raise FormulaSyntaxError("array constants hold only constants")
            rows[-1].append(node[1])
            _, value = self.take()
            if value == "}":
                return ("array", tuple(tuple(r) for r in rows))
            if value == ";":
                rows.append([])
            elif value != ",":
                raise FormulaSyntaxError(f"unexpected {value!r} in an array constant")
