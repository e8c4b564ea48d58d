# skills-matcher: `make run` sets up and serves; `make test` runs the tests. `make help` lists all.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The CPU wheel of torch lies on local disk on these machines; never let pip pull a CUDA build.
WHEELS := $(wildcard /opt/wheels)
PIP_FLAGS := $(if $(WHEELS),--find-links $(WHEELS),)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export OMP_WAIT_POLICY := PASSIVE
# Let Python cache compiled modules (__pycache__, ignored by git): some environments set
# PYTHONDONTWRITEBYTECODE=1, and then every test run and every `python -m matcher` it spawns
# compiles the whole package again.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: help install run build serve test test-fast lint typecheck format eval bench model load audit clean

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Some machines' pip configuration lists extra index folders that hold only some packages; pip
# then warns once for every package it does not find there ("Location '...' is ignored: it is
# neither a file nor a directory"), some sixty lines about the machine, not about this install:
# exactly those lines are dropped (pip's exit status is kept; every other message still shows).
PIP_QUIET := 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip $(PIP_QUIET)
	$(BIN)/python -m pip install --quiet $(PIP_FLAGS) torch==2.13.0 $(PIP_QUIET)
	# (setuptools notes every editable install with an "Editable installation" warning: not for users)
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet $(PIP_FLAGS) -c constraints.txt -e '.[dev]' $(PIP_QUIET)
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install the project.

build: install ## Build the indexes (first time: minutes; later: reuses them).
	$(BIN)/matcher build

run: build ## Set up, build the indexes, load the demo partnership and serve on 127.0.0.1:8000.
	$(BIN)/matcher admin seed-demo --url http://$(HOST):$(PORT)
	$(BIN)/matcher serve --host $(HOST) --port $(PORT)

# The full-data ranking tests (tests/test_full_data.py) spend three minutes building full indexes
# while the rest of the suite runs on one core: they run beside it, in a second job with its own
# test cache, followed there by the API fuzzing (tests/test_fuzz_api.py, ~100 s) so that both
# cores stay busy to the end. `make test` fails when any of the three pytest runs fails or runs
# no test (pytest exit 5).
BESIDE := tests/test_full_data.py tests/test_fuzz_api.py
test: install ## Run the whole test suite (real model, real data slices, browser, PostgreSQL, full-data checks); what CI runs.
	@mkdir -p var
	@(export MATCHER_TEST_CACHE=$(CURDIR)/var/test-cache-full; rc=0; \
		for t in $(BESIDE); do $(BIN)/python -m pytest $$t || rc=1; done; exit $$rc) \
		> var/test-beside.log 2>&1 & beside=$$!; \
	$(BIN)/python -m pytest $(addprefix --ignore=,$(BESIDE)); rest=$$?; \
	wait $$beside; besiderc=$$?; \
	echo "--- $(BESIDE) (run beside the rest; exit $$besiderc) ---"; cat var/test-beside.log; \
	[ $$rest = 0 ] && [ $$besiderc = 0 ]

test-fast: install ## Run the tests that need no model, index or full data (under a minute; tests/conftest.py tiers them).
	$(BIN)/python -m pytest -m "not model and not slow and not browser"

LINT_PATHS := matcher service tests evaluation models .ci

lint: install ## ruff check + format check + dead-code check (.ci/dead_code.py, vulture) + type check (mypy).
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/python .ci/dead_code.py
	$(MAKE) --no-print-directory typecheck

typecheck: install ## mypy over matcher/ and service/ (settings: [tool.mypy] in pyproject.toml).
	$(BIN)/mypy

format: install
	$(BIN)/ruff format $(LINT_PATHS)
	$(BIN)/ruff check --fix $(LINT_PATHS)

eval: build ## Run every evaluation task on every dev file; write evaluation/results/.
	$(BIN)/python -m evaluation.run_all

bench: build ## Run the benchmarks; write evaluation/bench/.
	$(BIN)/python -m evaluation.bench

model: install ## Fine-tune the encoder's taxonomy adapter (LoRA) into models/labour-minilm-lora (~40 min on 2 cores).
	$(BIN)/matcher train-encoder --out models/labour-minilm-lora --seed 13

load: build ## Load test: 200 clients for 60 s on 127.0.0.1 (reads, alignments, review writes); counts every write.
	$(BIN)/python -m evaluation.load_test --clients 200 --seconds 60

# Vulnerability ids judged not to apply, each with its reason in docs/security.md (none today).
AUDIT_IGNORE :=
AUDIT_FLAGS ?=
audit: install ## pip-audit: known vulnerabilities of the installed packages (exceptions: docs/security.md).
	$(BIN)/pip-audit --local --skip-editable --progress-spinner off $(AUDIT_FLAGS) $(foreach id,$(AUDIT_IGNORE),--ignore-vuln $(id))

clean: ## Remove the virtualenv and built artefacts (keeps the embedding cache).
	rm -rf $(VENV) var/indexes *.egg-info
