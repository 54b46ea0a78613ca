# Tsunagari: two commands set everything up on a fresh machine.
#   make serve   install what is missing, build, serve on http://127.0.0.1:8080
#   make test    install what is missing (plus Chromium), run every test
# Tools go into git-ignored folders of the project (.tools/, node_modules/); nothing is
# downloaded but from crates.io, npm and Debian.

SHELL := /bin/bash
ROOT := $(CURDIR)
export PATH := $(ROOT)/.tools/bin:$(ROOT)/node_modules/.bin:$(PATH)
# trunk checks for updates even with offline = true in Trunk.toml.
export TRUNK_SKIP_VERSION_CHECK := true
export CHROMEDRIVER := /usr/bin/chromedriver
# Chromium and npm write into $HOME and $TMPDIR: keep that inside the project.
TEST_HOME := $(ROOT)/tests/e2e/out/home
TEST_TMP := $(ROOT)/tests/e2e/out/tmp

.PHONY: bench-ui bench serve dist build setup setup-test test test-native test-wasm test-e2e test-e2e-offline clean

# No service worker while developing: its cache would serve the previous build on reload.
serve: setup
	TSUNAGARI_SW=off trunk serve --release --offline=true

# The deployable folder dist/ and the single self-contained dist/tsunagari.html.
dist build: setup
	trunk build --release --offline=true
	@ls -l dist/index.html dist/tsunagari.html

setup:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

test: setup-test test-native test-wasm dist test-e2e test-e2e-offline
	@echo "make test: all tests passed"

test-native:
	cargo test --locked

test-wasm:
	@mkdir -p $(TEST_HOME) $(TEST_TMP)
	TMPDIR=$(TEST_TMP) cargo test --locked --target wasm32-unknown-unknown --features in-page --test web_ui

test-e2e:
	@mkdir -p $(TEST_HOME) $(TEST_TMP)
	HOME=$(TEST_HOME) TMPDIR=$(TEST_TMP) node tests/e2e/run.mjs dist
	HOME=$(TEST_HOME) TMPDIR=$(TEST_TMP) node tests/e2e/offline.mjs dist
	HOME=$(TEST_HOME) TMPDIR=$(TEST_TMP) node tests/e2e/share.mjs dist
	HOME=$(TEST_HOME) TMPDIR=$(TEST_TMP) node tests/e2e/keyboard.mjs dist
	cargo build --locked --bin tsunagari
	HOME=$(TEST_HOME) TMPDIR=$(TEST_TMP) node tests/e2e/municipal.mjs dist

# The same end-to-end tests with the network cut off (a network namespace with loopback
# only): proves the app needs nothing from outside. (offline.mjs also cuts its own server.)
test-e2e-offline:
	@mkdir -p $(TEST_HOME) $(TEST_TMP)
	@if unshare -n true 2>/dev/null; then \
	  echo "end-to-end test inside unshare -n (loopback only)"; \
	  HOME=$(TEST_HOME) TMPDIR=$(TEST_TMP) unshare -n sh -c 'ip link set lo up && node tests/e2e/run.mjs dist && node tests/e2e/offline.mjs dist'; \
	else \
	  echo "test-e2e-offline: unshare -n is not permitted here (needs root or user namespaces)" >&2; exit 1; \
	fi

clean:
	rm -rf dist target/wasm32-unknown-unknown tests/e2e/out

# Benchmark against the established browser tools (../shared/bench) and natively.
bench: dist
	scripts/bench.sh $(SIZES) $(RUNS)

# What a user feels in the browser (prints figures): start-up, drop → first table of the
# 1,200-row CP932 survey in phases, first crosstab after a 10k load, crosstab switching on
# the 100k-row bench file, wasm sizes. SMALL= and TENK= choose other files.
bench-ui: dist
	SMALL=$(or $(SMALL),tests/fixtures/municipal_labelled.csv) TENK=$(or $(TENK),target/bench/data/survey_10k.csv) \
	  node scripts/ui-bench.mjs $(or $(FILE),target/bench/data/survey_100k.csv)

