# Two commands do all set-up on a fresh machine:
#   make run   — the whole system (web, worker, scheduler, embedded Redis, WeChat stand-in, demo data)
#   make test  — the whole suite, on SQLite + embedded Redis, then PostgreSQL + a Redis server
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-test.txt | cksum | cut -d' ' -f1)

.PHONY: run test test-sqlite test-postgres system-deps services bench bench-nearby bench-packets bench-reminders bench-ballots bench-admin bench-chat clean

$(STAMP): requirements.txt requirements-test.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { bash scripts/system-deps.sh venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@rm -f $(VENV)/.installed-* && touch $@

system-deps:
	@bash scripts/system-deps.sh

run: $(STAMP) system-deps
	$(PY) scripts/run.py

test: $(STAMP) system-deps
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: $(STAMP)
	TEST_DB=sqlite TEST_REDIS=embedded $(PY) -m pytest -q -p no:cacheprovider tests

test-postgres: $(STAMP) services
	TEST_DB=postgres TEST_REDIS=server $(PY) -m pytest -q -p no:cacheprovider tests

services:
	@bash scripts/ensure-services.sh

# Benchmarks (not part of the test suite): each prints its figures and ratios.
bench: bench-nearby bench-packets bench-reminders bench-ballots bench-admin bench-chat

bench-nearby bench-packets bench-reminders bench-ballots bench-admin bench-chat: $(STAMP) system-deps
	$(PY) bench/$(subst bench-,,$@).py

clean:
	rm -rf $(VENV) var
