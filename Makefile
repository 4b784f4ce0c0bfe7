# The two set-up commands of the README:  make demo  and  make test.
# Both create the virtual environment and install privwatch into it first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXAMPLE := examples/hanbit-market-privacy-ko.html

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/privwatch audit $(EXAMPLE)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench examples
	$(BIN)/ruff format --check src tests bench examples
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/perf.py
	$(BIN)/python bench/ingest_corpus.py
	$(BIN)/python bench/audit_corpus.py
	$(BIN)/python bench/detectors.py
	$(BIN)/python bench/scan_har.py --mb 200
	$(BIN)/python bench/watch_cycle.py
	$(BIN)/python bench/batch_throughput.py
	$(BIN)/python bench/dashboard_load.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
