"""Build the hostile-input corpus: broken and malicious workbooks, made from a good one.

    python tests/hostile/make_corpus.py OUT_FOLDER [--base WORKBOOK]

Nothing binary is committed: every file is made here, most by rewriting one XML part of
the base workbook (by default the bundled example, built with `calloff demo`). CASES says,
for each file, what `calloff validate` must answer and why; tests/test_hostile.py runs them.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# name -> (exit codes `calloff validate` may give, why). 2: the file is refused in one line;
# 0/1: the file is a readable workbook and validation reports on it (1 = errors found).
CASES: dict[str, tuple[tuple[int, ...], str]] = {
    "truncated.xlsx": ((2,), "a zip cut in half: damaged"),
    "not_a_zip.xlsx": ((2,), "text with an .xlsx name"),
    "empty.xlsx": ((2,), "zero bytes"),
    "xls_renamed.xlsx": ((2,), "an OLE (.xls) file renamed .xlsx"),
    "password_protected.xlsx": ((2,), "OLE container with EncryptionInfo, as Excel encrypts"),
    "zip_without_workbook.xlsx": ((2,), "a zip, but no xl/workbook.xml"),
    "zip_bomb_part.xlsx": ((2,), "one sheet part of 210 MB uncompressed: refused before unpacking"),
    "zip_bomb_ratio.xlsx": ((2,), "60 MB of one byte: compression ratio far over 100:1"),
    "entities_workbook.xlsx": ((2,), "billion-laughs entities in workbook.xml: refused"),
    "external_entity_sheet.xlsx": ((2,), "an external entity (file:///etc/passwd) in the Tracker"),
    "million_rows.xlsx": ((2,), "a Tracker table of 1,000,000 rows: over the row limit"),
    "merged_cells.xlsx": ((0, 1), "merged cells over Tracker rows: read cell by cell"),
    "formulas_in_data.xlsx": ((0, 1), "formulas typed in data cells: their cached values or blank"),
    "hidden_rows.xlsx": ((0, 1), "hidden Tracker rows are still validated"),
    "external_link.xlsx": ((0, 1), "a link to another workbook: never followed"),
    "tracker_renamed.xlsx": ((2,), "the Tracker table renamed: 'has no Excel table named'"),
    "tracker_missing.xlsx": ((2,), "the Tracker table removed"),
    "wrong_column_order.xlsx": ((2,), "Tracker columns Advisor and Date swapped"),
    "tracker_without_cost.xlsx": ((2,), "the Tracker table's Cost column removed"),
    "all_sheets_hidden.xlsx": ((0, 1, 2), "every sheet hidden: read, but never written"),
}


def make_corpus(out: Path, base: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    data = base.read_bytes()
    sheet, table = _tracker_parts(base)
    makers: dict[str, Callable[[Path], None]] = {
        "truncated.xlsx": lambda p: p.write_bytes(data[: len(data) // 2]),
        "not_a_zip.xlsx": lambda p: p.write_text("Date,Advisor\n2024-01-02,RK-01\n"),
        "empty.xlsx": lambda p: p.write_bytes(b""),
        "xls_renamed.xlsx": lambda p: p.write_bytes(OLE_MAGIC + b"\0" * 504 + b"Workbook" * 64),
        "password_protected.xlsx": lambda p: p.write_bytes(
            OLE_MAGIC + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 2048
        ),
        "zip_without_workbook.xlsx": lambda p: _zip(p, {"hello.txt": b"hi"}),
        "zip_bomb_part.xlsx": lambda p: _rewrite(
            base, p, {sheet: _padded_sheet(210 * 2**20)}, stream=True
        ),
        "zip_bomb_ratio.xlsx": lambda p: _rewrite(
            base, p, {"xl/padding.bin": _chunks(b"\0" * 2**20, 60)}, stream=True
        ),
        "entities_workbook.xlsx": lambda p: _edit(base, p, "xl/workbook.xml", _laughs),
        "external_entity_sheet.xlsx": lambda p: _edit(base, p, sheet, _external_entity),
        "million_rows.xlsx": lambda p: _million_rows(base, p, sheet, table),
        "merged_cells.xlsx": lambda p: _edit(base, p, sheet, _merge),
        "formulas_in_data.xlsx": lambda p: _edit(base, p, sheet, _formulas),
        "hidden_rows.xlsx": lambda p: _edit(
            base, p, sheet, lambda x: re.sub(r'<row r="(6|7|8)"', r'<row hidden="1" r="\1"', x)
        ),
        "external_link.xlsx": lambda p: _external_link(base, p),
        "tracker_renamed.xlsx": lambda p: _edit(
            base, p, table, lambda x: x.replace('"Tracker"', '"Tracker_old"')
        ),
        "tracker_missing.xlsx": lambda p: _rewrite(
            base,
            p,
            {sheet: _read(base, sheet).replace(_table_parts(_read(base, sheet)), "")},
            drop={table},
        ),
        "wrong_column_order.xlsx": lambda p: _edit(base, p, table, _swap_columns),
        "tracker_without_cost.xlsx": lambda p: _edit(base, p, table, _drop_cost),
        "all_sheets_hidden.xlsx": lambda p: _edit(base, p, "xl/workbook.xml", _hide_all),
    }
    assert set(makers) == set(CASES)
    written = []
    for name, make in makers.items():
        make(out / name)
        written.append(out / name)
    return written


# -- zip plumbing -------------------------------------------------------------------------


def _read(base: Path, part: str) -> str:
    with zipfile.ZipFile(base) as z:
        return z.read(part).decode("utf-8")


def _zip(target: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)


def _rewrite(
    base: Path,
    target: Path,
    replace: dict[str, object],
    *,
    drop: set[str] = frozenset(),  # type: ignore[assignment]
    stream: bool = False,
) -> None:
    """Copy `base` part by part, replacing or adding parts (str, bytes or an iterator of
    byte chunks, written as they come: huge parts never sit in memory)."""
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename in drop or info.filename in replace:
                continue
            z.writestr(info.filename, src.read(info.filename))
        for name, body in replace.items():
            if isinstance(body, str):
                body = body.encode("utf-8")
            if isinstance(body, bytes):
                z.writestr(name, body)
                continue
            with z.open(name, "w", force_zip64=stream) as handle:
                for chunk in body:  # type: ignore[attr-defined]
                    handle.write(chunk)


def _edit(base: Path, target: Path, part: str, change: Callable[[str], str]) -> None:
    before = _read(base, part)
    after = change(before)
    assert after != before, f"{target.name}: the edit changed nothing"
    _rewrite(base, target, {part: after})


def _tracker_parts(base: Path) -> tuple[str, str]:
    """(the Tracker sheet's part, the Tracker table's part) of the base workbook."""
    with zipfile.ZipFile(base) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(r'<sheet [^>]*name="Tracker"[^>]*r:id="(\w+)"', book)
        rid = rid or re.search(r'<sheet [^>]*r:id="(\w+)"[^>]*name="Tracker"', book)
        assert rid, "no Tracker sheet in the base workbook"
        target = _rel_target(rels, rid[1])
        sheet = target.lstrip("/") if target.startswith("/") else "xl/" + target
        sheet_rels = sheet.replace("worksheets/", "worksheets/_rels/") + ".rels"
        for tid in re.findall(r'Id="(\w+)"', z.read(sheet_rels).decode()):
            t = _rel_target(z.read(sheet_rels).decode(), tid)
            part = t.lstrip("/") if t.startswith("/") else "xl/" + t.replace("../", "")
            if '"Tracker"' in z.read(part).decode():
                return sheet, part
    raise AssertionError("no Tracker table in the base workbook")


def _rel_target(rels: str, rid: str) -> str:
    for rel in re.findall(r"<Relationship [^>]*/>", rels):
        if f'Id="{rid}"' in rel:
            return re.search(r'Target="([^"]+)"', rel)[1]  # type: ignore[index]
    raise AssertionError(rid)


def _table_parts(sheet_xml: str) -> str:
    return re.search(r"<tableParts.*?</tableParts>", sheet_xml, re.S)[0]  # type: ignore[index]


def _chunks(chunk: bytes, times: int) -> Iterator[bytes]:
    for _ in range(times):
        yield chunk


# -- the hostile edits --------------------------------------------------------------------


def _padded_sheet(size: int) -> Iterator[bytes]:
    yield f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    pad = b" " * 2**20
    for _ in range(size // len(pad)):
        yield pad
    yield b"</sheetData></worksheet>"


def _laughs(xml: str) -> str:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">' for i in range(1, 10)
    )
    body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
    body = body.replace(
        "<definedNames>", '<definedNames><definedName name="Boom">&lol9;</definedName>', 1
    )
    return f'<?xml version="1.0"?><!DOCTYPE workbook [{entities}]>' + body


def _external_entity(xml: str) -> str:
    body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
    body = re.sub(
        r'<c r="G5"[^>]*?(/>|>.*?</c>)', '<c r="G5" t="inlineStr"><is><t>&xxe;</t></is></c>', body
    )
    return (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        + body
    )


def _merge(xml: str) -> str:
    merges = '<mergeCells count="2"><mergeCell ref="B5:C5"/><mergeCell ref="D6:D8"/></mergeCells>'
    at = min(
        i
        for i in (
            xml.find(t)
            for t in ("<conditionalFormatting", "<dataValidations", "<printOptions", "<pageMargins")
        )
        if i > 0
    )
    return xml[:at] + merges + xml[at:]


def _formulas(xml: str) -> str:
    xml = re.sub(r'<c r="F5"[^>]*?(/>|>.*?</c>)', '<c r="F5"><f>1/0</f></c>', xml, count=1)
    xml = re.sub(
        r'<c r="B6"[^>]*?(/>|>.*?</c>)',
        '<c r="B6" t="str"><f>"RK-"&amp;"01"</f><v>RK-01</v></c>',
        xml,
        count=1,
    )
    return re.sub(
        r'<c r="A7"[^>]*?(/>|>.*?</c>)',
        '<c r="A7"><f>WEBSERVICE("http://example.invalid/")</f></c>',
        xml,
        count=1,
    )


def _swap_columns(xml: str) -> str:
    return (
        xml.replace('name="Date"', 'name="@@"')
        .replace('name="Advisor"', 'name="Date"')
        .replace('name="@@"', 'name="Advisor"')
    )


def _drop_cost(xml: str) -> str:
    xml = re.sub(r'<tableColumn [^>]*name="Cost".*?(/>|</tableColumn>)', "", xml, flags=re.S)
    return re.sub(r'count="(\d+)"', lambda m: f'count="{int(m[1]) - 1}"', xml, count=1)


def _hide_all(xml: str) -> str:
    xml = re.sub(r'(<sheet [^>]*?) state="\w+"', r"\1", xml)
    return xml.replace("<sheet ", '<sheet state="hidden" ')


def _external_link(base: Path, target: Path) -> None:
    book = _read(base, "xl/workbook.xml")
    rels = _read(base, "xl/_rels/workbook.xml.rels")
    types = _read(base, "[Content_Types].xml")
    ns_r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    link_type = ns_r + "/externalLink"
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdX1" Type="{link_type}" Target="externalLinks/externalLink1.xml"/>'
        "</Relationships>",
    )
    refs = '<externalReferences><externalReference r:id="rIdX1"/></externalReferences>'
    if 'xmlns:r="' not in book.split(">", 2)[1] + book.split(">", 2)[0]:
        book = book.replace("<workbook ", f'<workbook xmlns:r="{ns_r}" ', 1)
    book = (
        book.replace("<definedNames>", refs + "<definedNames>", 1)
        if "<definedNames>" in book
        else book.replace("</workbook>", refs + "</workbook>")
    )
    book = book.replace(
        "<definedNames>",
        '<definedNames><definedName name="Elsewhere">[1]Sheet1!$A$1</definedName>',
        1,
    )
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
    )
    link = (
        f'<externalLink xmlns="{MAIN}" xmlns:r="{ns_r}"><externalBook r:id="rId1">'
        '<sheetNames><sheetName val="Sheet1"/></sheetNames><sheetDataSet><sheetData sheetId="0">'
        '<row r="1"><cell r="A1"><v>42</v></cell></row></sheetData></sheetDataSet>'
        "</externalBook></externalLink>"
    )
    link_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns_r}/externalLinkPath" '
        'Target="file:///C:/secret/other.xlsx" TargetMode="External"/></Relationships>'
    )
    _rewrite(
        base,
        target,
        {
            "xl/workbook.xml": book,
            "xl/_rels/workbook.xml.rels": rels,
            "[Content_Types].xml": types,
            "xl/externalLinks/externalLink1.xml": link,
            "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels,
        },
    )


ROWS = 1_000_000


def _million_rows(base: Path, target: Path, sheet: str, table: str) -> None:
    """The Tracker sheet with a million rows of one entry, written straight as XML."""
    xml = _read(base, sheet)
    head = xml[: xml.index("<sheetData>") + len("<sheetData>")]
    head = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:I{ROWS + 4}"', head)
    tail = xml[xml.index("</sheetData>") :]
    header_row = re.search(r'<row r="4".*?</row>', xml, re.S)[0]  # type: ignore[index]
    last = ROWS + 4

    def rows() -> Iterator[bytes]:
        yield head.encode()
        yield header_row.encode()
        batch = []
        for r in range(5, last + 1):
            batch.append(
                f'<row r="{r}"><c r="A{r}"><v>45300</v></c>'
                f'<c r="B{r}" t="inlineStr"><is><t>RK-01</t></is></c>'
                f'<c r="F{r}"><v>1</v></c></row>'
            )
            if len(batch) == 10_000:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode()
        yield tail.encode()

    table_xml = re.sub(r'ref="A4:I\d+"', f'ref="A4:I{last}"', _read(base, table))
    _rewrite(base, target, {table: table_xml, sheet: rows()}, stream=True)


def default_base(folder: Path) -> Path:
    from xlsrc.actions.demo import run_demo

    return run_demo(folder).workbook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--base", type=Path, help="a good workbook (default: the example)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        base = args.base or default_base(Path(tmp))
        for path in make_corpus(args.out, base):
            print(f"{path}  {path.stat().st_size:,} bytes  ({CASES[path.name][1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
