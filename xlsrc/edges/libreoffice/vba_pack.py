"""LibreOffice headless as the VBA packer (and the tests' button runner): see lo_vba.py.

The UNO work runs in a subprocess under the system Python, as for recalculation.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from xlsrc.edges.libreoffice.recalc import INSTALL_HINT, uno_python
from xlsrc.model.errors import EngineError

WORKER = Path(__file__).with_name("lo_vba.py")
VBA_PART = "xl/vbaProject.bin"


def _run(command: str, src: Path, spec: dict, out: Path, timeout: float) -> None:
    if shutil.which("soffice") is None:
        raise EngineError(f"LibreOffice (soffice) is not installed; {INSTALL_HINT}")
    spec_file = out.with_name("spec.json")
    spec_file.write_text(json.dumps(spec), "utf-8")
    cmd = [uno_python(), str(WORKER), command, str(src), str(spec_file), str(out)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise EngineError(f"LibreOffice took longer than {timeout:.0f}s on {src}") from None
    if done.returncode != 0 or not out.exists():
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise EngineError(f"LibreOffice failed on {src}: {detail[0]}")


def make_vba_project(
    skeleton: Path,
    modules: dict[str, str],
    documents: list[str],
    workbook_code_name: str,
    timeout: float = 180,
) -> bytes:
    """xl/vbaProject.bin holding `modules` (name -> LibreOffice Basic text) as standard
    modules and one empty document module per code name in `documents`.

    `skeleton` is an .xlsx whose workbook and sheets carry those code names.
    """
    spec = {
        "modules": [{"name": name, "code": code} for name, code in modules.items()],
        "documents": documents,
        "workbook": workbook_code_name,
    }
    with tempfile.TemporaryDirectory(prefix="calloff-vba-") as tmp:
        out = Path(tmp) / "project.xlsm"
        _run("project", skeleton, spec, out, timeout)
        with zipfile.ZipFile(out) as archive:
            if VBA_PART not in archive.namelist():
                raise EngineError("LibreOffice wrote no VBA project")
            return archive.read(VBA_PART)


def run_buttons(
    workbook: Path, replace: dict[str, str], calls_script: str, timeout: float = 180
) -> list[dict]:
    """Open `workbook` in LibreOffice with `replace` (module name -> Basic text) swapped in,
    run every button's macro; per button: sheet, label, events, ran, calls (what
    `calls_script` returned after the button ran, one line per call)."""
    spec = {"replace": replace, "calls": calls_script}
    with tempfile.TemporaryDirectory(prefix="calloff-vba-") as tmp:
        out = Path(tmp) / "buttons.json"
        _run("buttons", workbook, spec, out, timeout)
        return json.loads(out.read_text("utf-8"))
