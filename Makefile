# Build, test and serve the book. Everything installs into .venv; nothing writes into data/.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := book

VENV := .venv
BIN := $(VENV)/bin
READER_STAMP := $(VENV)/.installed-reader
TEST_STAMP := $(VENV)/.installed-test
BUILD_STAMP := _build/.built
BUILD_FAILED := _build/.failed
# Sphinx builds into a staging folder (jupyter-book puts html/ and .doctrees/ under
# <--path-output>/_build); _build/html, which `make serve`, ghp-import and the deployment read,
# is replaced by a copy of the staged HTML only when the whole build succeeded.
STAGE := _build/stage
STAGED_HTML := $(STAGE)/_build/html
EXEC_STAMP := _build/.exec-inputs
PORT ?= 8000
# Every build: warnings are errors, unresolved references too, and all are reported at once
# (_ext/buildconfig.py reads this line for the tests and scripts).
SPHINX_FLAGS := --warningiserror --nitpick --keep-going

# python3.11, or python3 when that is 3.11.
PYTHON311 = $(shell command -v python3.11 2>/dev/null || \
  (python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null && command -v python3))

# Pages of the book; a change rebuilds the HTML (notebook outputs come from the jupyter cache).
# benchmarks.md is for maintainers, linked from README.md and left out of the book (_toc.yml);
# so is the chapter template, notebooks/_template.ipynb, which `make test` runs.
PAGES := $(filter-out README.md LICENSE% benchmarks.md,$(wildcard *.md)) \
  $(shell find notebooks -name '*.ipynb' -not -name '_*' -not -path '*/.ipynb_checkpoints/*' 2>/dev/null)
# The public address and repository (BOOK_URL, BOOK_REPOSITORY: _ext/publish.py) are inputs
# too: this file is rewritten, and so the book rebuilt, only when one of them changed.
ADDRESS_STAMP := _build/.address
ADDRESS := BOOK_URL=$(BOOK_URL) BOOK_REPOSITORY=$(BOOK_REPOSITORY)
ifneq ($(ADDRESS),$(file <$(ADDRESS_STAMP)))
$(shell mkdir -p _build)$(file >$(ADDRESS_STAMP),$(ADDRESS))
endif
# The book's Sphinx extensions (_ext/) are inputs of the pages, not of the notebooks: a change
# re-reads every page and runs no notebook.
BOOK_INPUTS := _config.yml _toc.yml references.bib CITATION.cff $(ADDRESS_STAMP) \
  $(wildcard _templates/*.html _static/* _ext/*.py _ext/static/*) $(PAGES)
# What notebooks read besides their own cells; a change empties the jupyter cache so every
# notebook runs again (the cache keys on cell source only).
EXEC_INPUTS := requirements-lock.txt \
  $(shell find frbook data -type f -not -name '*.md' -not -path '*/__pycache__/*' 2>/dev/null)

# Every other file git tracks: the HTML build writes them into the source archive
# (_ext/rerun.py), so a change to one rebuilds (without re-reading any page).
SOURCE_FILES := $(filter-out $(BOOK_INPUTS) $(EXEC_INPUTS),\
  $(wildcard $(shell git ls-files 2>/dev/null)))

.PHONY: book test serve clean distclean lock data-readme pdf publish tex browser bench

# The whole book as one PDF, in _build/latex under the name _ext/buildconfig.py derives from
# _config.yml: a shell expression, for recipes (they run once the venv exists). PDF_STAMP keeps
# the time of the last PDF build for make.
PDF = _build/latex/$$($(BIN)/python _ext/buildconfig.py PDF_NAME)
PDF_STAMP := _build/.pdf-built
# Its paper: a4, or letter for US Letter (`make pdf PAPER=letter`; _ext/printed.py). This
# file is rewritten, and so the PDF rebuilt, only when the paper changed.
PAPER ?= a4
PAPER_STAMP := _build/.paper
ifneq ($(PAPER),$(file <$(PAPER_STAMP)))
$(shell mkdir -p _build)$(file >$(PAPER_STAMP),$(PAPER))
endif

book: $(BUILD_STAMP)
	@echo "Book: $(CURDIR)/_build/html/index.html"

$(BIN)/python:
	@test -n "$(PYTHON311)" || { echo "make: Python 3.11 is needed (python3.11, or python3 that is 3.11)" >&2; exit 1; }
	$(PYTHON311) -m venv $(VENV)

# The lock is complete (make lock resolves it), so it is installed with --no-deps: exactly these
# versions, nothing added.
$(READER_STAMP): requirements-lock.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --no-deps --requirement requirements-lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	touch $@

$(TEST_STAMP): requirements-test.txt requirements-test-nodeps.txt $(READER_STAMP)
	$(BIN)/python -m pip install --quiet --requirement requirements-test.txt
	$(BIN)/python -m pip install --quiet --no-deps --requirement requirements-test-nodeps.txt
	touch $@

$(EXEC_STAMP): $(EXEC_INPUTS)
	rm -rf _build/.jupyter_cache
	mkdir -p _build
	touch $@

# Sphinx re-reads only the pages whose files changed. Every page is re-read (--all) when anything
# else changed (data, package, config, bibliography: outputs and citations may differ) or when
# the last build failed (marker file), so no stale output or earlier warning can hide.
# Notebooks always come from the jupyter cache.
# A PDF from `make pdf` is copied into the HTML and linked from every page (_ext/citation.py);
# one older than the sources is deleted first (`make book` never builds one), so the HTML never
# offers an outdated PDF.
# Notebooks run two at a time first (scripts/execute_notebooks.py) when several may need to run:
# two or more changed, or anything they read (the cache was emptied). One changed notebook is
# left to jupyter-book, which runs it without the extra start-up.
CHANGED_INPUTS = $(filter-out $(PAGES) $(SOURCE_FILES),$?)
NEED_PARALLEL = $(or $(word 2,$(filter %.ipynb,$?)),$(filter $(EXEC_STAMP),$?))
$(BUILD_STAMP): $(BOOK_INPUTS) $(EXEC_STAMP) $(READER_STAMP) $(SOURCE_FILES)
	@pdf=$(PDF); if [ -f $$pdf ] && [ -n "$$(find $(BOOK_INPUTS) $(EXEC_STAMP) -newer $$pdf)" ]; then \
	  echo "make: deleting the outdated $$pdf; 'make publish' builds PDF and HTML"; \
	  rm -f $$pdf $(STAGED_HTML)/$${pdf##*/} $(PDF_STAMP); fi
	@mkdir -p _build
	$(if $(NEED_PARALLEL),$(BIN)/python scripts/execute_notebooks.py $(filter %.ipynb,$(PAGES)) \
	  > _build/execute.log 2>&1 || { cat _build/execute.log; exit 1; })
	@# The staged build shares the execution cache and the PDF folder with the rest of _build.
	@mkdir -p $(STAGE)/_build _build/.jupyter_cache _build/latex
	@ln -sfn ../../.jupyter_cache $(STAGE)/_build/.jupyter_cache
	@ln -sfn ../../latex $(STAGE)/_build/latex
	$(BIN)/jupyter-book build . --path-output $(STAGE) $(if $(CHANGED_INPUTS),--all) \
	  $$(test -f $(BUILD_FAILED) && echo --all) \
	  $(SPHINX_FLAGS) || { touch $(BUILD_FAILED); \
	  echo "make: the build failed; $(CURDIR)/_build/html still holds the last good book" >&2; exit 1; }
	rm -f $(BUILD_FAILED)
	@# Swap by renaming: a reader or server of _build/html sees the old book or the new one.
	rm -rf _build/html.new _build/html.old
	cp -a $(STAGED_HTML) _build/html.new
	if [ -d _build/html ]; then mv _build/html _build/html.old; fi
	mv _build/html.new _build/html
	rm -rf _build/html.old
	touch $@

