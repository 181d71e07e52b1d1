# Partnerships Graph — the README's commands. Every target builds its own virtual environment.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test check bench install schema clean system-deps

# Debian packages the tests use: Graphviz lays out structure charts, Chromium renders the
# overview page. Installed when missing and running as root (CI); otherwise say how.
SYSTEM_PACKAGES := graphviz chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	@if command -v dot >/dev/null && command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else echo "missing Debian packages: sudo apt-get install $(SYSTEM_PACKAGES)"; fi

## make run: migrate, load the four boroughs into the embedded SQLite file, serve GraphiQL on :8000
run: install
	$(BIN)/partnerships db upgrade
	$(BIN)/partnerships load
	$(BIN)/partnerships serve

## make test: the whole suite, on SQLite and on PostgreSQL
test: install system-deps
	$(BIN)/pytest -q

## make check: lint, architecture rules (import cycles, plugin API, hookimpl registration), drift
check: install
	$(BIN)/ruff check core schema plugins tests bench
	$(BIN)/python -m core.kit.architecture
	$(BIN)/partnerships export-schema --check
	$(BIN)/partnerships hooks-doc --check
	$(BIN)/partnerships rules-doc --check
	$(BIN)/partnerships config-docs --check

## make schema: rewrite the generated files (SDL, hook reference, rulebooks, configuration reference)
schema: install
	$(BIN)/partnerships export-schema
	$(BIN)/partnerships hooks-doc
	$(BIN)/partnerships rules-doc
	$(BIN)/partnerships config-docs

## make bench: benchmarks that print figures
bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) partnerships.db partnerships.db-*

## make faults: restart the local PostgreSQL while writes are in flight (CI runs it too)
faults: install
	PARTNERSHIPS_FAULTS=1 $(BIN)/pytest -q -s tests/test_faults.py
