# Reconoce: one command to set up and serve (`make run`), one to set up and test (`make test`).
# Settings come from the environment: no DATABASE_URL means SQLite (db.sqlite3); `make run` starts a
# Celery worker with beat beside the web process, on kombu's filesystem transport unless
# CELERY_BROKER_URL names a broker.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.instalado
HOST   ?= 127.0.0.1:8000
PANGO_APT := sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

.DEFAULT_GOAL := run
.PHONY: run test lint lock venv migrate demo worker clean pango node respaldo restaurar

# The virtualenv is (re)installed from requirements.lock (exact versions with their hashes) whenever
# the lock file or pyproject.toml is newer than the stamp. pyproject.toml declares the dependencies
# (runtime + dev) and `make lock` turns them into the lock file; it declares no packages
# ([tool.setuptools] packages = []): the apps are imported from this directory.
venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || { echo "Creando el entorno virtual $(VENV) con $(PYTHON)…"; $(PYTHON) -m venv $(VENV); }
	@echo "Instalando dependencias de requirements.lock…"
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@$(PY) -c "$$LOCK_AL_DIA"
	@touch $@

# Fails when pyproject.toml asks for something the installed lock does not give (a dependency added
# or a version bound raised without `make lock`).
define LOCK_AL_DIA
import sys, tomllib
from importlib.metadata import PackageNotFoundError, version
from packaging.requirements import Requirement
p = tomllib.load(open("pyproject.toml", "rb"))["project"]
faltan = []
for linea in p["dependencies"] + p["optional-dependencies"]["dev"]:
    r = Requirement(linea)
    try:
        ok = r.specifier.contains(version(r.name), prereleases=True)
    except PackageNotFoundError:
        ok = False
    if not ok:
        faltan.append(linea)
if faltan:
    sys.exit("requirements.lock no cubre pyproject.toml (" + ", ".join(faltan) + "): ejecute make lock")
endef
export LOCK_AL_DIA

# Regenerates the lock files from pyproject.toml with uv, installed for the occasion in a throwaway
# virtualenv. Versions already in the lock are kept when they still fit; `make lock LOCK_ARGS=--upgrade`
# moves every package to its newest allowed version (`LOCK_ARGS="--upgrade-package django"`, one).
# requirements.lock: runtime + dev (make, CI); requirements-prod.lock: runtime only, the same versions
# (the Dockerfile). The only target is CPython 3.11 on Linux x86_64.
UV_VERSION ?= 0.13.9
LOCK_ARGS  ?=
lock:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp" && "$$tmp/bin/pip" install --quiet --disable-pip-version-check uv==$(UV_VERSION) && \
	compilar="$$tmp/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --custom-compile-command 'make lock' $(LOCK_ARGS)" && \
	eval "$$compilar pyproject.toml --extra dev -o requirements.lock" && \
	eval "$$compilar pyproject.toml -c requirements.lock -o requirements-prod.lock"
	@echo "requirements.lock y requirements-prod.lock al día con pyproject.toml."

# WeasyPrint renders every PDF and needs the system's Pango.
pango: $(STAMP)
	@$(PY) -c 'import weasyprint' >/dev/null 2>&1 || { \
		echo "WeasyPrint no encuentra Pango. Instálelo con:" >&2; \
		echo "$(PANGO_APT)"; \
		exit 1; }

# axe-core (accessibility checks in the browser tests) comes from the npm registry.
NODE_STAMP := node_modules/.instalado
node: $(NODE_STAMP)

$(NODE_STAMP): package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && touch $@; \
	else \
		echo "npm no está instalado: las pruebas de accesibilidad (axe-core) se omitirán." >&2; \
	fi

migrate: pango
	$(PY) manage.py migrate --noinput -v 1

demo: migrate
	$(PY) manage.py cargar_demo

# The embedded default runs the whole year: the web process and a Celery worker with beat embedded
# (Procfile, supervised by honcho), on kombu's filesystem transport unless CELERY_BROKER_URL names a
# broker. Absolute links (PDFs, e-mails, sitemap, API) follow HOST unless SITE_URL is set. E-mails go
# to the panel's demonstration mailbox (/panel/buzon/) unless EMAIL_BACKEND is set.
run: export HOST := $(HOST)
run: export CELERY_BROKER_URL ?= filesystem://
run: export SITE_URL ?= http://$(HOST)
run: export EMAIL_BACKEND ?= core.buzon.BuzonBackend
run: demo
	@echo "Portal en http://$(HOST)/ con tareas programadas y en segundo plano (Ctrl+C para detener)."
	@$(VENV)/bin/honcho start

test: pango node
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest $(PYTEST_ARGS)

# ruff, then the import contracts (.importlinter: which app may import which).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# A real worker (with the periodic tasks embedded) for when CELERY_BROKER_URL is set.
worker: migrate
	@test -n "$$CELERY_BROKER_URL" || { \
		echo "Sin CELERY_BROKER_URL no hay broker que leer: make run ya arranca su propio worker." >&2; \
		echo "Ejemplo: CELERY_BROKER_URL=redis://127.0.0.1:6379/0 make worker" >&2; \
		exit 1; }
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} $(VENV)/bin/celery -A config worker --beat --loglevel=INFO

# Backups (core/respaldos.py): the database, the private and public files and a manifest, in a dated
# folder of RESPALDO_DIR (respaldos/ by default). `make restaurar` restores the latest one into an empty
# database and empty folders. Options go in ARGS: `make respaldo ARGS="--conservar 14"`,
# `make restaurar ARGS="respaldo-20260102T090000Z --base postgres://…/simulacro --archivos /tmp/simulacro"`.
ARGS ?=
respaldo: $(STAMP)
	$(PY) manage.py respaldar $(ARGS)

restaurar: $(STAMP)
	$(PY) manage.py restaurar $(ARGS)

# Removes the virtualenv, caches and collected static files; keeps the database and uploaded files.
clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache staticfiles
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
