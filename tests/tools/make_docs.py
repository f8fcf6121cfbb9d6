"""Regenerate the generated parts of the docs: the rules table (from xlsrc.model.rules), the
command reference (each command's --help), the README's session (commands run on the bundled
data) and the module map in docs/architecture.md (from the tree and each module's docstring).

Each generated part sits between `<!-- generated:NAME -->` and `<!-- end:NAME -->`; the text
around it is written by hand. tests/test_docs.py fails when a generated part is stale.

    python tests/tools/make_docs.py
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def rules_table() -> str:
    from xlsrc.model.rules import rules_markdown

    return rules_markdown()


def command_reference() -> str:
    """Every command's --help as `calloff COMMAND --help` prints it, 100 columns wide."""
    import click

    from xlsrc.adapters.cli import cli

    settings = {**cli.context_settings, "terminal_width": 100}
    root = click.Context(cli, info_name="calloff", **settings)
    parts = ["```", "$ calloff --help", cli.get_help(root), "```"]
    for name in sorted(cli.commands):
        command = cli.commands[name]
        ctx = click.Context(command, info_name=name, parent=root, terminal_width=100)
        parts += ["", f"## calloff {name}", "", "```", f"$ calloff {name} --help"]
        parts += [command.get_help(ctx), "```"]
    return "\n".join(parts)


# Sheets the Guide's own list (xlsrc.edges.workbook.sheets.guide.SHEETS) does not describe.
OTHER_SHEETS = {
    "Guide": (
        "Output",
        "This guide: the state of the workbook first (OK, Warning or Not OK, and the first"
        " thing to act on), what each sheet is for, how to fill the tracker, what falls due,"
        " the version; in the .xlsm the Excel buttons.",
    ),
    "Lists": ("Hidden", "The drop-down lists, one defined name each."),
    "xlwings.conf": ("Hidden, .xlsm only", "Where xlwings finds Python (docs/excel-setup.md)."),
    "Return YYYY-MM": (
        "Output, one per return",
        "Added by `calloff return`: the month's report and invoice narrative, locked when"
        " issued (`Return 2024-03 v2` for a corrected version; docs/returns.md).",
    ),
}


def sheet_table() -> str:
    """Every sheet of the shipped .xlsm, in order, then the return sheets calloff adds: the
    Guide's own words for each (one truth); a sheet nobody describes stops the generator."""
    import openpyxl

    from xlsrc.edges.workbook.sheets.guide import SHEETS

    described = {name: (kind, what) for name, kind, what in SHEETS} | OTHER_SHEETS
    book = openpyxl.load_workbook(ROOT / "workbook" / "CON_22889.xlsm", keep_vba=False)
    names = [*book.sheetnames, "Return YYYY-MM"]
    missing = [n for n in names if n not in described]
    if missing:
        raise SystemExit(f"describe these sheets in guide.SHEETS or OTHER_SHEETS: {missing}")
    lines = ["| sheet | kind | what it holds |", "|---|---|---|"]
    for name in names:
        kind, what = described[name]
        lines.append(f"| {name} | {kind} | {what} |")
    return "\n".join(lines)


def terms_reference() -> str:
    from xlsrc.model.terms.reference import terms_markdown

    return terms_markdown()


# The README's session: commands a person types on the bundled example, with what they print.
SESSION = (
    ("calloff demo --out out/demo", 13),
    ("calloff validate out/demo/CON_22889-sample.xlsx --no-write", 0),
    (
        "calloff invoice-check out/demo/CON_22889-sample.xlsx --month 2023-11"
        " --net 3575.01 --vat 715.00 --gross 4290.01",
        0,
    ),
)


def session() -> str:
    """Run SESSION in an empty folder; each command with its output (the first N lines)."""
    import shlex
    import subprocess
    import tempfile

    lines = ["```console"]
    with tempfile.TemporaryDirectory(prefix="calloff-session-") as tmp:
        for command, keep in SESSION:
            args = shlex.split(command)
            done = subprocess.run(
                [sys.executable, "-m", "xlsrc.adapters.cli", *args[1:]],
                cwd=tmp,
                capture_output=True,
                text=True,
                check=False,
                env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "COLUMNS": "100"},
            )
            out = (done.stdout + done.stderr).rstrip("\n").splitlines()
            lines += [f"$ {command}", *(out[:keep] if keep else out)]
            if keep and len(out) > keep:
                lines.append("  …")
            lines.append("")
    return "\n".join([*lines[:-1], "```"])


# file -> {part name -> generator}
LAYERS = (
    ("adapters", "how people reach it: the command line and the Excel buttons"),
    ("actions", "one module per command or button: read once, ask the core, write once"),
    (
        "edges",
        "files and engines: read and write workbooks, build sheets, the formula"
        " interpreter, LibreOffice, CSV, the MI and portfolio files",
    ),
    ("core", "the rules and the sums, pure: plain data in, plain data out, no file library"),
    ("model", "declarations: what a contract and its data are"),
)


def _first_sentence(path: Path) -> str:
    import ast

    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    text = " ".join(doc.split())
    end = re.search(r"[.:] (?=[A-Z`])", text)
    text = text if end is None else text[: end.start() + 1]
    return text.replace("|", "\\|")


def module_tree() -> str:
    """Every package and module of xlsrc, layer by layer, with its docstring's first sentence."""
    src = ROOT / "xlsrc"
    lines = []
    for layer, what in LAYERS:
        lines += [f"### `xlsrc/{layer}/`: {what}", "", "| module | what it is |", "|---|---|"]
        for path in sorted((src / layer).rglob("*.py")):
            rel = path.relative_to(src / layer).as_posix()
            if path.name == "__init__.py":
                if path.parent == src / layer:
                    continue
                rel = rel[: -len("__init__.py")]
            lines.append(f"| `{rel}` | {_first_sentence(path)} |")
        lines.append("")
    return "\n".join(lines)


GENERATED: dict[str, dict[str, Callable[[], str]]] = {
    "docs/architecture.md": {"tree": module_tree},
    "docs/rules.md": {"rules": rules_table},
    "docs/workbook.md": {"sheets": sheet_table},
    "docs/terms.md": {"keys": terms_reference},
    "docs/commands.md": {"commands": command_reference},
    "README.md": {"session": session},
}


def block(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- generated:{name} -->\n)(.*?)(<!-- end:{name} -->)", re.DOTALL)


def part(text: str, name: str) -> str | None:
    """The generated text of block `name`, without its final newline."""
    match = block(name).search(text)
    return match.group(2).removesuffix("\n") if match else None


def refreshed(text: str, name: str, content: str) -> str:
    if part(text, name) is None:
        raise SystemExit(f"no <!-- generated:{name} --> block to fill")
    return block(name).sub(lambda m: m.group(1) + content.rstrip("\n") + "\n" + m.group(3), text)


def main() -> None:
    for file, parts in GENERATED.items():
        path = ROOT / file
        text = path.read_text(encoding="utf-8")
        for name, make in parts.items():
            text = refreshed(text, name, make())
        path.write_text(text, encoding="utf-8")
        print(f"wrote {file}")


if __name__ == "__main__":
    main()
