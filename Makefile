# The two commands a newcomer needs: `make run` and `make test`. Everything else is set-up they call.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal

.PHONY: run test lint install assets browser bench clean

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

assets: static/govuk/govuk-frontend.min.css

install: $(VENV)/.installed assets

run: install
	$(FLASK) db-upgrade
	$(FLASK) seed --if-empty
	$(BIN)/honcho --procfile Procfile.local --no-prefix start

browser:
	bash scripts/ensure_debian_package.sh chromium chromium "the browser tests" "make test"

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: install browser lint
	$(BIN)/python -m pytest

bench: install
	bash scripts/ensure_debian_package.sh wrk wrk "the benchmarks" "make bench"
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules static/govuk static/moj static/assets
