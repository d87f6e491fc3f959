# The two commands of the README quick start: `make demo` and `make test`.
# Both are idempotent: they install only what is missing, then run.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint install install-test system-deps clean help

help:
	@echo "make demo   install ddkit and run the demo on the bundled sample"
	@echo "make test   install ddkit with test tools and run lint + the whole test suite"

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed-runtime: requirements.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-test
	@touch $@

$(VENV)/.installed-test: requirements-test.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements-test.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-runtime
	@touch $@

# Debian's Chromium (Playwright's own browser download is not available here) and Korean fonts
# so screenshots show Hangul.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || [ ! -d /usr/share/fonts/truetype/nanum ]; then \
	  echo "Installing Debian packages: chromium fonts-nanum"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-nanum >/dev/null; \
	fi

# Bytecode is compiled at install time (uv's --compile-bytecode above, compileall for ddkit's own
# packages here), so no command compiles modules at start-up, with PYTHONDONTWRITEBYTECODE set too.
PACKAGES := a11y_audit cli gap_survey reports training_tracker

install: system-deps $(VENV)/.installed-runtime
	@$(BIN)/python -m compileall -q $(PACKAGES)
install-test: system-deps $(VENV)/.installed-test
	@$(BIN)/python -m compileall -q $(PACKAGES)

demo: install
	$(BIN)/ddkit demo

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The storage tests run against SQLite and against a PostgreSQL server started here on 127.0.0.1.
test: install-test lint
	DDKIT_TEST_PG_URL=$$(scripts/test-postgres.sh) $(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
