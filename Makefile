# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BROWSER_STAMP := $(VENV)/.browser

.PHONY: demo test lint bench clean tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# The HTML report's test opens the page in Debian's Chromium through chromium-driver: installed with apt-get
# when missing (as root, else with sudo); a machine without either gets told what to install.
$(BROWSER_STAMP): | $(STAMP)
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium chromium-driver; \
	elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else \
		echo "make: the HTML report test needs a headless Chromium and its driver: install the packages" \
			"chromium and chromium-driver (Debian/Ubuntu, as root), or put chromium and chromedriver on PATH" >&2; \
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

test: lint tools $(BROWSER_STAMP)
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
