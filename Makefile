# The two commands: `make run` and `make test`. Everything else is a helper for them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Processes for the non-browser suite (pytest-xdist); `auto` is one per core.
TEST_WORKERS ?= auto

# Django 6.1 needs Python >= 3.12: take the newest interpreter found (pyenv's included);
# a machine with only Python 3.11 still works, on the Django 5.2 LTS line (see README).
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 \
	$$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3.11 python3; do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	command -v $$c; break; fi; done)

.PHONY: help install run demo test test-browser lint format bench clean

help:
	@echo "make run    — set up everything, load the demo city and serve http://$(HOST):$(PORT)/"
	@echo "make test   — install and run the whole test suite"
	@echo "make lint   — ruff check and format check"
	@echo "make bench  — performance benchmark (writes docs/benchmarks.md)"

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "需要 Python 3.11 或更高版本 (Python >= 3.11 is required)"; exit 1; }
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(BIN)/.installed

# load_demo loads only into an empty database and changes nothing on a re-run; on a database
# holding other data it refuses with status 3 and says why — then `make run` serves it as it is.
demo: install
	$(BIN)/python manage.py migrate --noinput
	@$(BIN)/python manage.py load_demo; rc=$$?; \
	if [ $$rc -eq 3 ]; then echo "继续启动服务器，使用现有数据。"; elif [ $$rc -ne 0 ]; then exit $$rc; fi

# The server and the background-task worker (imports run there) side by side: one Ctrl-C stops
# both — the worker first finishes the task it is running. Workers share the queue safely, so a
# second `make run` (or a worker left over from a killed one) does no harm.
run: demo
	@$(BIN)/python manage.py demo_logins
	@$(BIN)/python manage.py send_reminders --schedule
	@$(BIN)/python manage.py db_worker --no-startup-delay --verbosity 0 & worker=$$!; \
	trap 'pkill -TERM -P $$worker 2>/dev/null; kill -TERM $$worker 2>/dev/null' EXIT; \
	echo "后台任务进程已启动 (db_worker, pid $$worker)"; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest -q -m "not browser" -n $(TEST_WORKERS) $(PYTEST_ARGS)
	@if [ -x /usr/bin/chromium ]; then \
		$(BIN)/python -m pytest -q -m browser $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 0 -o $$rc -eq 5 ] || exit $$rc; \
	else echo "NOTE: /usr/bin/chromium is not installed — browser journeys NOT run (apt-get install -y chromium)."; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
