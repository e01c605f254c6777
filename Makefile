# mcbadge — developer tasks. `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEPS   := $(VENV)/.stamp-deps
NODE_DIR   := tests/interop/node
NODE_STAMP := $(NODE_DIR)/node_modules/.package-lock.json

.PHONY: demo test lint typecheck docs pytest bench setup node clean

setup: $(DEPS)

$(DEPS): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The digitalbazaar JavaScript stack used by the interop tests (versions pinned in the lock).
node: $(NODE_STAMP)

$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	npm ci --prefix $(NODE_DIR) --no-audit --no-fund --loglevel=error
	touch $@

# The pinned OB3 schemas come from the specifications beside the project when present;
# without them the demo says that the schema check was skipped.
demo: $(DEPS)
	@if [ -d ../shared/reference ]; then $(BIN)/mcbadge cache seed ../shared/reference >/dev/null; fi
	$(BIN)/mcbadge demo --out demo-out

lint: $(DEPS)
	$(BIN)/ruff check src tests examples scripts benchmarks
	$(BIN)/ruff format --check src tests examples scripts benchmarks

typecheck: $(DEPS)
	$(BIN)/mypy

docs: $(DEPS)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir site

pytest: $(DEPS) node
	$(BIN)/pytest -q

test: lint typecheck docs pytest

# Benchmarks against the peers in one run (Node digitalbazaar, openbadgeslib, the floors).
bench: $(DEPS) node
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) site demo-out $(NODE_DIR)/node_modules .mypy_cache .ruff_cache .pytest_cache
