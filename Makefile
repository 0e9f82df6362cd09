# The two commands a newcomer needs: `make run` and `make test`. Everything else is set-up they call.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal

.PHONY: help run test lint install assets browser bench mutation clean
.DEFAULT_GOAL := help

help: ## List every target
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sort | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/govuk/govuk-frontend.min.css: node_modules/.installed scripts/build_assets.sh
	bash scripts/build_assets.sh

assets: static/govuk/govuk-frontend.min.css ## Copy GOV.UK Frontend and MoJ Frontend into static/

install: $(VENV)/.installed assets ## Create .venv, install the pinned packages and the front-end assets

run: install ## The portal with demo data, the worker and the Notify sandbox at http://127.0.0.1:5000
	$(FLASK) db-upgrade
	$(FLASK) seed --if-empty
	$(BIN)/honcho --procfile Procfile.local --no-prefix start

browser: ## Install Debian's Chromium (browser tests) and Java (the Nu HTML Checker, from npm) if missing
	bash scripts/ensure_debian_package.sh chromium chromium "the browser tests" "make test"
	bash scripts/ensure_debian_package.sh java default-jre-headless "the HTML checker tests" "make test"

lint: $(VENV)/.installed ## ruff, import contracts, complexity, dead code and types
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/vulture
	$(BIN)/mypy

test: install browser lint ## Install everything, lint, and run every test on SQLite and PostgreSQL
	$(BIN)/python -m pytest

mutation: $(VENV)/.installed ## Mutation testing of the core rules on SQLite (MODULES="access rules" for some)
	nice -n 19 $(BIN)/python scripts/mutation.py $(MODULES)

bench: install ## Benchmarks against a bare-Flask baseline (BENCH_ARGS="--preset small")
	bash scripts/ensure_debian_package.sh wrk wrk "the benchmarks" "make bench"
	$(BIN)/python -m bench $(BENCH_ARGS)

clean: ## Remove .venv, node_modules and the copied assets
	rm -rf $(VENV) node_modules static/govuk static/moj static/assets
