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

# The store's tests start a private PostgreSQL server (tests/postgresql_server.py): Debian's package, installed
# once when missing, as root or through sudo.
PG_STAMP := $(VENV)/.postgresql

$(PG_STAMP): | $(STAMP)
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; \
	elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; \
	else echo "PostgreSQL's server is missing and this user cannot install it: apt-get install postgresql as root" >&2; exit 1; fi
	touch $(PG_STAMP)

test: lint $(PG_STAMP)
	@echo "pytest: random order --randomly-seed=$(SEED) (replay: make test SEED=$(SEED)), $(WORKERS) workers"
	$(BIN)/pytest -q -p randomly --randomly-seed=$(SEED) -n $(WORKERS) --dist loadfile

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info
