# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-packages

.PHONY: demo test lint bench clean tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# System packages the tests use, from Debian (apt-get as root, else through sudo; a machine with neither is told
# what to install): Chromium and its driver open the HTML report headless; PostgreSQL's server backs the store's
# tests (tests/postgresql_server.py starts a private one). Checked once: the stamp remembers.
SYSTEM_PACKAGES := chromium chromium-driver postgresql

$(SYSTEM_STAMP): | $(STAMP)
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null && \
		{ ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; }; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get -o DPkg::Lock::Timeout=300 install -y -qq $(SYSTEM_PACKAGES); \
	elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES); \
	else \
		echo "make: the tests need Debian's packages $(SYSTEM_PACKAGES) (a headless Chromium and chromedriver," \
			"PostgreSQL's server): install them as root, or put chromium, chromedriver and initdb on PATH" >&2; \
		exit 1; \
	fi
	touch $@

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

test: lint tools $(SYSTEM_STAMP)
	@echo "pytest: random order --randomly-seed=$(SEED) (replay: make test SEED=$(SEED)), $(WORKERS) workers"
	$(BIN)/pytest -q -p randomly --randomly-seed=$(SEED) -n $(WORKERS) --dist loadfile

# promtool checks and unit-tests examples/prometheus's alert rules. Debian's prometheus package holds it; the
# package is unpacked, never installed (installing would start a Prometheus server on every interface).
# Without it (no apt), the tests check the rules' shape instead and say so.
PROMTOOL := $(VENV)/tools/promtool

tools: $(STAMP)
	@test -x $(PROMTOOL) || { \
	  rm -rf $(VENV)/tools/deb && mkdir -p $(VENV)/tools/deb && cd $(VENV)/tools/deb && \
	  { apt-get download -q prometheus || { apt-get update -qq && apt-get download -q prometheus; }; } && \
	  dpkg-deb -x prometheus_*.deb ../prometheus && cd .. && rm -rf deb && \
	  ln -sf prometheus/usr/bin/promtool promtool && ./promtool --version | head -1; \
	} || echo "promtool unavailable: the alert rules will be checked structurally"

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info
