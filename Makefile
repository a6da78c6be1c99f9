# The two commands of README.md: `make run` and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check system-deps bench

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Install and start the portal on its embedded default (SQLite file ./diemtin.db).
run: $(STAMP)
	$(BIN)/diemtin run

## Install everything, then run the linters and all three tiers of tests.
test: $(STAMP) system-deps check
	$(BIN)/pytest

check: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## PostgreSQL from Debian's packages, for the store tests on the second engine.
system-deps:
	scripts/install-system-deps
