"""Cached values: every formula cell of a saved workbook carries the value Python computed.

openpyxl writes each formula cell with an empty value (`<f>…</f><v></v>`), which Protected
View, pandas, calamine and any reader that does not recalculate show as blank. `package`
saves the workbook to bytes and fills each `<v>` with the engine's value (number, text `str`,
boolean `b` or error `e`), as Excel writes them. Recalculation on load stays on, so Excel
recomputes once editing is enabled.

A caller that saves a workbook it loaded from a file passes `Kept` (`kept_from`): the file's
own cached values may then stand for the formula cells of a sheet, but only where that is
proven from the file itself, never assumed:
- Every save records, per sheet, a fingerprint of the sheet's inputs and formulas and of the
  cached values written with them (`_fingerprint`, in custom document properties named
  `calloff.cache.N`). A sheet whose inputs, formulas or cached values are not exactly what the
  fingerprint says (typed over in any program, edited inside the XML without recalculating,
  written by this command, or no fingerprint at all) is *changed*: all its formulas are
  computed. So is every sheet when the defined names or tables differ.
- Every sheet with a formula reading a changed sheet (by its name, a table on it or a defined
  name pointing at it) is changed too, and so on. The formulas of the other sheets that call
  TODAY()/NOW() are computed afresh (`_seed`); when one no longer gives the cached value (a
  new day), its sheet becomes changed too and the check starts again (at worst, everything
  is computed, as without `Kept`). Every other formula reads only unchanged sheets, so its
  cached value still holds.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import posixpath
import re
import zipfile
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from defusedxml import ElementTree

from xlsrc.edges.formulas.functions import day_dependent_uncached
from xlsrc.edges.formulas.interpreter import Engine
from xlsrc.edges.formulas.values import Uncomputable, XlError
from xlsrc.edges.formulas.workbook_cells import Book, Formula, read_book
from xlsrc.model.writes import column_letter

if TYPE_CHECKING:  # the package writer (xlsrc.edges.fileio.package_writer) loads no openpyxl
    from openpyxl import Workbook

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# A formula cell as openpyxl writes it: attributes, formula, empty value.
_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v\s*(?:/>|></v>)</c>')
_TYPE = re.compile(rb'\st="[^"]*"')
# A formula cell with a cached value, as any program writes it (Excel's shared formulas too).
_CACHED = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)<v>([^<]*)</v>')
_KIND = re.compile(rb'\st="([^"]*)"')
_MANUAL = re.compile(rb'<(?:\w+:)?calcPr\b[^>]*\scalcMode="manual"')

Grid = dict[tuple[int, int], object]  # (row, column) -> value


@dataclass(frozen=True)
class Kept:
    """Cached values a save may keep: `values` read from the file the workbook was loaded
    from; `changed` the sheets the caller wrote since (their formulas are always computed)."""

    values: dict[str, Grid]
    changed: frozenset[str]


def kept_from(path: Path) -> Kept | None:
    """What a save of a workbook loaded from `path` may keep (module docstring); None when
    the file cannot be read as a package (everything is then computed)."""
    try:
        return Kept(cached_values(path.read_bytes()), frozenset())
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None


@dataclass
class Computed:
    values: dict[str, dict[str, object]] = field(default_factory=dict)  # sheet -> ref -> value
    uncomputable: dict[str, str] = field(default_factory=dict)  # "Sheet!A1" -> why
    fingerprints: dict[str, str] = field(default_factory=dict)  # sheet ("*": names) -> hash
    changed: frozenset[str] = frozenset()  # the sheets whose formulas were all computed
    left_uncached: list[str] = field(default_factory=list)  # "Sheet!A1": depends on TODAY()


# The cells the saves inside `noting_uncomputed` leave without a value: a writing command says
# so (xlsrc.adapters.cli), never leaving a blank in silence.
_NOTED: ContextVar[dict[str, str] | None] = ContextVar("uncomputed_noted", default=None)


@contextmanager
def noting_uncomputed() -> Iterator[dict[str, str]]:
    """Within: "Sheet!A1" -> why, for each formula cell a save left without a cached value
    because the engine cannot compute it (the last save's word for each)."""
    found: dict[str, str] = {}
    token = _NOTED.set(found)
    try:
        yield found
    finally:
        _NOTED.reset(token)


def already_reported(cells: Iterable[str]) -> None:
    """The caller reported these cells itself ("Sheet!A1"): not noted again."""
    noted = _NOTED.get()
    if noted is not None:
        for cell in cells:
            noted.pop(cell, None)


def compute(wb: Workbook, kept: Kept | None = None) -> Computed:
    """The value of every formula cell of `wb`, as Excel would compute it (module docstring
    for `kept`)."""
    return compute_book(read_book(wb), kept, recorded_fingerprints(wb) if kept else {})


def compute_book(book: Book, kept: Kept | None, recorded: dict[str, str]) -> Computed:
    """`compute` for a workbook's cells read by any reader (openpyxl's or the package's):
    `recorded` the fingerprints its last save recorded."""
    engine, changed = Engine(book), frozenset(book.cells)
    if kept is not None:
        engine, changed = _kept_engine(book, kept, recorded)
    out = Computed(changed=changed)
    unchanged = {  # a sheet proven unchanged keeps the fingerprint recorded for it
        sheet: recorded[sheet] for sheet in book.cells if sheet not in changed and sheet in recorded
    }
    uncached = engine.volatile if day_dependent_uncached() else set()
    for sheet, grid in book.cells.items():
        values: dict[str, object] = {}
        found: Grid = {}
        for (row, col), raw in grid.items():
            if not isinstance(raw, Formula):
                continue
            ref = f"{column_letter(col)}{row}"
            try:
                value = engine.cell(sheet, row, col)
            except Uncomputable as exc:
                out.uncomputable[f"{sheet}!{ref}"] = str(exc)
                continue
            if (sheet, row, col) in uncached:
                out.left_uncached.append(f"{sheet}!{ref}")
                continue
            values[ref] = found[(row, col)] = value
        out.values[sheet] = values
        if sheet in unchanged and _holds(grid, found, kept.values.get(sheet, {}) if kept else {}):
            out.fingerprints[sheet] = unchanged[sheet]  # every value the one it was proven
        else:
            out.fingerprints[sheet] = _fingerprint(grid, found, _extent(book, sheet))
    out.fingerprints["*"] = _layout_fingerprint(book)
    noted = _NOTED.get()
    if noted is not None:
        noted.update(out.uncomputable)
    return out


def _holds(grid: dict[tuple[int, int], object], found: Grid, kept: Grid) -> bool:
    """Every formula of the sheet has a value, the one the file caches."""
    formulas = [key for key, raw in grid.items() if isinstance(raw, Formula)]
    return len(found) == len(formulas) and all(
        key in kept and found[key] == kept[key] for key in formulas
    )


def _kept_engine(book: Book, kept: Kept, recorded: dict[str, str]) -> tuple[Engine, frozenset[str]]:
    """An engine holding the kept values that are proven to hold, and the changed sheets."""
    if recorded.get("*") != _layout_fingerprint(book):
        return Engine(book), frozenset(book.cells)
    changed = set(kept.changed)
    for sheet, grid in book.cells.items():
        if sheet not in changed and recorded.get(sheet) != _fingerprint(
            grid, kept.values.get(sheet, {}), _extent(book, sheet)
        ):
            changed.add(sheet)
    while readers := {s for s, _, _ in _roots(book, frozenset(changed), volatile=False)}:
        changed |= readers  # every sheet reading a changed one, and so on: computed
    while True:
        engine = Engine(book)
        moved = _seed(engine, book, Kept(kept.values, frozenset(changed)))
        if not moved:
            return engine, frozenset(changed)
        changed |= moved  # grows every time round: at worst every sheet, all computed


def _seed(engine: Engine, book: Book, kept: Kept) -> set[str]:
    """Give the engine the kept values; the sheets of the roots that moved (none: they hold).

    The roots are the formulas that read a changed sheet (by its name, a table on it or a
    defined name pointing at it) or call a volatile function (TODAY, NOW, RAND): every other
    formula reads only unchanged sheets, and through the roots. The roots are computed afresh
    from the kept values; if each gives the value the file caches, nothing downstream of them
    moved either (the first root to move would show it), so every kept value holds."""
    roots = _roots(book, kept.changed)
    for sheet, grid in kept.values.items():
        if sheet in book.cells and sheet not in kept.changed:
            formulas = book.cells[sheet]
            engine.memo.update(
                ((sheet, row, col), value)
                for (row, col), value in grid.items()
                if isinstance(formulas.get((row, col)), Formula) and (sheet, row, col) not in roots
            )
    moved: set[str] = set()
    for sheet, row, col in sorted(roots):
        old = kept.values.get(sheet, {}).get((row, col), _NONE)
        if old is _NONE:
            moved.add(sheet)
            continue
        try:
            new = engine.cell(sheet, row, col)
        except Uncomputable:
            moved.add(sheet)
            continue
        if cell_value(new) != cell_value(old):
            moved.add(sheet)
    return moved


# ---- fingerprints: what the cached values of a sheet were computed from ------------------
FINGERPRINT_PROPERTY = "calloff.cache"
_PER_PROPERTY = 12  # sheets per property: each value stays within Excel's 255 characters
_KEY = 8  # characters naming the sheet a fingerprint is for (`_title_key`)
_HASH = 12  # characters of a fingerprint


def _fingerprint(grid: dict[tuple[int, int], object], values: Grid, extent: str = "") -> str:
    """A sheet's inputs, formulas and the cached value of each formula, and how far its
    tables reach (`_extent`), as one short hash."""
    h = hashlib.blake2b(digest_size=9)
    h.update(extent.encode())
    for key in sorted(grid):
        raw = grid[key]
        if isinstance(raw, Formula):
            got = values.get(key, _NONE)
            kind, text = ("none", "") if got is _NONE else cell_value(got)
            h.update(f"{key}={raw.text}\0{kind}\0{text}\1".encode())
        else:
            h.update(f"{key}:{type(raw).__name__}:{raw!r}\1".encode())
    return base64.urlsafe_b64encode(h.digest()).decode()


def _layout_fingerprint(book: Book) -> str:
    """The defined names and the tables: each table's sheet, columns and first row, not its
    last (a row added to a table changes its sheet's fingerprint, `_extent`, so its readers
    are computed, not every sheet). Not the sheets: each sheet's fingerprint is recorded under
    its title (`fingerprint_properties`), so a sheet added (a return) is a changed sheet and
    its readers are computed, and a sheet gone or renamed leaves nothing proven."""
    h = hashlib.blake2b(digest_size=9)
    h.update(repr(sorted(book.names.items())).encode())
    tables = sorted((n, repr(replace(t, max_row=0))) for n, t in book.tables.items())
    h.update(repr(tables).encode())
    return base64.urlsafe_b64encode(h.digest()).decode()


def _extent(book: Book, sheet: str) -> str:
    """The last row of each table on `sheet`."""
    return repr(sorted((n, t.max_row) for n, t in book.tables.items() if t.sheet == sheet))


def recorded_fingerprints(wb: Workbook) -> dict[str, str]:
    """Sheet ("*" the layout) -> fingerprint, as the last save recorded them; {} if none."""
    text = "".join(
        str(prop.value)
        for prop in sorted(
            (p for p in wb.custom_doc_props.props if _is_fingerprint(p.name)),
            key=lambda p: int(p.name.rsplit(".", 1)[1]),
        )
    )
    return fingerprints_from(text, [ws.title for ws in wb.worksheets])


def fingerprints_from(text: str, titles: list[str]) -> dict[str, str]:
    """The recorded properties' text (joined in order) read against the sheets' titles: {}
    (nothing proven, everything computed) when a sheet recorded is gone or renamed, or the
    record is of another form (an older calloff's)."""
    parts = text.split(".") if text else []
    keys = {_title_key(title): title for title in titles}
    if not parts or len(keys) != len(titles):
        return {}
    out = {"*": parts[0]}
    for part in parts[1:]:
        title = keys.get(part[:_KEY])
        if title is None or title in out or len(part) != _KEY + _HASH:
            return {}
        out[title] = part[_KEY:]
    return out


def _title_key(title: str) -> str:
    """A sheet's title as 8 characters (two titles alike by chance: 1 in 2**48)."""
    return base64.urlsafe_b64encode(
        hashlib.blake2b(title.encode(), digest_size=6).digest()
    ).decode()


def record_fingerprints(wb: Workbook, fingerprints: dict[str, str]) -> None:
    """Store `fingerprints` in `wb`'s custom document properties (replacing older ones)."""
    from openpyxl.packaging.custom import StringProperty

    for name in [p.name for p in wb.custom_doc_props.props if _is_fingerprint(p.name)]:
        del wb.custom_doc_props[name]
    for name, text in fingerprint_properties(fingerprints, [ws.title for ws in wb.worksheets]):
        wb.custom_doc_props.append(StringProperty(name=name, value=text))


def fingerprint_properties(
    fingerprints: dict[str, str], titles: list[str]
) -> list[tuple[str, str]]:
    """(property name, text) of each custom document property recording `fingerprints`."""
    hashes = [fingerprints["*"], *(_title_key(title) + fingerprints[title] for title in titles)]
    out = []
    for n, at in enumerate(range(0, len(hashes), _PER_PROPERTY), start=1):
        chunk = hashes[at : at + _PER_PROPERTY]
        text = ".".join(chunk) + ("." if at + _PER_PROPERTY < len(hashes) else "")
        out.append((f"{FINGERPRINT_PROPERTY}.{n}", text))
    return out


def _is_fingerprint(name: str | None) -> bool:
    prefix = FINGERPRINT_PROPERTY + "."
    return name is not None and name.startswith(prefix) and name[len(prefix) :].isdigit()


_NONE = object()
_VOLATILE = re.compile(r"\b(?:TODAY|NOW|RAND|RANDBETWEEN)\s*\(")


def _roots(
    book: Book, changed_sheets: frozenset[str], *, volatile: bool = True
) -> set[tuple[str, int, int]]:
    """Formula cells, off the changed sheets, that read them (by the formula's text: a name
    that merely contains a sheet's counts too, erring towards computing) or, with `volatile`,
    call a volatile function."""
    changed = {s.upper() for s in changed_sheets}
    words = set(changed)
    words |= {name for name, table in book.tables.items() if table.sheet.upper() in changed}
    words |= {
        name
        for name, (local, text) in book.names.items()
        if (local or "").upper() in changed or any(s in text.upper() for s in changed)
    }
    if not words and not volatile:
        return set()
    out: set[tuple[str, int, int]] = set()
    for sheet, grid in book.cells.items():
        if sheet.upper() in changed:
            continue
        keys = [key for key, raw in grid.items() if isinstance(raw, Formula)]
        # Every formula's text on one line of one string, searched at C speed; a hit is
        # placed in its formula by where the formula ends.
        texts = [grid[key].text.upper() for key in keys]  # type: ignore[attr-defined]
        joined = "\n".join(texts)
        ends = list(accumulate(len(t) + 1 for t in texts))
        hits: set[int] = set()
        for word in words:
            at = joined.find(word)
            while at >= 0:
                i = bisect_right(ends, at)
                hits.add(i)
                at = joined.find(word, ends[i])
        if volatile:
            hits |= {bisect_right(ends, m.start()) for m in _VOLATILE.finditer(joined)}
        out |= {(sheet, *keys[i]) for i in hits}
    return out


def cached_values(data: bytes) -> dict[str, Grid]:
    """Sheet -> (row, column) -> the cached value of each formula cell that has one, in the
    engine's types (numbers float, text, booleans, errors), read from a saved workbook.

    Nothing from a workbook set to calculate manually: a program saving it need not have
    recalculated, so its values may be stale."""
    out: dict[str, Grid] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if _MANUAL.search(archive.read("xl/workbook.xml")):
            return {}
        for part, sheet in _sheet_parts(archive).items():
            grid: Grid = {}
            for ref, attrs, text in _CACHED.findall(archive.read(part)):
                kind = _KIND.search(attrs)
                value = _typed(kind[1] if kind else b"n", html.unescape(text.decode("utf-8")))
                if value is not None:
                    grid[_position(ref.decode())] = value
            out[sheet] = grid
    return out


def _position(ref: str) -> tuple[int, int]:
    """ "B12" -> (12, 2)."""
    letters = ref.rstrip("0123456789")
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(ref[len(letters) :]), column


def _typed(kind: bytes, text: str) -> object:
    """A cached <v> as the engine holds it; None when there is none (openpyxl writes an empty
    <v> with no type) or for a kind taken as no value. Empty text typed "str" is ""."""
    if kind == b"n":
        try:
            return float(text)
        except ValueError:
            return None
    if kind == b"str":
        return text
    if kind == b"b":
        return text == "1"
    if kind == b"e":
        return XlError(text)
    return None  # "s" (shared string) or "inlineStr": computed again


def package(wb: Workbook, kept: Kept | None = None) -> bytes:
    """The workbook saved as .xlsx/.xlsm bytes, each formula cell with its cached value."""
    computed = compute(wb, kept)
    record_fingerprints(wb, computed.fingerprints)
    raw = io.BytesIO()
    wb.save(raw)
    return with_cached_values(raw.getvalue(), computed)


def with_cached_values(data: bytes, computed: Computed) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = _sheet_parts(src)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                body = src.read(info)
                sheet = parts.get(info.filename)
                if sheet is not None and computed.values.get(sheet):
                    body = _fill(body, computed.values[sheet])
                dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name -> sheet title."""
    root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iter(f"{{{_REL}}}Relationship"):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(part)
    return {
        targets[s.get(_R_ID)]: s.get("name", "")
        for s in root.iter(f"{{{_MAIN}}}sheet")
        if s.get(_R_ID) in targets
    }


def _fill(body: bytes, values: dict[str, object]) -> bytes:
    def replace(m: re.Match[bytes]) -> bytes:
        ref = m.group(1).decode()
        if ref not in values:
            return m.group(0)
        kind, text = cell_value(values[ref])
        attrs = _TYPE.sub(b"", m.group(2))
        if kind:
            attrs += b' t="' + kind.encode() + b'"'
        return (
            b'<c r="'
            + m.group(1)
            + b'"'
            + attrs
            + b"><f>"
            + m.group(3)
            + b"</f><v>"
            + escape(text).encode("utf-8")
            + b"</v></c>"
        )

    return _CELL.sub(replace, body)


def cell_value(value: object) -> tuple[str, str]:
    """(cell type attribute, <v> text) for a computed value, as Excel writes it."""
    if value is None:
        return "", "0"
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, float):
        return "", repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, XlError):
        return "e", value.code
    return "str", str(value)
