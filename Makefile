# Partnerships Graph — the README's commands. Every target builds its own virtual environment.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test check bench install schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: migrate, load the four boroughs into the embedded SQLite file, serve GraphiQL on :8000
run: install
	$(BIN)/partnerships db upgrade
	$(BIN)/partnerships load
	$(BIN)/partnerships serve

## make test: the whole suite, on SQLite and on PostgreSQL
test: install
	$(BIN)/pytest -q

## make check: lint and schema drift (fast)
check: install
	$(BIN)/ruff check core schema plugins tests bench
	$(BIN)/partnerships export-schema --check

## make schema: rewrite schema/schema.graphql from the code
schema: install
	$(BIN)/partnerships export-schema

## make bench: benchmarks that print figures
bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) partnerships.db partnerships.db-*
