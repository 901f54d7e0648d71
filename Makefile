# The commands the README gives. Each target sets up .venv itself, reinstalling only
# when the requirements files or pyproject.toml have changed since the last install.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# e.g. make run SERVE_ARGS="--host 0.0.0.0" · make test PYTEST_ARGS="-x tests/cli"
SERVE_ARGS ?=
PYTEST_ARGS ?=

.PHONY: run test lint

run: $(VENV)/.installed-run
	$(BIN)/dear serve $(SERVE_ARGS)

# A fresh data dir per run, removed afterwards: two runs never share a test database.
test: $(VENV)/.installed-test
	@data=$$(mktemp -d -t dear-test-XXXXXX) && trap 'rm -rf "$$data"' EXIT && \
	    echo "DEAR_DATA_DIR=$$data $(BIN)/pytest $(PYTEST_ARGS)" && \
	    DEAR_DATA_DIR="$$data" $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	touch $@

$(VENV)/.installed-test: requirements-test.txt requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-test.txt -e .
	touch $@
