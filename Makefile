# The two commands a newcomer needs: `make run` and `make test`. Everything else is set-up they call.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal

.PHONY: help run test lint install assets browser bench mutation scan clean backup restore translations catalogues
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

install: $(VENV)/.installed assets catalogues ## Create .venv, install the pinned packages and the front-end assets

# The compiled Welsh catalogue (.mo) is built from the .po here, never committed (.gitignore).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard portal/translations/*/LC_MESSAGES/messages.po))
catalogues: $(CATALOGUES)
portal/translations/%/LC_MESSAGES/messages.mo: portal/translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile -d portal/translations -D messages -l $* --statistics

# make test runs the suite on every core (pytest-xdist; workers take tests from each other when idle, so a
# long test last does not leave a core waiting); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto

BABEL_KEYWORDS := -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_ngettext:1,2
translations: $(VENV)/.installed ## Extract every message into messages.pot, update the Welsh catalogue, compile
	$(BIN)/pybabel -q extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output -o portal/translations/messages.pot .
	$(BIN)/pybabel -q update -i portal/translations/messages.pot -d portal/translations -D messages -l cy --ignore-obsolete --no-fuzzy-matching
	$(BIN)/pybabel compile -d portal/translations -D messages -l cy --statistics

# ONE_LOGIN_LOCAL=1 also runs a local GOV.UK One Login provider on 127.0.0.1:5556 (one_login_local/provider.mjs)
# and points the portal at it (the settings and the portal's key pair: scripts/one_login_local.py).
run: export LOG_FORMAT ?= text
run: install ## The portal with demo data, the worker and the Notify sandbox at http://127.0.0.1:5000 (ONE_LOGIN_LOCAL=1: and a local One Login)
	$(FLASK) db-upgrade
	$(FLASK) seed --if-empty
ifeq ($(ONE_LOGIN_LOCAL),1)
	settings="$$($(BIN)/python scripts/one_login_local.py)" && set -a && eval "$$settings" && set +a && \
		exec $(BIN)/honcho --procfile Procfile.one-login --no-prefix start
else
	$(BIN)/honcho --procfile Procfile.local --no-prefix start
endif

browser: ## Install Debian's Chromium (browser tests) and Java (the Nu HTML Checker, from npm) if missing
	bash scripts/ensure_debian_package.sh chromium chromium "the browser tests" "make test"
	bash scripts/ensure_debian_package.sh java default-jre-headless "the HTML checker tests" "make test"

lint: $(VENV)/.installed ## ruff, import contracts, complexity, dead code and types
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/vulture
	$(BIN)/mypy
	$(BIN)/python scripts/check_translations.py

test: install browser lint ## Install everything, lint, and run every test on SQLite and PostgreSQL
	bash scripts/ensure_debian_package.sh promtool prometheus "the alerting rules tests (ops/)" "make test" --no-install-recommends
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=20

mutation: $(VENV)/.installed ## Mutation testing of the core rules on SQLite (MODULES="access rules" for some)
	nice -n 19 $(BIN)/python scripts/mutation.py $(MODULES)

bench: install ## Benchmarks against a bare-Flask baseline (BENCH_ARGS="--preset small")
	bash scripts/ensure_debian_package.sh wrk wrk "the benchmarks" "make bench"
	$(BIN)/python -m bench $(BENCH_ARGS)

.scan-venv/.installed: scripts/scan_requirements.txt
	$(PYTHON) -m venv .scan-venv
	.scan-venv/bin/python -m pip install --quiet --disable-pip-version-check -r scripts/scan_requirements.txt
	touch $@

scan: install .scan-venv/.installed ## Wapiti scan of the portal (signed in and out); fails on unreviewed findings
	nice $(BIN)/python -m scripts.scan $(SCAN_ARGS)

backup: $(VENV)/.installed ## Back up the database (DATABASE_URL or the default SQLite) to instance/backups/, or BACKUP=file
	$(BIN)/python scripts/backup.py backup $(BACKUP)

restore: $(VENV)/.installed ## Replace the database with BACKUP=file (stop the portal first)
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=file: which backup?"; exit 2; }
	$(BIN)/python scripts/backup.py restore $(BACKUP)

clean: ## Remove .venv, .scan-venv, node_modules and the copied assets
	rm -rf $(VENV) .scan-venv node_modules static/govuk static/moj static/assets
