"""The VBA sources in macros/: one standard module per .bas file, kept as text.

The rules make the round trip exact: LibreOffice writes a module's stream as
`Attribute VB_Name = "<name>"` CRLF + the Basic text we hand it (with "Option VBASupport 1"
dropped and LF turned into CRLF) in Windows-1252. So a .bas file that is ASCII, uses CRLF
and starts with that Attribute line decompresses, in the built workbook, to its own bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from xlsrc.model.errors import UserDataError

VBA_SUPPORT = "Option VBASupport 1\n"  # LibreOffice: run this module as VBA
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
# Lines LibreOffice removes on export, and header attributes of class/document modules.
_FORBIDDEN = ("Option VBASupport", "Rem Attribute VBA_ModuleType=")
_CLASS_MARKS = ("VERSION 1.0 CLASS", "Attribute VB_Base", "Attribute VB_PredeclaredId")


@dataclass(frozen=True)
class Module:
    """A standard VBA module: its name (the file's stem) and the file's exact bytes."""

    name: str
    source: bytes

    def header(self) -> bytes:
        return f'Attribute VB_Name = "{self.name}"\r\n'.encode("ascii")

    def basic_text(self) -> str:
        """The text LibreOffice is given: its export adds the header back."""
        body = self.source[len(self.header()) :].decode("ascii")
        return VBA_SUPPORT + body.replace("\r\n", "\n")


def read_modules(folder: Path) -> list[Module]:
    """Every macros/*.bas, checked; raises with every problem found."""
    files = sorted(folder.glob("*.bas"), key=lambda p: p.name.lower())
    problems = [p for f in files for p in module_problems(f.name, f.read_bytes())]
    names = [f.stem.lower() for f in files]
    problems += [
        f"{n}.bas: two modules differ only in case" for n in set(names) if names.count(n) > 1
    ]
    if not files:
        problems.append(f"{folder}: no .bas files")
    if problems:
        raise UserDataError(
            f"{folder}: {len(problems)} problem(s) in the VBA modules:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )
    return [Module(f.stem, f.read_bytes()) for f in files]


def module_problems(file_name: str, data: bytes) -> list[str]:
    name = file_name.removesuffix(".bas")
    out = []
    if not _IDENTIFIER.fullmatch(name):
        out.append(f"{file_name}: a module name is a letter then letters, digits or _ (31 at most)")
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as exc:
        return [*out, f"{file_name}: byte {exc.start} is not ASCII (write VBA text as ASCII)"]
    header = f'Attribute VB_Name = "{name}"\r\n'
    if not text.startswith(header):
        out.append(f"{file_name}: the first line must be {header.strip()}")
    if "\r" in text.replace("\r\n", "") or "\n" in text.replace("\r\n", ""):
        out.append(f"{file_name}: line endings must all be CRLF")
    if text and not text.endswith("\r\n"):
        out.append(f"{file_name}: the last line must end with CRLF")
    lines = text.split("\r\n")
    for mark in _CLASS_MARKS:
        if any(line.startswith(mark) for line in lines):
            out.append(f"{file_name}: {mark!r} marks a class or document module; standard only")
    for mark in _FORBIDDEN:
        if mark in text:
            out.append(f"{file_name}: contains {mark!r}, which LibreOffice would drop")
    return out


def procedures(module: Module) -> list[str]:
    """Names of the public Subs of a module (what a button can call)."""
    text = module.source.decode("ascii")
    return re.findall(r"^(?:Public )?Sub (\w+)\(\)", text, flags=re.MULTILINE)
