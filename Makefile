# ivp — the two commands are `make demo` and `make test`; see README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALL_STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo install test lint fix bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(INSTALL_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(INSTALL_STAMP)
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

## install: create .venv and install ivp (then .venv/bin/ivp works)
# compileall: byte-compile the (editable) sources as pip does for installed packages, so a
# fresh `ivp` process does not compile ~100 modules when PYTHONDONTWRITEBYTECODE is set
install: $(INSTALL_STAMP)
	$(BIN)/python -m compileall -q src >/dev/null

## demo: set up the embedded default (SQLite, bundled data, demo plan) and serve it on :8000
demo: install
	bin/install-system-deps
	$(BIN)/ivp demo --addr 127.0.0.1:8000

## test: install what the tests need (Python and Debian packages) and run the whole suite
test: $(TEST_STAMP)
	bin/install-system-deps --test
	bin/run-tests

## lint: ruff check and format check
lint: $(TEST_STAMP)
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench

## fix: let ruff fix and format what it can
fix: $(TEST_STAMP)
	$(BIN)/ruff check --fix src bench
	$(BIN)/ruff format src bench

## bench: print benchmark figures
bench: $(TEST_STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
