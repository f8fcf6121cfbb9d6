"""Fetch what tests/test_pyodide.py needs: Pyodide 314 from npm, its wheels from PyPI.

    python tests/pyodide/fetch.py DIR

DIR/node_modules/pyodide holds the runtime (npm package pyodide@314.0.7, offline once here);
DIR/wheels the Pyodide builds (platform pyemscripten_2026_0_wasm32) of calloff's runtime
dependencies, at the versions this Python runs so both sides compute with the same libraries
(every one of them has a Pyodide build: calloff needs neither numpy nor pandas, which PyPI has
none of). Run by `make test`; idempotent.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

PYODIDE = "pyodide@314.0.7"
PLATFORM = "pyemscripten_2026_0_wasm32"
EXTRA = ["micropip==0.11.1"]  # not in the npm package; loads the others from local files
ROOT = Path(__file__).resolve().parents[2]


def requirements() -> list[str]:
    """calloff's dependencies, pinned to the versions installed here."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [re.split(r"[<>=!~ \[;]", d, maxsplit=1)[0] for d in project["dependencies"]]
    return [f"{n}=={metadata.version(n)}" for n in names] + EXTRA


def main(target: str) -> None:
    out = Path(target).resolve()
    (out / "wheels").mkdir(parents=True, exist_ok=True)
    if not (out / "node_modules" / "pyodide" / "pyodide.js").exists():
        subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(out),
                PYODIDE,
            ],
            check=True,
        )
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:",
         "--platform", PLATFORM, "--platform", "any", "--python-version", "3.14",
         "--implementation", "cp", "--abi", "cp314", "--abi", "abi3", "--abi", "none",
         "-d", str(out / "wheels"), *requirements()],
        check=True,
    )  # fmt: skip
    print(f"Pyodide and {len(list((out / 'wheels').glob('*.whl')))} wheels in {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / ".cache" / "pyodide"))
