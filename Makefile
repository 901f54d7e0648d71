# The commands the README gives. Each target sets up .venv itself, reinstalling only
# when the requirements files or pyproject.toml have changed since the last install.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
NODE_CHECKS := tests/browser/node
# e.g. make run SERVE_ARGS="--host 0.0.0.0" · make test PYTEST_ARGS="-x tests/cli"
SERVE_ARGS ?=
PYTEST_ARGS ?=
# e.g. make bench BENCH_ARGS="--quick" · make bench BENCH_ARGS="--db sqlite --parts workloads"
BENCH_ARGS ?=

.PHONY: run test lint bench

run: $(VENV)/.installed-run
	$(BIN)/dear serve $(SERVE_ARGS)

# A fresh data dir per run, removed afterwards: two runs never share a test database.
test: $(VENV)/.installed-test $(NODE_CHECKS)/node_modules/.installed
	@data=$$(mktemp -d -t dear-test-XXXXXX) && trap 'rm -rf "$$data"' EXIT && \
	    echo "DEAR_DATA_DIR=$$data $(BIN)/pytest $(PYTEST_ARGS)" && \
	    DEAR_DATA_DIR="$$data" $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

# Load against a real `dear serve` with wrk (installed from Debian if missing); about
# 20–25 minutes in full. Figures, plot and summary land in bench/results/ (bench/README.md).
bench: $(VENV)/.installed-bench
	@command -v wrk >/dev/null || { \
	    if [ "$$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; \
	    else sudo apt-get install -y -qq wrk || { sudo apt-get update -qq && sudo apt-get install -y -qq wrk; }; fi; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	touch $@

$(VENV)/.installed-test: requirements-test.txt requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-test.txt -e .
	touch $@

# axe-core and Lighthouse for the browser tests, exactly as package-lock.json pins them.
$(NODE_CHECKS)/node_modules/.installed: $(NODE_CHECKS)/package.json $(NODE_CHECKS)/package-lock.json
	npm ci --prefix $(NODE_CHECKS) --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed-bench: requirements-bench.txt requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt -e .
	touch $@
