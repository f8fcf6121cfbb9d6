"""Gnumeric (`ssconvert`) as a second spreadsheet engine beside LibreOffice, for the tests.

Gnumeric 1.12 reads an xlsx's formulas but not its tables: a structured reference
(`Tracker[Cost]`, `Tracker[[#This Row],[Days]]`) comes back as an error. So Gnumeric is handed
a copy of the workbook with every structured reference rewritten to the A1 range it names
(`'Tracker'!$I$5:$I$404`, `'Tracker'!$F5`), read from the file's own table parts; the product
is never changed for it. `ssconvert --recalc` then computes every formula of that copy and
writes its own xlsx, whose values are read back like LibreOffice's.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, unescape

from defusedxml import ElementTree
from openpyxl.utils.cell import get_column_letter, range_boundaries

from xlsrc.edges.workbook.structure import NS, sheets

R_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def available() -> str | None:
    return shutil.which("ssconvert")


@dataclass(frozen=True)
class Table:
    sheet: str
    columns: tuple[str, ...]  # header names, in order
    first_col: int
    top: int  # the header row (or the first data row when there is no header)
    bottom: int
    headers: int
    totals: int

    def rows(self, items: set[str], row: int) -> tuple[int, int]:
        first_data, last_data = self.top + self.headers, self.bottom - self.totals
        if "#this row" in items:
            return row, row
        if "#all" in items:
            return self.top, self.bottom
        spans = []
        if "#headers" in items:
            spans.append((self.top, self.top + self.headers - 1))
        if "#data" in items or not items & {"#headers", "#totals"}:
            spans.append((first_data, last_data))
        if "#totals" in items:
            spans.append((last_data + 1, self.bottom))
        return min(a for a, _ in spans), max(b for _, b in spans)

    def column(self, name: str) -> int:
        lowered = [c.lower() for c in self.columns]
        if name.lower() not in lowered:
            raise ValueError(f"no column {name!r} in a table of {self.sheet}")
        return self.first_col + lowered.index(name.lower())


def tables(archive: zipfile.ZipFile) -> dict[str, Table]:
    """Table name (lower case) -> where it stands, from the table parts of every sheet."""
    out: dict[str, Table] = {}
    for sheet, part in sheets(archive).items():
        rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
        if rels not in archive.namelist():
            continue
        for rel in ElementTree.fromstring(archive.read(rels)).iter(f"{{{R_NS}}}Relationship"):
            if not rel.get("Type", "").endswith("/table"):
                continue
            target = rel.get("Target", "")
            target = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
            )
            root = ElementTree.fromstring(archive.read(target))
            left, top, _, bottom = range_boundaries(root.get("ref"))
            columns = tuple(
                c.get("name") for c in root.iterfind("m:tableColumns/m:tableColumn", NS)
            )
            out[root.get("displayName", root.get("name")).lower()] = Table(
                sheet,
                columns,
                left,
                top,
                bottom,
                int(root.get("headerRowCount", "1")),
                int(root.get("totalsRowCount", "0")),
            )
    return out


_NAME = re.compile(r"[A-Za-z_\\][A-Za-z0-9_.\\]*\[")


def _bracket(text: str, start: int) -> int:
    """The index just past the bracket that opens at `start` (nested brackets, ' escapes)."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch == "'":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unclosed [ in {text!r}")


def _items(inner: str) -> list[str]:
    """`[#This Row],[Days]` -> ['#This Row', 'Days']; `Days` -> ['Days']; `[A]:[B]` kept
    as one item 'A]:[B'."""
    inner = inner.strip()
    if inner.startswith("@"):  # [@Days] is [#This Row],[Days]
        rest = inner[1:].strip()
        return ["#This Row"] + ([rest[1:-1] if rest.startswith("[") else rest] if rest else [])
    if not inner.startswith("["):
        return [inner] if inner else []
    out, i = [], 0
    while i < len(inner):
        if inner[i] in ", ":
            i += 1
            continue
        end = _bracket(inner, i)
        if inner[end : end + 1] == ":":
            end = _bracket(inner, end + 1)
        out.append(inner[i + 1 : end - 1])
        i = end
    return out


def _unescape_column(name: str) -> str:
    return re.sub(r"'(.)", r"\1", name)


