"""Nothing let in: broken and hostile files get a one-line answer, within time and memory.

The corpus is built by tests/hostile/make_corpus.py (no committed binaries). Each file is run
through `calloff validate` and `calloff totals` in a child process limited to 2 GB of address
space and 60 s; CASES in make_corpus.py says which exit codes each may give and why.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time

import pytest

from tests.hostile.make_corpus import CASES, make_corpus

MEMORY = 2 * 2**30
TIMEOUT = 60
RUN = "import sys; from xlsrc.adapters.cli import main; sys.exit(main())"


@pytest.fixture(scope="module")
def corpus(sample, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    make_corpus(folder, sample)
    return folder


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _calloff(*args: str) -> tuple[subprocess.CompletedProcess[str], float, int]:
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    run = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=_limits,
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return run, time.perf_counter() - start, max(peak, before) // 1024


@pytest.mark.parametrize("command", ["validate", "totals"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file(corpus, tmp_path, name, command):
    allowed, why = CASES[name]
    path = shutil.copy(corpus / name, tmp_path / name)
    run, seconds, _peak_mb = _calloff(command, str(path))
    assert "Traceback" not in run.stderr + run.stdout, run.stderr
    assert run.returncode != 3, run.stderr  # never a bug
    if command == "validate":
        assert run.returncode in allowed, f"{name} ({why}): exit {run.returncode}\n{run.stderr}"
    else:  # totals: 0 when readable, 2 when refused
        assert run.returncode == (2 if allowed == (2,) else 0), run.stderr
    if run.returncode == 2:
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1, run.stderr
        assert lines[0].startswith("calloff: ") and name in lines[0]
    assert "root:" not in run.stdout + run.stderr  # /etc/passwd never read into output
    assert seconds < TIMEOUT
