# From Spikes to Gradients: the two commands are `make book` and `make test`.
# Everything runs from the project's own virtual environment (.venv), created on demand.

SHELL      := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.installed
SITE       := _build/html
CHAPTERS   := $(sort $(wildcard book/[0-9][0-9]_*.ipynb))
PORT       ?= 8000
# Notebook and unit-test workers (pytest-xdist); 2 matches the 2-core reference machine.
JOBS       ?= 2

export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help install sync format chapter screenshots book student pdf test test-unit test-notebooks test-envs test-student test-lab test-site build-strict lab serve bench clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install the pinned requirements and neurolib (editable)

book: install  ## execute every notebook and build the HTML site (warnings are errors)
	$(BIN)/jupyter-book build . --warningiserror --keep-going
	@echo "The site is in $(CURDIR)/$(SITE)/index.html (make serve to browse it)"

# The build executes every chapter itself (execute_notebooks: inline in _config.yml), so
# that the numbers in the prose come from the kernel that ran the code.
build-strict: install
	rm -rf $(SITE) _build/.doctrees _build/jupyter_execute
	$(BIN)/jupyter-book build . --warningiserror --keep-going

test-unit: install  ## neurolib unit tests
	$(BIN)/python -m pytest -n $(JOBS) -m "not site and not lab and not envs" tests

test-notebooks: install  ## execute every notebook in book/ with nbval in .venv (outputs not compared)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval-lax book

# Binder and Colab, simulated in fresh venvs (pip's cache is shared with .venv), side by side.
# On Binder every chapter's imports are checked and every student edition runs with nbval;
# the full chapters run in the site build. So `make test` needs neither test-notebooks nor
# test-student (each executes every chapter once more).
test-envs: install  ## student editions on a simulated Binder (every chapter's imports too), chapter 02 on Colab
	JOBS=$(JOBS) $(BIN)/python -m pytest -n 2 -m envs tests

# Student editions: every chapter without its solutions (hints and checks kept), outputs
# cleared, in _build/student/ and _build/student.zip (see book/instructors.md).
student: install  ## student editions of the chapters (no solutions) in _build/student and student.zip
	$(BIN)/python tools/student_edition.py

test-student: student  ## run every student notebook with nbval, exercises unanswered
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval-lax _build/student

# The whole book as two PDFs from the built site (Chromium, no LaTeX): cover, contents, page
# numbers; the student edition without the solutions (tools/make_pdf.py, tests/test_pdf.py).
pdf: install  ## student and instructor editions of the book as PDFs in _build/pdf (needs the built site)
	$(BIN)/python tools/make_pdf.py --jobs $(JOBS)

test-lab: install  ## run a chapter per part in a real JupyterLab (Chromium): reads like the site, slider redraws
	$(BIN)/python -m pytest -m lab tests

test-site: install  ## checks on the built site, statically and in headless Chromium
	REQUIRE_SITE=1 $(BIN)/python -m pytest -n $(JOBS) --dist loadfile -m site tests

test: test-unit test-envs test-lab build-strict pdf test-site  ## the whole suite, as CI runs it
	@echo "make test: all checks passed"

format: install  ## fix the notebook conventions that can be fixed mechanically (tools/notebook_format.py)
	$(BIN)/python tools/notebook_format.py --fix

lab: install  ## JupyterLab on 127.0.0.1 with the project's kernel and widgets
	$(BIN)/jupyter lab --ip=127.0.0.1 --notebook-dir=book $$([ "$$(id -u)" = 0 ] && echo --allow-root)

serve:  ## serve the built site on http://127.0.0.1:$(PORT)
	@test -f $(SITE)/index.html || { echo "No site yet: run make book first"; exit 1; }
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(SITE) $(PORT)

bench: install  ## time every widget update and simulation benchmark
	$(BIN)/python benchmarks/run.py

sync:  ## copy title and repository URL from _config.yml to README and the notebooks
	$(BIN)/python tools/sync_config.py

chapter:  ## scaffold a chapter: make chapter NAME=10_learning_rules [TOPIC=learning] [TITLE="..."]
	@test -n "$(NAME)" || { echo "usage: make chapter NAME=NN_short_name [TOPIC=module] [TITLE=\"...\"]"; exit 2; }
	$(BIN)/python tools/new_chapter.py $(NAME) $(if $(TOPIC),--topic $(TOPIC)) $(if $(TITLE),--title "$(TITLE)")

screenshots:  ## a full-page PNG of every built page in screenshots/ (headless Chromium)
	$(BIN)/python tools/screenshots.py

clean:  ## remove the built site, caches and notebook checkpoints (keeps .venv)
	rm -rf _build .pytest_cache .hypothesis screenshots
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -print0 | xargs -0 rm -rf

distclean: clean  ## also remove the virtual environment
	rm -rf $(VENV) *.egg-info
