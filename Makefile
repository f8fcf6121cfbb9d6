# One command for each job on a fresh machine (Debian/Ubuntu, Python >= 3.11):
#   make demo   - install everything, build the workbook, fill the example tracker, print totals
#   make test   - install everything, run the whole test suite (LibreOffice included)
# CI (.ci/run) runs `make test`.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libreoffice-calc-nogui python3-uno poppler-utils

.PHONY: setup system-deps python-deps demo test lint workbook preview clean

setup: system-deps python-deps

# LibreOffice headless is the real spreadsheet engine the tests recalculate with.
system-deps:
	@if command -v soffice >/dev/null && /usr/bin/python3 -c 'import uno' 2>/dev/null \
	    && command -v pdftoppm >/dev/null; then \
	  echo "LibreOffice, python3-uno and poppler already installed"; \
	else \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    $(APT_PACKAGES); \
	fi

python-deps: $(BIN)/calloff

$(BIN)/calloff: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

demo: setup
	$(BIN)/calloff demo --out out/demo
	$(BIN)/calloff recalc out/demo/CON_22889-sample.xlsx --pdf out/demo/CON_22889-sample.pdf

test: setup
	$(BIN)/python -m pytest

lint: python-deps
	$(BIN)/ruff check xlsrc tests macros
	$(BIN)/ruff format --check xlsrc tests macros

# Rebuild the committed workbooks (tests prove they equal a fresh build).
workbook: setup
	$(BIN)/calloff build
	$(BIN)/calloff build --macros

# Re-render the README pictures through LibreOffice.
preview: setup
	$(BIN)/python tests/tools/render_preview.py

clean:
	rm -rf out .pytest_cache .ruff_cache
