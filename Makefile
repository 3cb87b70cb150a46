# Netralitas: the one entry point for humans and CI (GNU make).
# `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
MANAGE := $(PY) manage.py
# Python 3.11 is the supported version (pyproject.toml); plain python3 is the fallback.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
PYTEST_ARGS ?=

# Development targets default to DEBUG on (SQLite, console e-mail, no HTTPS redirect),
# unless DJANGO_DEBUG is already set in the environment or in .env.
DEV_TARGETS := run worker beat messages backup restore
ifeq ($(origin DJANGO_DEBUG),undefined)
ifeq ($(shell grep -sqE '^[[:space:]]*DJANGO_DEBUG[[:space:]]*=' .env && echo set),)
$(DEV_TARGETS): export DJANGO_DEBUG := 1
endif
endif

# Tests run with production-like settings (DEBUG off, manifest static files, secure
# cookies), a throw-away key, and no HTTPS redirect so the test client and the live
# server speak plain HTTP.
test: export DJANGO_DEBUG := 0
test: export DJANGO_SECRET_KEY := test-secret-key-not-for-production-0123456789-abcdef
test: export DJANGO_SECURE_SSL_REDIRECT := 0

.PHONY: help run test worker beat lint format bench bench-peer bench-reminders messages clean backup restore

help:
	@echo "Netralitas: perintah make / make targets"
	@echo ""
	@echo "  make run       Siapkan venv, migrasi, data rujukan dan akun demo, lalu jalankan"
	@echo "                 server di http://127.0.0.1:8000 (SQLite, Celery eager bila tanpa REDIS_URL)."
	@echo "                 Set up the venv, migrate, load reference data and demo accounts,"
	@echo "                 then serve http://127.0.0.1:8000 (SQLite, eager Celery without REDIS_URL)."
	@echo "  make test      Jalankan seluruh tes (pytest -n 2). PostgreSQL/Redis/Chromium opsional."
	@echo "                 Run the whole test suite (pytest -n 2). PostgreSQL/Redis/Chromium optional."
	@echo "  make worker    Jalankan worker Celery (butuh REDIS_URL) / Run a Celery worker (needs REDIS_URL)."
	@echo "  make beat      Jalankan penjadwal Celery beat, cukup satu / Run Celery beat (exactly one)."
	@echo "  make lint      Periksa kode dan format dengan ruff / ruff check + ruff format --check."
	@echo "  make format    Rapikan kode dengan ruff format / Format the code with ruff."
	@echo "  make bench     Jalankan benchmark (bench/run.sh) / Run the benchmarks (bench/run.sh)."
	@echo "  make bench-peer  Benchmark berdampingan dengan django-helpdesk / Same-run benchmark against django-helpdesk (bench/peer/run.sh)."
	@echo "  make backup    Cadangkan basis data + media privat dengan manifest SHA-256 (ke BACKUP_DIR)."
	@echo "                 Back up the database and private media with a SHA-256 manifest (into BACKUP_DIR)."
	@echo "  make restore BACKUP=folder  Pulihkan cadangan ke basis data dan media yang kosong, diperiksa."
	@echo "                 Restore a backup into an empty database and media folder, checked file by file."
	@echo "  make bench-reminders  Benchmark sapuan pengingat / Benchmark the reminder sweep (bench/reminders.sh)."
	@echo "  make messages  Perbarui dan kompilasi terjemahan Inggris / Update and compile English translations."
	@echo "  make clean     Hapus venv, static hasil collectstatic dan cache / Remove the venv, collected static and caches."
	@echo ""
	@echo "Variabel / variables: DATABASE_URL, REDIS_URL (lihat/see .env.example), PYTEST_ARGS."

# --- virtual environment ---------------------------------------------------------

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 tidak ditemukan / Python 3.11 not found"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import sys; sys.version_info[:2] == (3, 11) or print("peringatan/warning: Python", sys.version.split()[0], "- the project targets 3.11")'

# Stamps: installs re-run only when a requirements file changes.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

# Collected static files with WhiteNoise's manifest (needed whenever DEBUG is off).
staticfiles/staticfiles.json: $(VENV)/.installed $(shell find static -type f 2>/dev/null)
	$(MANAGE) collectstatic --noinput -v 0

# --- targets ---------------------------------------------------------------------------

run: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference
	$(MANAGE) load_demo
	@# DEBUG on: WhiteNoise serves straight from static/. DEBUG off: the manifest must exist.
	@if [ "$$($(PY) -c 'from netralitas.settings import DEBUG; print(int(DEBUG))')" != 1 ]; then \
		$(MAKE) --no-print-directory staticfiles/staticfiles.json; fi
	$(MANAGE) runserver 127.0.0.1:8000

test: $(VENV)/.installed-dev staticfiles/staticfiles.json
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

worker: $(VENV)/.installed _need-broker
	$(BIN)/celery -A netralitas worker -l info --concurrency 2

beat: $(VENV)/.installed _need-broker
	$(BIN)/celery -A netralitas beat -l info

# Without a broker Celery would silently try amqp://localhost; say what is missing instead.
.PHONY: _need-broker
_need-broker:
	@if [ -z "$$REDIS_URL$$CELERY_BROKER_URL" ] && ! grep -sqE '^[[:space:]]*(REDIS_URL|CELERY_BROKER_URL)[[:space:]]*=[[:space:]]*[^[:space:]]' .env; then \
		echo "REDIS_URL belum diisi: tanpa broker, tugas berjalan langsung (eager) di 'make run'."; \
		echo "REDIS_URL is not set: without a broker, tasks run eagerly inside 'make run'."; \
		exit 2; fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .

bench-peer:
	bash bench/peer/run.sh

bench:
	bash bench/run.sh

# Backups: pg_dump -Fc + a tar of the private media + MANIFEST.sha256 (netralitas/backups.py).
BACKUP_DIR ?= var/backups
backup: $(VENV)/.installed
	$(MANAGE) backup --output "$(BACKUP_DIR)"

restore: $(VENV)/.installed
	@test -n "$(BACKUP)" || { echo "Sebutkan folder cadangan: make restore BACKUP=var/backups/netralitas-… / name the backup folder"; exit 2; }
	$(MANAGE) restore "$(BACKUP)" $(RESTORE_ARGS)

# The reminder sweep over 100 k and 1 M open cases (bench/reminders.sh, bench/README.md).
bench-reminders:
	bash bench/reminders.sh

messages: $(VENV)/.installed
	$(MANAGE) makemessages -l en --ignore=.venv --ignore=staticfiles --ignore=var --ignore=tests --ignore=bench
	$(MANAGE) compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis test-artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
