# skills-matcher: `make run` sets up and serves; `make test` runs the tests. `make help` lists all.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# torch 2.13.0, CPU build: the wheel on local disk where the machine has one, else PyTorch's CPU
# index. Never an unpinned torch: PyPI's default build pulls several GB of CUDA libraries.
TORCH_WHEEL := $(firstword $(wildcard /opt/wheels/torch-2.13.0+cpu-*.whl))
TORCH := $(if $(TORCH_WHEEL),$(TORCH_WHEEL),torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu)
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

# uv installs what pip did (the same pinned versions, constraints.txt) in about 30 s instead of
# 3 minutes on a 2-core Zen 3 (clean clone, 2026-12-07): it is what keeps CI under its 10 minutes.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/activate
	$(BIN)/python -m pip install --quiet uv==0.13.10 $(PIP_QUIET)
	$(BIN)/uv pip install --quiet --python $(BIN)/python $(TORCH)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install the project.

build: install ## Build the indexes (first time: minutes; later: reuses them).
	$(BIN)/matcher build

run: build ## Set up, build the indexes, load the demo partnership and serve on 127.0.0.1:8000.
	$(BIN)/matcher admin seed-demo --url http://$(HOST):$(PORT)
	$(BIN)/matcher serve --host $(HOST) --port $(PORT)

# The whole suite runs on both cores (pytest-xdist, two workers, each test file kept on one worker
# so that module fixtures such as the full-data indexes of tests/test_full_data.py are built
# once). Embeddings are cached per model and text outside the checkout (tests/conftest.py,
# TEST_CACHE: ~/.cache/skills-matcher/test-cache), so a clean clone re-encodes nothing a
# previous run on the machine encoded. `make test` fails when pytest fails or runs no test
# (pytest exit 5).
test: install ## Run the whole test suite (real model, real data slices, browser, PostgreSQL, full-data checks); what CI runs.
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-fast: install ## Run the tests that need no model, index or full data (under a minute; tests/conftest.py tiers them).
	$(BIN)/python -m pytest -m "not model and not slow and not browser"

LINT_PATHS := matcher service tests evaluation models .ci

lint: install ## ruff check + format check + dead-code check (.ci/dead_code.py, vulture) + type check (mypy).
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/python .ci/dead_code.py
	$(MAKE) --no-print-directory typecheck

# mypy's incremental cache lives outside the checkout, like the test embeddings: a clean clone
# re-checks only the files that changed (Zen 3: 44 s cold, 1 s warm).
MYPY_CACHE_DIR ?= $(HOME)/.cache/skills-matcher/mypy
export MYPY_CACHE_DIR

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
