# Two commands on a fresh machine: `make demo` and `make test`.
# Each creates .venv with the machine's python3 (3.11+) and installs the project into it.

VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The 督办台账 demo: the demo city, one user per role (passwords printed), months of progress, on SQLite at
# http://127.0.0.1:8000 (`eduplan demo` still prints the sample plan's outline).
demo: $(STAMP) node_modules/.package-lock.json
	$(BIN)/eduplan serve --demo

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# The whole suite on SQLite, then again on PostgreSQL (a throw-away test database that pytest-django creates
# and drops). The scripts install PostgreSQL and Debian's chromium when they are missing.
test: $(STAMP) node_modules/.package-lock.json
	$(BIN)/ruff check src tests benchmarks
	scripts/ensure-chromium.sh
	$(BIN)/pytest -n 2
	scripts/ensure-postgres.sh
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/eduplan_test $(BIN)/pytest -n 2 -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/reader.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
