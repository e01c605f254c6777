# mcbadge — developer tasks. `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEPS   := $(VENV)/.stamp-deps
NODE_DIR   := tests/interop/node
NODE_STAMP := $(NODE_DIR)/node_modules/.package-lock.json
WALLET_DIR   := tests/interop/wallet
WALLET_STAMP := $(WALLET_DIR)/node_modules/.package-lock.json

.PHONY: demo test lint typecheck docs pytest bench setup node w3c-suites postgres clean dist

setup: $(DEPS)

$(DEPS): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The digitalbazaar JavaScript stack used by the interop tests, and the OpenID4VCI wallet
# libraries (@openid4vc/openid4vci, @sphereon/oid4vci-client) in a package of their own
# (versions pinned in each lock).
node: $(NODE_STAMP) $(WALLET_STAMP)

$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	npm ci --prefix $(NODE_DIR) --no-audit --no-fund --loglevel=error
	touch $@

$(WALLET_STAMP): $(WALLET_DIR)/package.json $(WALLET_DIR)/package-lock.json
	npm ci --prefix $(WALLET_DIR) --no-audit --no-fund --loglevel=error
	touch $@

# The W3C conformance suites (tests/conformance/w3c): a writable copy of ../shared/w3c-suites
# (read-only there) with each suite's npm dependencies installed from the lock files we keep
# (the suites ship none; `npm ci` needs one). Offline but for the npm registry. Idempotent: the
# copy is refreshed (cheap), npm ci runs only when a suite's lock or package.json changed.
W3C_SRC    := ../shared/w3c-suites
W3C_DIR    := build/w3c-suites
W3C_LOCKS  := tests/conformance/w3c/locks
W3C_SUITES := $(notdir $(wildcard $(W3C_LOCKS)/*))

w3c-suites:
	@if [ ! -d $(W3C_SRC) ]; then echo "w3c-suites: $(W3C_SRC) not found; the W3C suite tests will skip"; exit 0; fi; \
	mkdir -p $(W3C_DIR) && cp -R $(W3C_SRC)/. $(W3C_DIR)/ && chmod -R u+w $(W3C_DIR) && \
	for suite in $(W3C_SUITES); do \
	  dir=$(W3C_DIR)/$$suite; \
	  if ! cmp -s $(W3C_LOCKS)/$$suite/package-lock.json $$dir/node_modules/.mcbadge-lock || \
	     ! cmp -s $$dir/package.json $$dir/node_modules/.mcbadge-package; then \
	    echo "w3c-suites: npm ci in $$dir"; \
	    cp $(W3C_LOCKS)/$$suite/package-lock.json $$dir/package-lock.json && \
	    (cd $$dir && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) && \
	    cp $$dir/package-lock.json $$dir/node_modules/.mcbadge-lock && \
	    cp $$dir/package.json $$dir/node_modules/.mcbadge-package || exit 1; \
	  fi; \
	done

# PostgreSQL server binaries (initdb, pg_ctl) for the store tests against a real database:
# the Debian package, installed only when missing (tests start their own throw-away server).
postgres:
	@if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	else echo "installing the PostgreSQL server (apt-get install postgresql)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; fi

# The verify page's tests (tests/browser) drive Debian's chromium through its own
# chromium-driver; the certificate's QR code is decoded with zbarimg. Installed when missing.
BROWSER_TOOLS := chromium chromedriver zbarimg
browser:
	@for tool in $(BROWSER_TOOLS); do command -v $$tool >/dev/null || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing chromium, chromium-driver and zbar-tools (apt-get)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    -o DPkg::Lock::Timeout=600 --no-install-recommends \
	    chromium chromium-driver zbar-tools fonts-dejavu-core >/dev/null; \
	fi

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

pytest: $(DEPS) node w3c-suites postgres browser
	$(BIN)/pytest -q

test: lint typecheck docs pytest

# sdist and wheel into dist/, with their metadata checked (the wheel test installs one alone).
dist: $(DEPS)
	rm -rf dist
	$(BIN)/python -m build --outdir dist
	$(BIN)/twine check --strict dist/*

# Benchmarks against the peers in one run (Node digitalbazaar, openbadgeslib, the floors).
bench: $(DEPS) node
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) site demo-out dist build $(W3C_DIR) $(NODE_DIR)/node_modules $(WALLET_DIR)/node_modules .mypy_cache .ruff_cache .pytest_cache
