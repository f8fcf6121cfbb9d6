"""Regenerate the generated parts of docs/: the rules table (from xlsrc.rules).

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
    from xlsrc.rules import rules_markdown

    return rules_markdown()


# file -> {part name -> generator}
GENERATED: dict[str, dict[str, Callable[[], str]]] = {
    "docs/rules.md": {"rules": rules_table},
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
