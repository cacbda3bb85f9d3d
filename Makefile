# KPI Portal — `make run` serves the demo, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes side by side (pytest-xdist): each has a test database and Redis keys of its own.
TEST_WORKERS ?= auto

.PHONY: run serve test faults lint format messages install install-dev clean bench bench-partitioning loadtest loadtest-smoke

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "KPI Portal needs Python 3.11, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: a second `make run` skips pip unless a requirements file changed.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements-ldap.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@# python-ldap is built from source: without the OpenLDAP headers a newcomer's `make test` still
	@# runs, and the LDAP tests say why they skip (in CI, .ci/run installs the headers first).
	@$(BIN)/pip install --quiet -r requirements-ldap.txt || echo "python-ldap could not be built \
	(apt-get install libldap2-dev libsasl2-dev): the LDAP sign-in tests will be skipped"
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## run: install, migrate, load the demo data and serve on http://$(HOST):$(PORT)/ (with the schedules)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(MAKE) --no-print-directory serve

# `serve` runs the background work too: a Celery worker with embedded beat (the schedules under
# Periodic tasks in the admin) beside runserver, on the broker of CELERY_BROKER_URL. Its default here
# is `filesystem://`, kombu's file-system transport: messages are files under .broker/ (see
# CELERY_BROKER_FOLDER in kpi_portal/settings/base.py), no server needed. Set CELERY_BROKER_URL to
# a Redis URL to use Redis instead, or to nothing (`make run CELERY_BROKER_URL=`) for no worker and
# tasks run in-process when enqueued. Migrate and seed_demo above run without it (in-process).
# The worker stops with the server: Ctrl-C or a TERM to the process group reaches both, and the
# trap stops it when runserver exits for any other reason.
serve: export CELERY_BROKER_URL ?= filesystem://
serve:
	@set -u; worker=; \
	if [ -n "$$CELERY_BROKER_URL" ]; then \
	  DJANGO_SETTINGS_MODULE="$${DJANGO_SETTINGS_MODULE:-kpi_portal.settings.local}" \
	    $(BIN)/celery -A kpi_portal worker -B --pool=solo --concurrency=1 --without-gossip \
	    --without-mingle --loglevel=info & worker=$$!; \
	fi; \
	trap 'if [ -n "$$worker" ]; then kill -TERM $$worker 2>/dev/null; wait $$worker; fi' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: the whole suite (PostgreSQL when DATABASE_URL is set, SQLite otherwise), one process per
## core (TEST_WORKERS=0 for a single process)
test: install-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

## faults: the fault suite (slow, about 2 minutes): real gunicorn, Celery, Redis and PostgreSQL
## processes broken while in use; needs DATABASE_URL (PostgreSQL) and redis-server (docs/reliability.md)
faults: install-dev
	$(BIN)/python -m pytest -m faults faults -p no:cacheprovider -q $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

## bench: time the monthly job, pages and quarterly PDF on synthetic data in a database of its own
## (BENCH_SCALE=province for 20,000 people; BENCH_OUT=figures.json; see docs/performance.md)
bench: install-dev
	$(BIN)/python -m bench.run

## bench-partitioning: in a bench database kept with BENCH_KEEP=1, the diary partitioned by month
## against the table as it is, on the statements the job, the queues and the dashboard run
bench-partitioning: install-dev
	$(BIN)/python -m bench.partitioning

## loadtest: locust against gunicorn with the production settings on the demo (LOADTEST_USERS=200,
## LOADTEST_TIME=2m, LOADTEST_WORKER_CLASS=sync|gthread, LOADTEST_WORKERS; see docs/performance.md);
## needs PostgreSQL and Redis; fails on an error or a lost write
loadtest: install-dev
	$(BIN)/python -m loadtest.run

## loadtest-smoke: the same, 20 users for 30 seconds (CI)
loadtest-smoke: install-dev
	LOADTEST_USERS=20 LOADTEST_TIME=30s $(BIN)/python -m loadtest.run

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the Vietnamese catalog from the code and compile it (needs gettext)
messages: install
	$(BIN)/python manage.py makemessages -l vi --no-obsolete --ignore='.venv/*' --ignore='staticfiles/*'
	$(BIN)/python manage.py compilemessages -l vi --ignore='.venv'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