def a1(reference: str, table: Table, row: int) -> str:
    """One structured reference (its bracket part) as the A1 range it names."""
    items = _items(reference[1:-1])
    specials = {i.lower() for i in items if i.startswith("#")}
    columns = [i for i in items if not i.startswith("#")]
    top, bottom = table.rows(specials, row)
    if columns:
        (spec,) = columns
        first, _, last = spec.partition("]:[")
        left = table.column(_unescape_column(first))
        right = table.column(_unescape_column(last)) if last else left
    else:
        left, right = table.first_col, table.first_col + len(table.columns) - 1
    sheet = "'" + table.sheet.replace("'", "''") + "'!"
    row_mark = "" if specials == {"#this row"} else "$"

    def cell(col: int, r: int) -> str:
        return f"${get_column_letter(col)}{row_mark}{r}"

    if (left, top) == (right, bottom):
        return sheet + cell(left, top)
    return f"{sheet}{cell(left, top)}:{cell(right, bottom)}"


def rewrite(formula: str, found: dict[str, Table], row: int) -> str:
    """`formula` with every structured reference replaced by its A1 range (string literals
    and quoted sheet names left alone)."""
    out, i = [], 0
    while i < len(formula):
        ch = formula[i]
        if ch in "\"'":
            end = i + 1
            while end < len(formula):
                if formula[end] == ch:
                    if formula[end + 1 : end + 2] == ch:
                        end += 2
                        continue
                    break
                end += 1
            out.append(formula[i : end + 1])
            i = end + 1
            continue
        match = _NAME.match(formula, i)
        before = formula[i - 1] if i else ""
        if match and not (before.isalnum() or before in "_.!") and match[0][:-1].lower() in found:
            table = found[match[0][:-1].lower()]
            end = _bracket(formula, match.end() - 1)
            out.append(a1(formula[match.end() - 1 : end], table, row))
            i = end
            continue
        out.append(ch)
        i += 1
    return "".join(out)


_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)
_FORMULA = re.compile(r"(<f(?:\s[^>]*)?>)(.*?)(</f>)", re.S)


def without_tables(src: Path, out: Path) -> Path:
    """A copy of `src` with its structured references rewritten to A1 (cell formulas and
    defined names) and every formula cell's cached value dropped."""
    with zipfile.ZipFile(src) as archive:
        found = tables(archive)
        parts = set(sheets(archive).values())
        infos = archive.infolist()
        bodies = {i.filename: archive.read(i) for i in infos}

    def cell(match: re.Match[str]) -> str:
        text, row = match[0], int(match[2])
        f = _FORMULA.search(text)
        if f is None:
            return text
        formula = rewrite(unescape(f[2]), found, row)
        head = re.sub(r'\st="\w+"', "", text[: text.index(">") + 1])
        opening = f[1]
        if "SUMPRODUCT(" in formula.upper() and "t=" not in opening:
            # Excel evaluates SUMPRODUCT's arguments as arrays (EXACT(range, x), MAX(range
            # * range) inside it); Gnumeric does so only in an array formula.
            opening = f'<f t="array" ref="{match[1]}{row}">'
        return f"{head}{opening}{escape(formula)}{f[3]}</c>"

    for name in parts:
        bodies[name] = _CELL.sub(cell, bodies[name].decode("utf-8")).encode("utf-8")
    workbook = bodies["xl/workbook.xml"].decode("utf-8")
    bodies["xl/workbook.xml"] = re.sub(
        r"(<definedName\b[^>]*>)(.*?)(</definedName>)",
        lambda m: m[1] + escape(rewrite(unescape(m[2]), found, 1)) + m[3],
        workbook,
        flags=re.S,
    ).encode("utf-8")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in infos:
            dst.writestr(info, bodies[info.filename])
    return out


def recalculate(src: Path, out: Path, timeout: float = 300) -> Path:
    """Gnumeric's own computation of every formula of `src` (tables rewritten), as xlsx."""
    plain = without_tables(src, out.with_name(out.stem + "-a1.xlsx"))
    done = subprocess.run(
        ["ssconvert", "--recalc", str(plain), str(out)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"ssconvert failed on {src}: {done.stderr.strip()[-500:]}")
    return out
