# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench system-deps install

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Admin: http://127.0.0.1:8000/admin/   API health: http://127.0.0.1:8000/api/v1/health/"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

# Load-test the catalog API: needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL).
bench: install
	@scripts/system-deps.sh --bench
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_bench --courses $(or $(COURSES),2000) --cohort-seats 30 \
		--activity-days $(or $(ACTIVITY_DAYS),365) --specialist-courses 50
	$(BIN)/python manage.py update_index
	$(BIN)/python manage.py bench_api
	$(BIN)/python manage.py bench_webhooks
	$(BIN)/python manage.py bench_analytics

install: system-deps $(VENV)/.installed

system-deps:
	@scripts/system-deps.sh

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@
