# Attain: `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BENCH  ?=

.DEFAULT_GOAL := help
.PHONY: help install demo serve test test-fast lint bench lock clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Attain needs Python 3.11 or newer: run make with PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

install: $(STAMP) ## Create .venv and install Attain with the locked versions

demo: $(STAMP) ## Install, load the demo company into var/attain.sqlite3 (Jan–Oct closed, Nov open) and serve it at http://127.0.0.1:8000
	$(BIN)/attain demo --through FY2026-M10

serve: $(STAMP) ## Serve the app at http://127.0.0.1:8000
	$(BIN)/attain serve

lint: $(STAMP) ## Ruff, import-linter (framework-free engine) and the migrations check
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run

test: $(STAMP) ## Everything: lint, the suite on SQLite, on PostgreSQL and in Chromium
	$(MAKE) --no-print-directory lint
	$(BIN)/python scripts/test_all.py

test-fast: $(STAMP) ## The suite on SQLite only, without the browser
	$(BIN)/pytest -q -m "not browser"

bench: $(STAMP) ## Run the benchmarks in bench/ (BENCH=name for one)
	$(BIN)/python bench/run.py $(BENCH)

lock: ## Re-resolve requirements.lock from pyproject.toml
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev --extra spark --python-version 3.11 -o requirements.lock

clean: ## Remove .venv and var/ (the database and generated files)
	rm -rf $(VENV) var