test: $(TEST_STAMP) | tex browser
	$(BIN)/ruff check frbook _ext tests notebooks scripts
	$(BIN)/pytest

pdf: $(PDF_STAMP)
	@echo "PDF: $(CURDIR)/$(PDF)"

$(PDF_STAMP): $(BOOK_INPUTS) $(EXEC_STAMP) $(READER_STAMP) $(PAPER_STAMP) | tex
	BOOK_PAPER=$(PAPER) $(BIN)/jupyter-book build . --builder pdflatex --all $(SPHINX_FLAGS)
	test -s $(PDF)
	rm -f $(BUILD_STAMP)  # so that the next `make book` links the new PDF
	touch $@

# HTML and PDF together; the second make sees the new PDF and rebuilds the HTML around it.
publish: pdf
	$(MAKE) book

# Debian packages, installed with apt-get when missing (CI machines start fresh): TeX Live and
# poppler-utils (about 2 minutes), Chromium and npm (scripts/system_deps.sh).
tex:
	@scripts/system_deps.sh pdf

# Browser tests (tests/test_browser.py): Debian's Chromium (tool-downloaded browsers cannot be
# fetched), and axe-core from tests/browser/package-lock.json.
AXE := tests/browser/node_modules/axe-core/axe.min.js

browser: $(AXE)
	@scripts/system_deps.sh browser

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@scripts/system_deps.sh browser
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

# Build and page-weight figures (scripts/bench.py); prints a table, takes a few minutes.
bench: $(TEST_STAMP) browser
	$(BIN)/python scripts/bench.py

# The column tables of data/README.md are generated from data/datapackage.json.
data-readme: $(READER_STAMP)
	$(BIN)/python scripts/update_data_readme.py

serve: book
	@echo "Serving http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build

distclean: clean
	rm -rf $(VENV)

# pip-compile (pip-tools, pinned in requirements-test.txt) resolves requirements.txt into the
# complete lock that `make book` installs with --no-deps. It keeps the locked versions that still
# fit; `make lock LOCK_FLAGS=--upgrade` takes the newest. Left out (LOCK_UNSAFE): pip, setuptools
# and wheel, the venv's own; rfc3987-syntax and its parser, lark, which arrive only through
# jsonschema's optional format-nongpl extra, to check "iri" strings, which nothing here uses:
# importing it compiles dozens of grammars, about 1.5 s in every build and every notebook kernel.
LOCK_UNSAFE := pip setuptools wheel rfc3987-syntax lark
LOCK_FLAGS ?=
lock: $(TEST_STAMP)
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
	  $(addprefix --unsafe-package ,$(LOCK_UNSAFE)) $(LOCK_FLAGS) \
	  --output-file requirements-lock.txt requirements.txt
