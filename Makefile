# d360: every target sets up what it needs; `make test` and `make demo` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SPEC ?=
# `make test` runs the suite in this many pytest-xdist workers, each test file kept whole on one worker (its
# module fixtures, a sandbox or a built wheel, are made once). More workers than cores: the tests mostly wait
# on servers and subprocesses. `make test TEST_WORKERS=0` runs it in one process. loadfile, not loadgroup: on
# pytest 9.2 xdist's loadgroup silently stops grouping (pytest-xdist issue 1386), and a file's last test may
# check what the tests before it counted (tests/contract/test_client_contract.py). Not in pyproject's addopts:
# `pytest tests/test_x.py` runs in one process, without starting and collecting in four workers.
TEST_WORKERS ?= 4

.PHONY: help install test check-generated regen lint demo bench mutate docs dist clean contract contract-full contract-live

help:
	@echo "make install          create .venv and install d360 with its dev extras"
	@echo "make test             drift check, then every test (in TEST_WORKERS=4 parallel workers)"
	@echo "make lint             ruff and mypy"
	@echo "make regen SPEC=...   regenerate from a file or URL (raw JSON or the docs page)"
	@echo "make check-generated  fail if generated/ differs from what the vendored spec generates"
	@echo "make contract         the contract suite alone (d360 contract, then the client's own)"
	@echo "make contract-full    the contract suite with the thorough hypothesis profile"
	@echo "make contract-live    a small subset against upstream's sandbox (needs D360_SANDBOX_KEY)"
	@echo "make demo             send messages through the local sandbox"
	@echo "make bench            benchmarks side by side (bench/run.py --quick for a smoke run)"
	@echo "make docs             the documentation site into site/ (built strict: a broken link fails)"
	@echo "make dist             the wheel and sdist into dist/ (pip install 'dist/d360_messaging-...whl[sandbox]')"
	@echo "make mutate           mutation testing of the core modules (mutmut), then its summary table"

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

test: install check-generated
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

check-generated: install
	$(BIN)/python scripts/regen.py --check

regen: install
	scripts/regen.sh $(SPEC)

lint: install
	$(BIN)/ruff check src tests scripts examples bench docs
	$(BIN)/ruff format --check src tests scripts examples bench docs
	$(BIN)/mypy

# The packaged suite (`d360 contract`, what a team runs in its CI), then d360's own client-side contract tests.
contract: install
	$(BIN)/d360 contract
	$(BIN)/python -m pytest tests/contract -m "not live"

contract-full: install
	$(BIN)/d360 contract --profile thorough
	HYPOTHESIS_PROFILE=thorough $(BIN)/python -m pytest tests/contract -m "not live"

contract-live: install
	$(BIN)/python -m pytest tests/contract -m live -rs

demo: install
	$(BIN)/python examples/demo.py

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/run.py --journals-only
	$(BIN)/python bench/run.py --inbox-only

docs: install
	$(BIN)/mkdocs build --strict -d site

# The wheel and the sdist, built in an isolated environment as a release is (.github/workflows/release.yml).
dist: install
	rm -rf dist
	$(BIN)/python -m build --outdir dist
	@ls -1 dist

# Not part of `make test`: it takes a while. mutmut picks up where it left off; `rm -rf mutants` starts anew.
mutate: install
	$(BIN)/mutmut run --max-children $$(nproc)
	$(BIN)/python scripts/mutation_report.py

clean:
	rm -rf $(VENV) mutants site dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
