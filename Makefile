# Two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
# The embedded default (make run) is a development server: DEBUG on unless the caller says otherwise.
DEV := DEBUG=$${DEBUG:-True}

.PHONY: run test install migrate seed lint messages bench ci clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput

seed: migrate
	$(DEV) $(PY) manage.py seed_demo

run: seed
	$(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(DEV) $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

test: install lint
	$(PY) -m pytest -q

messages: install
	$(DEV) $(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv
	$(DEV) $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

# Measures the current database (seed it first: manage.py seed_scale); production settings, so the figures
# are the ones a deployment gets. The throwaway key only signs the benchmark's own sessions.
bench: install
	DEBUG=$${DEBUG:-False} SECRET_KEY=$${SECRET_KEY:-bench-only-not-a-production-secret-key-0123456789} \
		$(PY) manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var db.sqlite3
