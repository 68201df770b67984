# Two commands from a fresh clone: `make demo` (the main job on the demo extension) and
# `make test` (lint, type check and tests). Both create .venv and build what they need.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check
OUT    := out

DEMO_SOURCES    := demo/pyproject.toml demo/CMakeLists.txt $(wildcard demo/src/*.[ch]pp demo/src/tinyfuser/*.py)
HAZARDS_SOURCES := tests/hazards/pyproject.toml tests/hazards/CMakeLists.txt $(wildcard tests/hazards/src/*.cpp tests/hazards/src/nbhazards/*.py tests/hazards/src/nbsplit/*.py tests/hazards/src/*.hpp)
TWIN_SOURCES    := demo/pybind11/pyproject.toml demo/pybind11/CMakeLists.txt demo/pybind11/src/bindings.cpp demo/src/fusion.hpp

.PHONY: demo test test-fast test-lowest lint env clean

demo: $(VENV)/.demo-built
	@mkdir -p $(OUT)
	$(VENV)/bin/nbapi model tinyfuser --summary
	$(VENV)/bin/nbapi all --config demo/pyproject.toml
	@echo "stubs: stubs/; coverage reports: $(OUT)/; docs: docs/_build/html/index.html"

test: $(VENV)/.demo-built $(VENV)/.hazards-built $(VENV)/.twin-built lint
	$(PY) -m pytest

# The tests that need no built extension: seconds, on a fresh clone after `make env`.
test-fast: $(VENV)/.tool-installed
	NBAPI_HIDE_EXTENSIONS=1 $(PY) -m pytest -q -m "not extension and not slow"

# The fast tests with every dependency at the lower bound pyproject.toml declares
# (.ci/lowest.py writes the constraints), in a venv of its own; then the demo's docs,
# built from its recorded model with the oldest Sphinx and furo, warnings as errors.
LOWEST := .venv-lowest
test-lowest:
	@test -x $(LOWEST)/bin/python || $(PYTHON) -m venv $(LOWEST)
	$(PYTHON) .ci/lowest.py > $(LOWEST)/constraints.txt
	$(LOWEST)/bin/python -m pip install --quiet --disable-pip-version-check \
		-c $(LOWEST)/constraints.txt -e '.[all]' pytest hypothesis
	NBAPI_HIDE_EXTENSIONS=1 $(LOWEST)/bin/python -m pytest -q -p no:cacheprovider \
		-m "not extension and not slow"
	rm -rf $(LOWEST)/docs && mkdir -p $(LOWEST)/docs && cp -r docs/source $(LOWEST)/docs/source
	$(LOWEST)/bin/nbapi docs --model tests/golden/tinyfuser.model.json --fail-on-warning \
		--source $(LOWEST)/docs/source -o $(LOWEST)/docs/html

lint: $(VENV)/.tool-installed
	$(VENV)/bin/ruff check stubgen tests bench
	$(VENV)/bin/mypy

env: $(VENV)/.tool-installed

$(VENV)/.tool-installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -e '.[dev]'
	@touch $@

$(VENV)/.demo-built: $(VENV)/.tool-installed $(DEMO_SOURCES)
	$(PIP) --no-build-isolation ./demo
	@touch $@

$(VENV)/.hazards-built: $(VENV)/.tool-installed $(HAZARDS_SOURCES)
	$(PIP) --no-build-isolation ./tests/hazards
	@touch $@

# The pybind11 twin of part of the demo (module pyfuser), for the pybind11 loader's tests.
$(VENV)/.twin-built: $(VENV)/.tool-installed $(TWIN_SOURCES)
	$(PIP) --no-build-isolation ./demo/pybind11
	@touch $@

clean:
	rm -rf $(VENV) $(LOWEST) $(OUT) demo/build demo/pybind11/build tests/hazards/build
