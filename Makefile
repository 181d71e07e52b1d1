# Partnerships Graph — the README's commands. Every target builds its own virtual environment.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp

.PHONY: run test check bench install schema clean system-deps

# Debian packages: Graphviz lays out structure charts, Chromium renders the overview page and
# GraphiQL in the tests, Node's npm installs GraphiQL (served by the app itself) and the
# graphql-http audit. Installed when missing and running as root (CI); otherwise say how. Only
# what is missing is asked for: a machine with Node from another source (NodeSource's nodejs
# carries its own npm) must not be asked for Debian's npm, which conflicts with it.
SYSTEM_PACKAGES := graphviz chromium nodejs npm

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# GraphiQL's scripts and styles, and the graphql-http audit, at the versions package-lock.json pins.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing (GraphiQL is installed with it): sudo apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

system-deps:
	@missing=""; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "missing Debian packages: sudo apt-get install$$missing"; fi

## make run: migrate, load the four boroughs into the embedded SQLite file, serve GraphiQL on :8000
run: install
	$(BIN)/partnerships db upgrade
	$(BIN)/partnerships load
	$(BIN)/partnerships serve

## make test: the whole suite, on SQLite and on PostgreSQL
test: system-deps install
	$(BIN)/pytest -q

## make check: lint, architecture rules (import cycles, plugin API, hookimpl registration), drift,
## breaking schema changes not listed in CHANGELOG.md
check: install
	$(BIN)/ruff check core schema plugins tests bench
	$(BIN)/python -m core.kit.architecture
	$(BIN)/partnerships export-schema --check
	$(BIN)/python -m core.kit.schema_gate
	$(BIN)/partnerships hooks-doc --check
	$(BIN)/partnerships rules-doc --check
	$(BIN)/partnerships config-docs --check

## make schema: rewrite the generated files (SDL, hook reference, rulebooks, configuration reference)
schema: install
	$(BIN)/partnerships export-schema
	$(BIN)/partnerships hooks-doc
	$(BIN)/partnerships rules-doc
	$(BIN)/partnerships config-docs

## make bench: benchmarks that print figures. PostGraphile 5 runs beside the API (installed under
## bench/peers by npm on first use); `make bench PEERS=0` leaves it out
bench: install
	PEERS=$(PEERS) $(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules partnerships.db partnerships.db-*

## make faults: restart the local PostgreSQL while writes are in flight (CI runs it too)
faults: install
	PARTNERSHIPS_FAULTS=1 $(BIN)/pytest -q -s tests/test_faults.py

## make canary: the lean-execution tests against the newest strawberry-graphql and graphql-core
## releases, in their own venv (see .ci/canary; CI runs it after `make test` and does not fail on it)
.PHONY: canary
canary:
	bash .ci/canary
