# One command for each job on a fresh machine (Debian 12 / Ubuntu 24.04, Python >= 3.11):
#   make demo   - install everything, build the workbook, fill the example tracker, print totals
#   make test   - install everything, run the whole test suite (LibreOffice and Pyodide included)
#   make test-fast - the tier that needs neither LibreOffice, Gnumeric nor node (a few minutes)
# CI (.ci/run) runs `make smoke` (the package alone, no dev tools) and then `make test`.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# LibreOffice headless is the spreadsheet engine the tests recalculate and print with; poppler
# turns its PDFs into pictures; python3-venv gives `python3 -m venv` its pip (Debian splits it
# off); Carlito and Liberation are metric twins of Calibri and Arial, the fonts the sheets are
# laid out in: without them LibreOffice substitutes others and cuts text differently.
# Gnumeric's ssconvert is the second engine: every cached value is checked against LibreOffice
# and Gnumeric both (tests/test_second_engine.py), so a figure one engine gets wrong is caught.
APT_PACKAGES := libreoffice-calc-nogui python3-uno poppler-utils python3-venv \
                fonts-crosextra-carlito fonts-liberation gnumeric
# node runs xlwings Lite's Python (Pyodide, from npm) in the tests; Chromium runs it in a real
# browser, headless: Debian's package, installed on its own so that where it is not to be had
# (Ubuntu ships Chromium as a snap) the rest still installs; the browser test then skips
# locally and fails in CI, saying why.
NODE_PACKAGES := nodejs npm
BROWSER_PACKAGES := chromium

.PHONY: setup system-deps python-deps pyodide demo test test-fast smoke lint workbook preview clean

setup: system-deps python-deps

# Installs only what is missing, package by package (one present is no reason to skip others).
system-deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	command -v node >/dev/null && command -v npm >/dev/null || missing="$$missing $(NODE_PACKAGES)"; \
	if [ -z "$$missing" ]; then \
	  echo "System packages already installed"; \
	else \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi || exit 1; \
	command -v chromium >/dev/null || { \
	  echo "Installing: $(BROWSER_PACKAGES)"; \
	  { [ -n "$$missing" ] || $(SUDO) apt-get update -qq; } && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    $(BROWSER_PACKAGES) || \
	  echo "Chromium was not installed: the browser test skips (and fails in CI)"; \
	}

python-deps: $(BIN)/calloff

# Dev tools are a dependency group (PEP 735): pip >= 25.1 installs them with --group.
$(BIN)/calloff: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade 'pip>=25.1'
	$(BIN)/pip install -q -e . --group dev
	@touch $@

# xlwings Lite's Python, for tests/test_pyodide.py: Pyodide 314 from npm, its wheels from PyPI.
PYODIDE_DIR ?= .cache/pyodide
pyodide: $(PYODIDE_DIR)/.fetched

$(PYODIDE_DIR)/.fetched: tests/pyodide/fetch.py pyproject.toml | system-deps python-deps
	$(BIN)/python tests/pyodide/fetch.py $(PYODIDE_DIR)
	@touch $@

demo: setup
	$(BIN)/calloff demo --out out/demo
	$(BIN)/calloff recalc out/demo/CON_22889-sample.xlsx --pdf out/demo/CON_22889-sample.pdf

# Both tiers run in two processes (pytest-xdist), a test file to each in turn, so a file's
# tests keep their order and their module fixtures; PYTEST_WORKERS=0 runs in this process.
# Each LibreOffice run has its own profile folder and pipe, each Chromium its own profile
# and port: nothing they share.
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadfile

test: setup pyodide
	PYODIDE_DIR=$(abspath $(PYODIDE_DIR)) $(BIN)/python -m pytest $(PYTEST_PARALLEL)

# Everything that needs neither LibreOffice, Gnumeric nor node: builders in memory, rules,
# totals, the CLI; without openxml-audit on every written workbook and with fewer hypothesis
# examples (tests/tiers.py).
test-fast: python-deps
	CALLOFF_TEST_TIER=fast $(BIN)/python -m pytest $(PYTEST_PARALLEL) \
	  -m "not libreoffice and not gnumeric and not node and not browser"

# The package as a user installs it, without dev tools: `calloff --help` and the demo work.
smoke: system-deps
	rm -rf .venv-bare
	$(PYTHON) -m venv .venv-bare
	.venv-bare/bin/pip install -q --upgrade 'pip>=25.1'
	.venv-bare/bin/pip install -q .
	.venv-bare/bin/python -c "import importlib.util as u, sys; \
	  dev = [m for m in ('pytest', 'hypothesis', 'ruff', 'mypy') if u.find_spec(m)]; \
	  sys.exit(f'dev tools in a bare install: {dev}' if dev else 0)"
	.venv-bare/bin/calloff --help
	cd "$$(mktemp -d)" && $(CURDIR)/.venv-bare/bin/calloff demo --out demo

# Style (ruff), the layers (import-linter) and the types (mypy), all set in pyproject.toml.
lint: python-deps
	$(BIN)/ruff check xlsrc tests macros
	$(BIN)/ruff format --check xlsrc tests macros
	$(BIN)/lint-imports
	$(BIN)/mypy

# Rebuild the committed workbooks (tests prove they equal a fresh build).
workbook: setup
	$(BIN)/calloff build
	$(BIN)/calloff build --macros

# Re-render the README pictures through LibreOffice.
preview: setup
	$(BIN)/python tests/tools/render_preview.py

clean:
	rm -rf out .pytest_cache .ruff_cache .venv-bare
