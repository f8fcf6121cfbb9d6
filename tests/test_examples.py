"""Every command example in the docs and in `--help` runs as shown (issue 22).

The examples are collected from the text itself: each `calloff ...` line in a code block of
README.md and docs/*.md (hand-written parts; the generated ones are checked by test_docs),
each example in the commands table of docs/commands.md, and each example under "Example:"
in every command's --help. Each runs in a fresh folder laid out as the docs assume: the shipped
workbook at workbook/CON_22889.xlsx, the demo's at out/demo/CON_22889-sample.xlsx, and the
files the examples name (a terms file, a tracker CSV, advisors' tracker files, a folder of
contracts). An example exits 0 unless the docs show it failing; the lines a doc shows under
a command are found in what it prints.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from xlsrc.adapters.cli import cli, main

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@dataclass(frozen=True)
class Example:
    where: str
    command: str
    shown: tuple[str, ...] = ()  # lines the doc shows it printing

    @property
    def args(self) -> list[str]:
        """The arguments as a shell passes them: quotes removed, `trackers/*.xlsx` expanded."""
        import glob
        import shlex

        args: list[str] = []
        for word in shlex.split(self.command)[1:]:
            args += sorted(glob.glob(word)) or [word] if "*" in word else [word]
        return args


def _from_markdown(path: Path) -> list[Example]:
    found: list[Example] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    fenced = generated = False
    i = 0
    while i < len(lines):
        line = lines[i]
        generated = (generated or line.startswith("<!-- generated:")) and not line.startswith(
            "<!-- end:"
        )
        if line.strip().startswith("```"):
            fenced = not fenced
            i += 1
            continue
        text = line.strip().removeprefix("$ ")
        in_code = fenced or line.startswith("    ")
        if in_code and not generated and text.startswith("calloff "):
            command = text
            start = line
            while command.endswith("\\"):
                i += 1
                command = command[:-1].rstrip() + " " + lines[i].strip()
            command = re.split(r"\s+#", command)[0].strip()
            shown = []
            # what follows is output in an indented block, or after a `$ ` prompt in a fence
            output = start.strip().startswith("$ ") if fenced else True
            while output and i + 1 < len(lines) and (fenced or lines[i + 1].startswith("    ")):
                nxt = lines[i + 1].strip()
                if not nxt or nxt.startswith(("calloff ", "$ ", "```")):
                    break
                shown.append(nxt)
                i += 1
            found.append(Example(path.name, command, tuple(shown)))
        if path.name == "commands.md" and line.startswith("| `calloff"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if cells[-1].startswith("`calloff "):
                found.append(Example(f"{path.name} table", cells[-1].strip("`")))
        i += 1
    return found


def _from_help() -> list[Example]:
    """Lines under "Example:"/"Examples:" in each --help; a description after two spaces or
    more is not part of the command."""
    found: list[Example] = []
    commands: list[tuple[str, click.Command]] = [("calloff", cli)]
    commands += [(f"calloff {n}", c) for n, c in sorted(cli.commands.items())]
    for name, command in commands:
        lines = (command.help or "").splitlines()
        in_examples = False
        for n, line in enumerate(lines):
            text = line.strip()
            if text.startswith("Example"):
                in_examples = True
                continue
            if not in_examples or not text.startswith("calloff "):
                continue
            if lines[n - 1].rstrip().endswith("\\"):
                continue  # a continuation, joined below
            full = text
            k = n
            while full.endswith("\\"):
                k += 1
                full = full[:-1].rstrip() + " " + lines[k].strip()
            found.append(Example(f"{name} --help", re.split(r"\s{2,}", full)[0]))
    return found


EXAMPLES = [e for path in DOCS for e in _from_markdown(path)] + _from_help()

# What must have happened before an example, as the text around it says.
BEFORE = {
    "--terms CON_99999.toml": ["calloff new-contract CON_99999"],
    "--days-per-month 5 --effective 2025-05-01": [
        "calloff decide workbook/CON_22889.xlsx continue --decided 2024-02-20"
        ' --by "DfE contract manager"',
        "calloff decide workbook/CON_22889.xlsx extend --months 3 --days-per-month 4"
        " --effective 2025-04-01 --decided 2025-02-10 --notice 2025-02-10"
        ' --by "DfE contract manager"',
    ],
    "extend --months 3": [
        "calloff decide workbook/CON_22889.xlsx continue --decided 2024-02-20"
        ' --by "DfE contract manager"',
    ],
    "--month 2024-03 --pdf again.pdf": [
        "calloff return out/demo/CON_22889-sample.xlsx --month 2024-03",
    ],
    "--pdf out/return-2024-03.pdf": [
        "calloff return out/demo/CON_22889-sample.xlsx --month 2024-03"
        " --pdf out/return-2024-03.pdf",
    ],
    "--month 2024-03 --reissue": [
        "calloff return out/demo/CON_22889-sample.xlsx --month 2024-03",
    ],
}
FAILS = {  # examples the docs show failing on purpose, with their exit code
    "--net 3575.01": 1,
}
SLOW = ("--pdf", "recalc", "--macros")  # LibreOffice


def _id(example: Example) -> str:
    return f"{example.where}: {example.command}"[:120]


def _params() -> list[object]:
    seen: set[str] = set()
    params: list[object] = []
    for example in EXAMPLES:
        if example.command in seen and not example.shown:
            continue
        seen.add(example.command)
        marks = [pytest.mark.libreoffice] if any(s in example.command for s in SLOW) else []
        params.append(pytest.param(example, id=_id(example), marks=marks))
    return params


def test_the_examples_are_found() -> None:
    """The collector finds the examples it is meant to (a change of layout would hide them)."""
    sources = {e.where for e in EXAMPLES}
    assert {"commands.md table", "decisions.md", "returns.md", "calloff --help"} <= sources
    assert len({e.command for e in EXAMPLES}) >= 35
    for command in cli.commands:
        assert any(e.where == f"calloff {command} --help" for e in EXAMPLES), command


@pytest.fixture(scope="module")
def folder(tmp_path_factory, sample: Path) -> Path:
    """The folder the docs' examples assume, made once and copied for each example."""
    from xlsrc.model.terms import default_terms_path

    top = tmp_path_factory.mktemp("examples")
    (top / "workbook").mkdir()
    shutil.copy(ROOT / "workbook" / "CON_22889.xlsx", top / "workbook" / "CON_22889.xlsx")
    (top / "out" / "demo").mkdir(parents=True)
    shutil.copy(sample, top / "out" / "demo" / "CON_22889-sample.xlsx")
    terms = default_terms_path().read_text(encoding="utf-8").replace('"CON_22889"', '"CON_99999"')
    for name in ("my.toml", "my-contract.toml"):
        (top / name).write_text(terms, encoding="utf-8")
    (top / "october.csv").write_text(
        "Date,Advisor,Area,Activity,Outcomes,Days,Notes\n"
        "2023-10-16,RK-03,Oxfordshire,Work with practitioners,OX-AI3,0.5,Workshop.\n"
        "2023-10-19,RK-01,Oxfordshire,SIB / board meeting,OX-0,1,Attended the SIB.\n",
        encoding="utf-8",
    )
    master = str(top / "workbook" / "CON_22889.xlsx")
    for advisor in ("RK-01", "RK-02"):
        out = str(top / "trackers" / f"{advisor}.xlsx")
        assert main(["tracker", "--advisor", advisor, "--from", master, "--out", out]) == 0
    shutil.copytree(ROOT / "macros", top / "macros")  # `build --macros` runs in a checkout
    (top / "contracts").mkdir()
    shutil.copy(sample, top / "contracts" / "CON_22889.xlsx")
    return top


@pytest.mark.parametrize("example", _params())
def test_the_example_runs_as_shown(example: Example, folder: Path, tmp_path, monkeypatch, capsys):
    here = tmp_path / "here"
    shutil.copytree(folder, here)
    monkeypatch.chdir(here)
    for key, steps in BEFORE.items():
        if key in example.command:
            for step in steps:
                assert main(Example("", step).args) == 0, step
    capsys.readouterr()
    code = main(example.args)
    out = capsys.readouterr()
    printed = [line.strip() for line in (out.out + out.err).splitlines()]
    expected = next((c for k, c in FAILS.items() if k in example.command), 0)
    assert code == expected, f"{example.where}: `{example.command}` exited {code}:\n{out.err}"
    missing = [s for s in example.shown if s != "…" and s not in printed]
    assert not missing, f"{example.where}: `{example.command}` did not print {missing}"
