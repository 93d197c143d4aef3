# One entry point for the README and .ci/run.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
export APIS_MATCHER_LOCAL_KAFKA_PORT ?= 19092

.PHONY: help install demo test test-unit lint broker-start broker-stop broker-status clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' Makefile | sed 's/:.*## /\t/'

# the compiled candidate stage (native/, Rust) is built by pip install: needs cargo
$(BIN)/apis-matcher: pyproject.toml native/Cargo.toml native/Cargo.lock $(wildcard native/src/*.rs)
	@command -v cargo >/dev/null || { echo "cargo (Rust 1.78+) is required to build matchers._core: https://rustup.rs" >&2; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

install: $(BIN)/apis-matcher  ## create .venv and install the package with its dev tools

demo: install  ## the main job on the embedded default (local broker, sample list, sample manifests)
	$(BIN)/apis-matcher demo

broker-start: install  ## fetch (Maven) and start the local single-node Kafka broker
	$(BIN)/python -m app.localkafka start

broker-stop:  ## stop the local broker
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m app.localkafka stop; fi

broker-status: install
	$(BIN)/python -m app.localkafka status

lint: install  ## ruff, mypy and the import-linter layer contract
	$(BIN)/ruff check app matchers schemas tests loadtest
	$(BIN)/mypy
	$(BIN)/lint-imports

test-unit: install  ## unit and contract tests only (no broker)
	$(BIN)/pytest -m "not integration"

test: install  ## everything: lint, unit, contract, and integration tests on the real broker
	$(MAKE) lint
	cargo test --quiet --release --manifest-path native/Cargo.toml
	$(BIN)/python -m app.localkafka start
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache native/target matchers/_core*.so
