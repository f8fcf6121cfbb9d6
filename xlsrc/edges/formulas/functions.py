"""The worksheet functions the engine computes, each as Excel 2010 defines it.

A function the workbook uses but this table lacks makes its cells `Uncomputable` (written
without a cached value; the tests fail) — add it here, with a LibreOffice-checked test.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import cast

from xlsrc.edges.formulas.operands import MISSING, Array, Ctx, Evaluator, Range, is_many
from xlsrc.edges.formulas.values import (
    DIV0,
    NA,
    NUM,
    VALUE,
    ErrorResult,
    Uncomputable,
    XlError,
    compare,
    date_to_serial,
    round_half_away,
    serial_parts,
    serial_to_date,
    to_bool,
    to_number,
    to_text,
)

# A worksheet function: its arguments computed first (Fn), or only the branch taken (Lazy).
Fn = Callable[[Evaluator, Ctx, list[object]], object]
Lazy = Callable[[Evaluator, tuple[object, ...], Ctx], object]


def call(engine: Evaluator, name: str, args: tuple[object, ...], ctx: Ctx) -> object:
    lazy = LAZY.get(name)
    if lazy is not None:
        return lazy(engine, args, ctx)
    fn = FUNCTIONS.get(name)
    if fn is None:
        raise Uncomputable(f"it uses {name}, a function calloff does not compute")
    return fn(engine, ctx, [engine.eval(a, ctx) for a in args])


# ---- lazy (only the branch taken is computed) ---------------------------------------------
def _if(engine: Evaluator, args: tuple[object, ...], ctx: Ctx) -> object:

    if not 1 <= len(args) <= 3:
        raise ErrorResult(VALUE)
    cond = to_bool(_scalar(engine, engine.eval(args[0], ctx), ctx))
    if cond:
        value = engine.eval(args[1], ctx) if len(args) > 1 else True
    else:
        value = engine.eval(args[2], ctx) if len(args) > 2 else False
    return 0.0 if value is MISSING else value


def _iferror(
    engine: Evaluator, args: tuple[object, ...], ctx: Ctx, only: XlError | None = None
) -> object:
    try:
        value = _scalar(engine, engine.eval(args[0], ctx), ctx)
    except ErrorResult as err:
        value = err.error
    if isinstance(value, XlError) and (only is None or value == only):
        return engine.eval(args[1], ctx)
    return value


def _choose(engine: Evaluator, args: tuple[object, ...], ctx: Ctx) -> object:
    k = int(to_number(_scalar(engine, engine.eval(args[0], ctx), ctx)))
    if not 1 <= k < len(args):
        raise ErrorResult(VALUE)
    return engine.eval(args[k], ctx)


LAZY: dict[str, Lazy] = {
    "IF": _if,
    "IFERROR": _iferror,
    "IFNA": lambda e, a, c: _iferror(e, a, c, NA),
    "CHOOSE": _choose,
}


# ---- helpers -----------------------------------------------------------------------------
def _scalar(engine: Evaluator, value: object, ctx: Ctx) -> object:
    return engine.scalar(value, ctx)


def _num(engine: Evaluator, ctx: Ctx, value: object) -> float:
    return to_number(_scalar(engine, value, ctx))


def _given(value: object) -> bool:

    return value is not MISSING


def _is_ref(value: object) -> bool:

    return isinstance(value, Range | Array)


def _numbers(engine: Evaluator, ctx: Ctx, args: list[object]) -> list[float]:
    """Numbers for SUM/MAX/...: from ranges only real numbers; direct arguments coerced."""
    out: list[float] = []
    for arg in args:
        if not _given(arg):
            continue
        if _is_ref(arg):
            for v in engine.flat(arg):
                if isinstance(v, XlError):
                    raise ErrorResult(v)
                if isinstance(v, float):
                    out.append(v)
        else:
            out.append(to_number(arg))
    return out


def _logicals(engine: Evaluator, args: list[object]) -> list[bool]:
    out = []
    for arg in args:
        if _is_ref(arg):
            for v in engine.flat(arg):
                if isinstance(v, XlError):
                    raise ErrorResult(v)
                if isinstance(v, bool | float):
                    out.append(bool(v))
        elif _given(arg):
            out.append(to_bool(arg))
    if not out:
        raise ErrorResult(VALUE)
    return out


# ---- criteria (SUMIFS, COUNTIFS, ...) ------------------------------------------------------
_ERROR_CODES = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!"})
_CRIT = re.compile(r"^(<=|>=|<>|<|>|=)?(.*)$", re.DOTALL)


def _as_number(text: str) -> float | None:
    try:
        return float(text.strip()) if text.strip() else None
    except ValueError:
        return None


def _wildcard(text: str) -> re.Pattern[str] | None:
    if not re.search(r"[*?~]", text):
        return None
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "~" and i + 1 < len(text):
            out.append(re.escape(text[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def predicate(crit: object) -> Callable[[object], bool]:
    """The test a criterion applies to each cell, as COUNTIF does."""
    if isinstance(crit, XlError):
        raise ErrorResult(crit)
    if crit is None:
        crit = 0.0
    if isinstance(crit, bool):
        return lambda v: isinstance(v, bool) and v == crit
    if isinstance(crit, float):
        wanted = crit
        return lambda v: (
            (isinstance(v, float) and not isinstance(v, bool) and v == wanted)
            or (isinstance(v, str) and _as_number(v) == wanted)
        )
    m = _CRIT.match(str(crit))
    assert m is not None
    op, rest = m.group(1), m.group(2)
    number = _as_number(rest)
    if rest.upper() in ("TRUE", "FALSE"):
        flag = rest.upper() == "TRUE"
        if op in (None, "="):
            return lambda v: isinstance(v, bool) and v == flag
        if op == "<>":
            return lambda v: not (isinstance(v, bool) and v == flag)
    if rest.upper() in _ERROR_CODES:  # "#N/A" is the error value, not the text
        code = rest.upper()
        if op in (None, "="):
            return lambda v: isinstance(v, XlError) and str(v) == code
        if op == "<>":
            return lambda v: not (isinstance(v, XlError) and str(v) == code)
    if op in (None, "=", "<>"):
        if rest == "":
            if op == "<>":  # not blank: empty text from a formula counts
                return lambda v: v is not None
            if op == "=":  # "=" is a blank cell; "" is a blank cell or empty text
                return lambda v: v is None
            return lambda v: v is None or v == ""
        if number is not None:

            def eq(v: object) -> bool:
                if isinstance(v, bool):
                    return False
                if isinstance(v, float):
                    return v == number
                return isinstance(v, str) and _as_number(v) == number

        else:
            pattern, low = _wildcard(rest), rest.lower()

            def eq(v: object) -> bool:
                if not isinstance(v, str):
                    return False
                return bool(pattern.fullmatch(v)) if pattern else v.lower() == low

        return (lambda v: not eq(v)) if op == "<>" else eq
    cmp = {
        "<": lambda c: c < 0,
        ">": lambda c: c > 0,
        "<=": lambda c: c <= 0,
        ">=": lambda c: c >= 0,
    }[op]
    if number is not None:
        return lambda v: (
            isinstance(v, float) and not isinstance(v, bool) and cmp((v > number) - (v < number))
        )
    low = rest.lower()
    return lambda v: isinstance(v, str) and cmp((v.lower() > low) - (v.lower() < low))


def _mask(engine: Evaluator, rng: object, crit: object) -> list[bool]:

    key = (rng, crit) if isinstance(rng, Range) else None
    if key is not None and key in engine.masks:
        engine.reuse(rng)
        return engine.masks[key]
    test = predicate(crit)
    mask = [bool(test(v)) for v in engine.flat(rng)]
    if key is not None:
        engine.masks[key] = mask
    return mask


def _shape(engine: Evaluator, value: object) -> tuple[int, int]:
    rows = engine.rows(value)
    return len(rows), len(rows[0]) if rows else 0


def _ifs(engine: Evaluator, ctx: Ctx, pairs: list[object]) -> list[bool]:
    if not pairs or len(pairs) % 2:
        raise ErrorResult(VALUE)
    shape = _shape(engine, pairs[0])
    combined: list[bool] | None = None
    for i in range(0, len(pairs), 2):
        rng, crit = pairs[i], _scalar(engine, pairs[i + 1], ctx)
        if _shape(engine, rng) != shape:
            raise ErrorResult(VALUE)
        mask = _mask(engine, rng, crit)
        combined = (
            mask if combined is None else [a and b for a, b in zip(combined, mask, strict=True)]
        )
    assert combined is not None
    return combined


def _sum_where(engine: Evaluator, values: object, mask: list[bool]) -> float:
    total = 0.0
    for v, keep in zip(engine.flat(values), mask, strict=True):
        if keep:
            if isinstance(v, XlError):
                raise ErrorResult(v)
            if isinstance(v, float):
                total += v
    return total


def _sumifs(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    total_range, pairs = args[0], args[1:]
    mask = _ifs(engine, ctx, pairs)
    if _shape(engine, total_range) != _shape(engine, pairs[0]):
        raise ErrorResult(VALUE)
    return _sum_where(engine, total_range, mask)


def _sumif(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    rng, crit = args[0], _scalar(engine, args[1], ctx)
    total = args[2] if len(args) > 2 and _given(args[2]) else rng
    return _sum_where(engine, total, _mask(engine, rng, crit))


def _countifs(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    return float(sum(_ifs(engine, ctx, list(args))))


def _countif(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:

    rng, crit = args[0], args[1]
    if _is_ref(crit):
        rows = engine.rows(crit)
        return Array(tuple(tuple(float(sum(_mask(engine, rng, c))) for c in row) for row in rows))
    return float(sum(_mask(engine, rng, _scalar(engine, crit, ctx))))


# ---- dates ---------------------------------------------------------------------------------
def _date_of(engine: Evaluator, ctx: Ctx, value: object) -> dt.date:
    v = _scalar(engine, value, ctx)
    if isinstance(v, str):
        raise ErrorResult(VALUE)
    return serial_to_date(to_number(v))


def _parts_of(engine: Evaluator, ctx: Ctx, value: object) -> tuple[int, int, int]:
    v = _scalar(engine, value, ctx)
    if isinstance(v, str):
        raise ErrorResult(VALUE)
    return serial_parts(to_number(v))


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year < 1900:
        raise ErrorResult(NUM)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _date(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    y, m, d = (math.floor(_num(engine, ctx, a)) for a in args)
    if y < 1900:
        y += 1900
    index = y * 12 + (m - 1)
    year, month = divmod(index, 12)
    if not 1900 <= year <= 9999:
        raise ErrorResult(NUM)
    return date_to_serial(dt.date(year, month + 1, 1) + dt.timedelta(days=d - 1))


def _edate(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    start = _date_of(engine, ctx, args[0])
    return date_to_serial(_add_months(start, int(_num(engine, ctx, args[1]))))


# TODAY(): the real date, unless a caller pins it (`pinned_today`, tests). A workbook built to
# ship (`as_shipped`) is the same bytes whatever the day: TODAY() is computed as a fixed day, and
# every cell depending on it is saved without a cached value, so Excel computes it on opening
# rather than showing that day's answer (docs/decisions.md, "As of").
_TODAY: ContextVar[dt.date | None] = ContextVar("calc_today", default=None)
_SHIPPED: ContextVar[bool] = ContextVar("calc_shipped", default=False)


@contextmanager
def pinned_today(day: dt.date) -> Iterator[None]:
    token = _TODAY.set(day)
    try:
        yield
    finally:
        _TODAY.reset(token)


@contextmanager
def as_shipped(day: dt.date) -> Iterator[None]:
    """Saves inside leave the cells depending on TODAY() uncached (computed as `day`)."""
    token = _SHIPPED.set(True)
    try:
        with pinned_today(day):
            yield
    finally:
        _SHIPPED.reset(token)


def day_dependent_uncached() -> bool:
    """True inside `as_shipped`: a save leaves the cells depending on TODAY() uncached."""
    return _SHIPPED.get()


def _today(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    if args:
        raise ErrorResult(VALUE)
    engine.mark_volatile()
    return date_to_serial(_TODAY.get() or dt.date.today())


def _eomonth(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    day = _add_months(
        _date_of(engine, ctx, args[0]).replace(day=1), int(_num(engine, ctx, args[1]))
    )
    return date_to_serial(day.replace(day=calendar.monthrange(day.year, day.month)[1]))


# ---- lookups -------------------------------------------------------------------------------
def _index(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    rows = engine.rows(args[0])
    n_rows, n_cols = len(rows), len(rows[0])
    r = int(_num(engine, ctx, args[1])) if len(args) > 1 and _given(args[1]) else 0
    c = int(_num(engine, ctx, args[2])) if len(args) > 2 and _given(args[2]) else 0
    if n_rows == 1 and len(args) == 2:
        r, c = 1, r
    if r == 0 or c == 0:
        if n_cols == 1 and r:
            c = 1
        elif n_rows == 1 and c:
            r = 1
        else:
            raise Uncomputable("INDEX of a whole row or column")
    if not (1 <= r <= n_rows and 1 <= c <= n_cols):
        raise ErrorResult(XlError("#REF!"))
    return rows[r - 1][c - 1]


def _match(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    target = _scalar(engine, args[0], ctx)
    values = engine.flat(args[1])
    kind = int(_num(engine, ctx, args[2])) if len(args) > 2 and _given(args[2]) else 1
    if isinstance(target, XlError):
        raise ErrorResult(target)
    if kind == 0:
        if isinstance(target, str):
            test = predicate("=" + target) if _wildcard(target) else None
            for i, v in enumerate(values, start=1):
                if test(v) if test else isinstance(v, str) and v.lower() == target.lower():
                    return float(i)
        else:
            for i, v in enumerate(values, start=1):
                if v is not None and type(v) is type(target) and compare(v, target) == 0:
                    return float(i)
        raise ErrorResult(NA)
    best = None
    for i, v in enumerate(values, start=1):
        if v is None or type(v) is not type(target):
            continue
        c = compare(v, target)
        if (kind > 0 and c <= 0) or (kind < 0 and c >= 0):
            best = i
        else:
            break
    if best is None:
        raise ErrorResult(NA)
    return float(best)


def _vlookup(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    rows = engine.rows(args[0 + 1])
    target = _scalar(engine, args[0], ctx)
    col = int(_num(engine, ctx, args[2]))
    approx = to_bool(_scalar(engine, args[3], ctx)) if len(args) > 3 and _given(args[3]) else True
    if not 1 <= col <= len(rows[0]):
        raise ErrorResult(XlError("#REF!"))

    first = Array(tuple((r[0],) for r in rows))
    at = _match(engine, ctx, [target, first, 1.0 if approx else 0.0])
    return rows[int(to_number(at)) - 1][col - 1]


def _hlookup(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    """HLOOKUP: VLOOKUP across, the first row searched and a row of the table returned."""
    rows = engine.rows(args[1])
    target = _scalar(engine, args[0], ctx)
    row = int(_num(engine, ctx, args[2]))
    approx = to_bool(_scalar(engine, args[3], ctx)) if len(args) > 3 and _given(args[3]) else True
    if row < 1:
        raise ErrorResult(VALUE)
    if row > len(rows):
        raise ErrorResult(XlError("#REF!"))
    first = Array((rows[0],))
    at = _match(engine, ctx, [target, first, 1.0 if approx else 0.0])
    return rows[row - 1][int(to_number(at)) - 1]


def _sumproduct(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    grids = [engine.rows(a) for a in args]
    shape = (len(grids[0]), len(grids[0][0]))
    if any((len(g), len(g[0])) != shape for g in grids):
        raise ErrorResult(VALUE)
    flats = [[v for row in g for v in row] for g in grids]
    if all(set(map(type, f)) <= {float} for f in flats):  # numbers only: at C speed
        numbers = cast("list[list[float]]", flats)
        products = numbers[0] if len(numbers) == 1 else map(_product, *numbers)
        return sum(products, 0.0)  # left to right, as the loop it replaces
    total = 0.0
    for i in range(shape[0]):
        for j in range(shape[1]):
            product = 1.0
            for g in grids:
                v = g[i][j]
                if isinstance(v, XlError):
                    raise ErrorResult(v)
                product *= v if isinstance(v, float) and not isinstance(v, bool) else 0.0
            total += product
    return total


# ---- TEXT ----------------------------------------------------------------------------------
_MONTHS = [calendar.month_abbr[i] for i in range(13)]
_MONTHS_LONG = [calendar.month_name[i] for i in range(13)]


def _text(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    value = _scalar(engine, args[0], ctx)
    fmt = to_text(_scalar(engine, args[1], ctx))
    if isinstance(value, str):
        number = None
        try:
            number = float(value)
        except ValueError:
            return value
        value = number
    x = to_number(value)
    m = re.fullmatch(r'("[^"]*"|£)?(#,##)?0(?:\.(0+))?(%)?', fmt)
    if m:
        prefix, comma, decimals, pct = m.groups()
        if pct:
            x *= 100
        digits = len(decimals or "")
        x = round_half_away(x, digits)
        body = f"{abs(x):,.{digits}f}" if comma else f"{abs(x):.{digits}f}"
        sign = "-" if x < 0 else ""
        return f"{sign}{(prefix or '').strip(chr(34))}{body}{'%' if pct else ''}"
    day = serial_to_date(x)
    parts = re.findall(
        r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|[^ymdhs]+", fmt, flags=re.IGNORECASE
    )
    if "".join(parts) != fmt or re.search(r"am/pm|a/p|\[", fmt, flags=re.IGNORECASE):
        raise Uncomputable(f"TEXT format {fmt!r}")
    # The time of day, to the nearest second (a day's last half second is the next day).
    seconds = round((x - math.floor(x)) * 86400)
    if seconds == 86400:
        day, seconds = serial_to_date(x + 1), 0
    hour, minute, second = seconds // 3600, seconds // 60 % 60, seconds % 60
    tokens = [p.lower() for p in parts if p.lower()[0] in "ymdhs"]
    out, k = [], -1
    for p in parts:
        low = p.lower()
        k += low[0] in "ymdhs"
        # m and mm are minutes after an hour or before a second, else the month
        if low in ("mm", "m") and (
            (k > 0 and tokens[k - 1][0] == "h") or (k + 1 < len(tokens) and tokens[k + 1][0] == "s")
        ):
            out.append(f"{minute:02d}" if low == "mm" else str(minute))
            continue
        out.append(
            {
                "hh": f"{hour:02d}",
                "h": str(hour),
                "ss": f"{second:02d}",
                "s": str(second),
                "yyyy": f"{day.year:04d}",
                "yy": f"{day.year % 100:02d}",
                "mmmm": _MONTHS_LONG[day.month],
                "mmm": _MONTHS[day.month],
                "mm": f"{day.month:02d}",
                "m": str(day.month),
                "dddd": calendar.day_name[day.weekday()],
                "ddd": calendar.day_abbr[day.weekday()],
                "dd": f"{day.day:02d}",
                "d": str(day.day),
            }.get(low, p)
        )
    return "".join(out)


# ---- the table -----------------------------------------------------------------------------
def _count(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    n = 0
    for arg in args:
        if _is_ref(arg):
            n += sum(
                1 for v in engine.flat(arg) if isinstance(v, float) and not isinstance(v, bool)
            )
        elif _given(arg):
            try:
                to_number(arg)
                n += not isinstance(arg, XlError)
            except ErrorResult:
                pass
    return float(n)


def _counta(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    n = 0
    for arg in args:
        if _is_ref(arg):
            n += sum(1 for v in engine.flat(arg) if v is not None)
        elif _given(arg):
            n += 1
    return float(n)


def _floor(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    x = _num(engine, ctx, args[0])
    sig = _num(engine, ctx, args[1]) if len(args) > 1 else 1.0
    if sig == 0:
        return 0.0
    if x > 0 > sig:
        raise ErrorResult(NUM)
    return math.floor(round(x / sig, 9)) * sig


def _ceiling(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    x = _num(engine, ctx, args[0])
    sig = _num(engine, ctx, args[1]) if len(args) > 1 else 1.0
    if sig == 0:
        return 0.0
    if x > 0 > sig:
        raise ErrorResult(NUM)
    return math.ceil(round(x / sig, 9)) * sig


def _round(mode: str) -> Fn:
    def fn(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
        x = _num(engine, ctx, args[0])
        n = int(_num(engine, ctx, args[1])) if len(args) > 1 else 0
        if mode == "half":
            return round_half_away(x, n)
        scale = 10.0**n
        y = round(x * scale, 9)
        y = math.ceil(abs(y)) if mode == "up" else math.floor(abs(y))
        return math.copysign(y / scale, x) if y else 0.0

    return fn


def _one(fn: Callable[[object], object]) -> Fn:
    """A function of one value; given a range or an array (as inside SUMPRODUCT), applied
    to each item."""

    def item(v: object) -> object:
        try:
            return fn(v)
        except ErrorResult as err:
            return err.error

    def call(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:

        if len(args) != 1:
            raise ErrorResult(VALUE)
        if is_many(args[0]):
            return Array(tuple(tuple(item(v) for v in row) for row in engine.rows(args[0])))
        return fn(_scalar(engine, args[0], ctx))

    return call


def _is_number(v: object) -> bool:
    return isinstance(v, float) and not isinstance(v, bool)


def _average(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    nums = _numbers(engine, ctx, args)
    if not nums:
        raise ErrorResult(DIV0)
    return sum(nums) / len(nums)


def _mod(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    a, b = _num(engine, ctx, args[0]), _num(engine, ctx, args[1])
    if b == 0:
        raise ErrorResult(DIV0)
    return a - b * math.floor(a / b)


def _mid(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    text = to_text(_scalar(engine, args[0], ctx))
    start, n = int(_num(engine, ctx, args[1])), int(_num(engine, ctx, args[2]))
    if start < 1 or n < 0:
        raise ErrorResult(VALUE)
    return text[start - 1 : start - 1 + n]


def _product(*values: float) -> float:
    product = 1.0
    for v in values:
        product *= v
    return product


def _count_arg(engine: Evaluator, ctx: Ctx, args: list[object]) -> int:
    n = int(_num(engine, ctx, args[1])) if len(args) > 1 else 1
    if n < 0:
        raise ErrorResult(VALUE)
    return n


def _left(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    n = _count_arg(engine, ctx, args)
    return to_text(_scalar(engine, args[0], ctx))[:n]


def _right(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    n = _count_arg(engine, ctx, args)
    text = to_text(_scalar(engine, args[0], ctx))
    return text[max(0, len(text) - n) :] if n else ""


def _exact(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    """EXACT: case-sensitive equality of two texts, item by item over arrays."""

    a, b = args[0], args[1]
    if _is_ref(a) or _is_ref(b):
        key = ("EXACT", engine.array_key(a), engine.array_key(b))
        return engine.memo_array(key, lambda: _exact_items(engine, a, b))
    return to_text(_scalar(engine, a, ctx)) == to_text(_scalar(engine, b, ctx))


def _exact_items(engine: Evaluator, a: object, b: object) -> Array:
    """EXACT item by item over a range or array (memoised by the engine)."""
    ra, rb = engine.rows(a), engine.rows(b)
    n, m = max(len(ra), len(rb)), max(len(ra[0]), len(rb[0]))

    def at(rows: tuple[tuple[object, ...], ...], i: int, j: int) -> object:
        return rows[0 if len(rows) == 1 else i][0 if len(rows[0]) == 1 else j]

    out = []
    for i in range(n):
        row: list[object] = []
        for j in range(m):
            try:
                row.append(to_text(at(ra, i, j)) == to_text(at(rb, i, j)))
            except (ErrorResult, IndexError) as exc:
                row.append(exc.error if isinstance(exc, ErrorResult) else NA)
        out.append(tuple(row))
    return Array(tuple(out))


def _value(v: object) -> object:
    if isinstance(v, float):
        return v
    if v is None:  # a blank cell is 0 (empty text is #VALUE!)
        return 0.0
    return to_number(to_text(v).replace(",", "").replace("£", ""))


# ---- WEEKDAY and text search ----------------------------------------------------------------
# WEEKDAY's return types: the weekday numbered 1 (0 for type 3), by the day the week starts on.
# Excel's serial n falls on weekday n mod 7 (0 Saturday, 1 Sunday, ...), 1900's 29 February
# included: serial 1 (1 January 1900) is a Sunday to Excel.
_WEEK_STARTS = {1: 1, 2: 2, 3: 2, **{k: k - 9 for k in range(11, 18)}}


def _weekday(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    if not 1 <= len(args) <= 2:
        raise ErrorResult(VALUE)
    v = _scalar(engine, args[0], ctx)
    if isinstance(v, str):
        raise ErrorResult(VALUE)
    serial = math.floor(to_number(v))
    kind = int(_num(engine, ctx, args[1])) if len(args) > 1 and _given(args[1]) else 1
    if serial < 0 or serial > 2958465 or kind not in _WEEK_STARTS:
        raise ErrorResult(NUM)
    day = (serial - _WEEK_STARTS[kind]) % 7
    return float(day if kind == 3 else day + 1)


def _start(engine: Evaluator, ctx: Ctx, args: list[object], at: int) -> int:
    return int(_num(engine, ctx, args[at])) if len(args) > at and _given(args[at]) else 1


def _find_args(engine: Evaluator, ctx: Ctx, args: list[object]) -> tuple[str, str, int]:
    """FIND's and SEARCH's text to find, text to look in and 1-based start."""
    find = to_text(_scalar(engine, args[0], ctx))
    within = to_text(_scalar(engine, args[1], ctx))
    start = _start(engine, ctx, args, 2)
    if start < 1 or start > len(within):  # Microsoft: past the text is #VALUE!, "" too
        raise ErrorResult(VALUE)
    return find, within, start


def _find(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    """FIND: where `find` first starts in `within` at or after `start`, case-sensitive."""
    find, within, start = _find_args(engine, ctx, args)
    at = within.find(find, start - 1)
    if at < 0:
        raise ErrorResult(VALUE)
    return float(at + 1)


def _search(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    """SEARCH: FIND without case, with the wildcards ? and * (~ before one is the character)."""
    find, within, start = _find_args(engine, ctx, args)
    pattern = _wildcard(find) or re.compile(re.escape(find), re.IGNORECASE | re.DOTALL)
    found = pattern.search(within, start - 1)
    if found is None:
        raise ErrorResult(VALUE)
    return float(found.start() + 1)


def _substitute(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    """SUBSTITUTE: every `old` (or only the `instance`th) replaced by `new`, case-sensitive."""
    if not 3 <= len(args) <= 4:
        raise ErrorResult(VALUE)
    text, old, new = (to_text(_scalar(engine, a, ctx)) for a in args[:3])
    if len(args) < 4 or not _given(args[3]):
        return text.replace(old, new) if old else text
    instance = int(_num(engine, ctx, args[3]))
    if instance < 1:
        raise ErrorResult(VALUE)
    if not old:
        return text
    at = -1
    for _ in range(instance):
        at = text.find(old, at + 1 if at < 0 else at + len(old))
        if at < 0:
            return text
    return text[:at] + new + text[at + len(old) :]


def _rept(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    text = to_text(_scalar(engine, args[0], ctx))
    n = int(_num(engine, ctx, args[1]))
    if n < 0 or len(text) * n > 32767:  # Excel's longest text in a cell
        raise ErrorResult(VALUE)
    return text * n


def _na(engine: Evaluator, ctx: Ctx, args: list[object]) -> object:
    if args:
        raise ErrorResult(VALUE)
    return NA


FUNCTIONS: dict[str, Fn] = {
    "TODAY": _today,
    "AND": lambda e, c, a: all(_logicals(e, a)),
    "OR": lambda e, c, a: any(_logicals(e, a)),
    "NOT": lambda e, c, a: not to_bool(_scalar(e, a[0], c)),
    "ISNUMBER": _one(_is_number),
    "ISTEXT": _one(lambda v: isinstance(v, str)),
    "ISBLANK": _one(lambda v: v is None),
    "ISLOGICAL": _one(lambda v: isinstance(v, bool)),
    "ISERROR": _one(lambda v: isinstance(v, XlError)),
    "ISNA": _one(lambda v: v == NA),
    "N": _one(lambda v: v if _is_number(v) else 1.0 if v is True else 0.0),
    "YEAR": lambda e, c, a: float(_parts_of(e, c, a[0])[0]),
    "MONTH": lambda e, c, a: float(_parts_of(e, c, a[0])[1]),
    "DAY": lambda e, c, a: float(_parts_of(e, c, a[0])[2]),
    "DATE": _date,
    "EDATE": _edate,
    "EOMONTH": _eomonth,
    "ROUND": _round("half"),
    "ROUNDUP": _round("up"),
    "ROUNDDOWN": _round("down"),
    "INT": lambda e, c, a: float(math.floor(_num(e, c, a[0]))),
    "ABS": lambda e, c, a: abs(_num(e, c, a[0])),
    "FLOOR": _floor,
    "CEILING": _ceiling,
    "MOD": _mod,
    "SUM": lambda e, c, a: math.fsum(_numbers(e, c, a)),
    "MAX": lambda e, c, a: max(_numbers(e, c, a), default=0.0),
    "MIN": lambda e, c, a: min(_numbers(e, c, a), default=0.0),
    "AVERAGE": _average,
    "COUNT": _count,
    "COUNTA": _counta,
    "COUNTBLANK": lambda e, c, a: float(sum(1 for v in e.flat(a[0]) if v is None or v == "")),
    "SUMIFS": _sumifs,
    "SUMIF": _sumif,
    "COUNTIFS": _countifs,
    "COUNTIF": _countif,
    "SUMPRODUCT": _sumproduct,
    "INDEX": _index,
    "MATCH": _match,
    "VLOOKUP": _vlookup,
    "ROWS": lambda e, c, a: float(len(e.rows(a[0]))),
    "COLUMNS": lambda e, c, a: float(len(e.rows(a[0])[0])),
    "TEXT": _text,
    "LEN": _one(lambda v: float(len(to_text(v)))),
    "LEFT": _left,
    "RIGHT": _right,
    "MID": _mid,
    "UPPER": _one(lambda v: to_text(v).upper()),
    "LOWER": _one(lambda v: to_text(v).lower()),
    "TRIM": _one(lambda v: " ".join(p for p in to_text(v).split(" ") if p)),
    "EXACT": _exact,
    "CONCATENATE": lambda e, c, a: "".join(to_text(_scalar(e, x, c)) for x in a),
    "VALUE": _one(_value),
    "WEEKDAY": _weekday,
    "TRUNC": _round("down"),
    "NA": _na,
    "REPT": _rept,
    "FIND": _find,
    "SEARCH": _search,
    "SUBSTITUTE": _substitute,
    "HLOOKUP": _hlookup,
}
