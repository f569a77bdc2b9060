# coursegate — `make run` and `make test` are the whole quick start.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
POSTGRES_TEST_ADMIN ?= postgresql://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: run install test test-sqlite test-postgres lint fmt typecheck bench fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/coursegate demo
	$(BIN)/coursegate serve

test: install test-sqlite test-postgres

test-sqlite: install
	COURSEGATE_TEST_DATABASE=sqlite $(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres: install
	COURSEGATE_TEST_DATABASE=postgresql COURSEGATE_TEST_POSTGRES_ADMIN=$(POSTGRES_TEST_ADMIN) $(BIN)/pytest -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

fmt: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

typecheck: install
	$(BIN)/mypy src

# Property-based fuzzing with a larger budget than CI (COURSEGATE_FUZZ_EXAMPLES per operation).
FUZZ_EXAMPLES ?= 300
fuzz: install
	COURSEGATE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) COURSEGATE_FUZZ_RANDOM=1 $(BIN)/pytest -q tests/test_reliability_fuzz.py tests/test_reliability_properties.py $(PYTEST_ARGS)
	COURSEGATE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) COURSEGATE_FUZZ_RANDOM=1 COURSEGATE_TEST_DATABASE=postgresql COURSEGATE_TEST_POSTGRES_ADMIN=$(POSTGRES_TEST_ADMIN) $(BIN)/pytest -q tests/test_reliability_fuzz.py $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Benchmarks (never part of `make test` or CI): BENCH_SCALE=small|modest|full, BENCH_DURATION,
# BENCH_REPEATS, BENCH_DATABASES=sqlite,postgresql. Results land in bench/results/.
bench: install
	@which wrk >/dev/null 2>&1 || apt-get install -y wrk >/dev/null 2>&1 || \
		echo "wrk unavailable: using the labelled httpx fallback load generator"
	$(BIN)/python -m bench

# Rebuild the single pre-release migration from the table definitions.
migration: install
	$(BIN)/python scripts/regen_initial_migration.py
	$(BIN)/ruff format src/coursegate/store/migrations/versions
