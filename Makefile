# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/catlic demo

lint: $(STAMP)
	$(BIN)/ruff check nornir_catlic virtual_devices textfsm_templates yaml_lines tests benchmarks
	$(BIN)/mypy

# The suite runs in a new random order each time (pytest-randomly); `make test SEED=N` replays order N.
# Two workers, one test file each at a time (a module's lab stays in one process): about half the time on
# two cores. `make test WORKERS=0` runs serially, `WORKERS=auto` uses every core.
WORKERS ?= 2
ifndef SEED
SEED := $(shell $(PYTHON) -c 'import random; print(random.randrange(10**6))')
endif

test: lint
	@echo "pytest: random order --randomly-seed=$(SEED) (replay: make test SEED=$(SEED)), $(WORKERS) workers"
	$(BIN)/pytest -q -p randomly --randomly-seed=$(SEED) -n $(WORKERS) --dist loadfile

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info
