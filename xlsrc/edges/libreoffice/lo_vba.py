"""LibreOffice headless as the VBA packer, and (for the tests) as the button runner.

Runs under the *system* Python (Debian's python3-uno), like lo_worker.py, so it imports
nothing from xlsrc. Usage:

    python3 lo_vba.py project SKELETON.xlsx SPEC.json OUT.xlsm
    python3 lo_vba.py buttons WORKBOOK.xlsm SPEC.json OUT.json

`project` opens SKELETON (a workbook carrying the sheet and workbook code names), creates the
VBA project "VBAProject" with SPEC's standard modules and one empty document module per code
name, and stores OUT with the filter "Calc MS Excel 2007 VBA XML": its xl/vbaProject.bin is
what we want. LibreOffice writes module source only (Excel compiles it on open).

`buttons` opens WORKBOOK with its VBA executable, swaps the modules SPEC names (a stub for
xlwings' RunPython), then finds every form button on every sheet, runs the macro assigned to
it and asks the stub which calls it recorded. OUT lists, per button: sheet, label, the
script it is bound to and the recorded calls.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uno
from com.sun.star.script import ModuleInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
# the sibling worker runs under the same interpreter: share its UNO helpers
from lo_worker import _connect, _props

PROJECT = "VBAProject"
STORE_FILTER = "Calc MS Excel 2007 VBA XML"
VBA_CONFIG = "/org.openoffice.Office.Calc/Filter/Import/VBA"
# com.sun.star.script.ModuleType
NORMAL, DOCUMENT = 1, 4
# com.sun.star.document.MacroExecMode.ALWAYS_EXECUTE_NO_WARN
ALWAYS_EXECUTE_NO_WARN = 4
DOCUMENT_MODULE = "Option VBASupport 1\nRem Attribute VBA_ModuleType=VBADocumentModule\n"
COMMAND_BUTTON = "com.sun.star.form.component.CommandButton"


@contextlib.contextmanager
def office(workdir: str) -> Iterator[tuple[object, object]]:
    """A private soffice (own profile, own pipe): yields (component context, desktop)."""
    pipe = f"calloff-vba-{uuid.uuid4().hex}"
    proc = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            f"-env:UserInstallation=file://{workdir}/profile",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # soffice forks: its whole group is ours to end
    )
    try:
        ctx = _connect(pipe, proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        yield ctx, desktop
        with contextlib.suppress(Exception):  # the bridge drops as soffice exits
            desktop.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def _load(desktop: Any, path: str, **extra: object) -> Any:
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0, _props(Hidden=True, **extra)
    )
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {path}")
    return doc


def _local_copy(src: str, workdir: str) -> str:
    """Work on a copy, so no lock file appears beside the caller's file."""
    target = os.path.join(workdir, "in" + Path(src).suffix)
    shutil.copyfile(src, target)
    return target


def make_project(skeleton: str, spec: dict, out: str) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="calloff-vba-") as workdir,
        office(workdir) as (
            _,
            desktop,
        ),
    ):
        doc = _load(desktop, _local_copy(skeleton, workdir))
        libraries = doc.BasicLibraries
        libraries.VBACompatibilityMode = True
        libraries.ProjectName = PROJECT  # the export writes the library of this name only
        if not libraries.hasByName(PROJECT):
            libraries.createLibrary(PROJECT)
        library = libraries.getByName(PROJECT)
        for module in spec["modules"]:
            info = ModuleInfo()
            info.ModuleType = NORMAL
            library.insertModuleInfo(module["name"], info)
            library.insertByName(module["name"], module["code"])
        # The document modules Excel expects (ThisWorkbook, one per sheet), named by the code
        # names SKELETON carries. Only the workbook's needs its object: the export tells the
        # workbook's module from a sheet's by it (and Python cannot hold a sheet's).
        objects = doc.createInstance("ooo.vba.VBAObjectModuleObjectProvider")
        for name in spec["documents"]:
            info = ModuleInfo()
            info.ModuleType = DOCUMENT
            if name == spec["workbook"]:
                info.ModuleObject = objects.getByName(name)
            library.insertModuleInfo(name, info)
            library.insertByName(name, DOCUMENT_MODULE)
        doc.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(out)), _props(FilterName=STORE_FILTER)
        )
        doc.close(True)


def _allow_vba(ctx: Any) -> None:
    """Import VBA as executable code (LibreOffice's default comments it out)."""
    provider = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", ctx
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess", _props(nodepath=VBA_CONFIG)
    )
    access.setPropertyValue("Load", True)
    access.setPropertyValue("Executable", True)
    access.commitChanges()


def _buttons(doc: Any) -> Iterator[dict[str, Any]]:
    """Every command button on every sheet, with the scripts bound to its events."""
    sheets = doc.Sheets
    for s in range(sheets.Count):
        sheet = sheets.getByIndex(s)
        forms = sheet.DrawPage.Forms
        for f in range(forms.Count):
            form = forms.getByIndex(f)
            for c in range(form.Count):
                model = form.getByIndex(c)
                if not model.supportsService(COMMAND_BUTTON):
                    continue
                events = [
                    {"listener": e.ListenerType, "event": e.EventMethod, "script": e.ScriptCode}
                    for e in form.getScriptEvents(c)
                ]
                yield {"sheet": sheet.Name, "label": model.Label, "events": events}


def run_buttons(workbook: str, spec: dict, out: str) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="calloff-vba-") as workdir,
        office(workdir) as (
            ctx,
            desktop,
        ),
    ):
        _allow_vba(ctx)
        doc = _load(
            desktop, _local_copy(workbook, workdir), MacroExecutionMode=ALWAYS_EXECUTE_NO_WARN
        )
        library = doc.BasicLibraries.getByName(PROJECT)
        for name, code in spec["replace"].items():
            if library.hasByName(name):
                library.removeByName(name)
            info = ModuleInfo()
            info.ModuleType = NORMAL
            if not library.hasModuleInfo(name):
                library.insertModuleInfo(name, info)
            library.insertByName(name, code)
        scripts = doc.getScriptProvider()
        take_calls = scripts.getScript(spec["calls"])
        found = []
        for button in _buttons(doc):
            take_calls.invoke((), (), ())  # start from a clean record
            ran = []
            for event in button["events"]:
                if event["script"].startswith("vnd.sun.star.script:"):
                    scripts.getScript(event["script"]).invoke((), (), ())
                    ran.append(event["script"])
            recorded = take_calls.invoke((), (), ())[0]
            button["ran"] = ran
            button["calls"] = [line for line in recorded.split("\n") if line]
            found.append(button)
        Path(out).write_text(json.dumps(found, indent=1), "utf-8")
        doc.close(True)


def main(argv: list[str]) -> int:
    command, src, spec_file, out = argv
    spec = json.loads(Path(spec_file).read_text("utf-8"))
    if command == "project":
        make_project(src, spec, out)
    elif command == "buttons":
        run_buttons(src, spec, out)
    else:
        print(f"unknown command {command}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
