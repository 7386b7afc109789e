# Reconoce: one command to set up and serve (`make run`), one to set up and test (`make test`).
# Settings come from the environment: no DATABASE_URL means SQLite (db.sqlite3), no CELERY_BROKER_URL
# means Celery tasks run eagerly inside the web process.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.instalado
HOST   ?= 127.0.0.1:8000
PANGO_APT := sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

.DEFAULT_GOAL := run
.PHONY: run test lint venv migrate demo worker clean pango node

# The virtualenv is (re)installed only when pyproject.toml is newer than the stamp.
# pyproject.toml declares no packages ([tool.setuptools] packages = []): the apps are imported from
# this directory, so only the dependencies (runtime + dev) are installed; an editable install of the
# empty distribution would add nothing but a reconoce.egg-info folder in the tree.
venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || { echo "Creando el entorno virtual $(VENV) con $(PYTHON)…"; $(PYTHON) -m venv $(VENV); }
	@$(PY) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > $(VENV)/requisitos.txt
	@echo "Instalando dependencias de pyproject.toml…"
	$(PY) -m pip install --quiet --disable-pip-version-check -r $(VENV)/requisitos.txt
	@touch $@

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

run: demo
	@echo "Portal en http://$(HOST)/ (Ctrl+C para detener)."
	$(PY) manage.py runserver $(HOST)

test: pango node
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# A real worker (with the periodic tasks embedded) for when CELERY_BROKER_URL is set.
worker: migrate
	@test -n "$$CELERY_BROKER_URL" || { \
		echo "Sin CELERY_BROKER_URL las tareas se ejecutan dentro del portal y no hace falta un worker." >&2; \
		echo "Ejemplo: CELERY_BROKER_URL=redis://127.0.0.1:6379/0 make worker" >&2; \
		exit 1; }
	$(VENV)/bin/celery -A config worker --beat --loglevel=INFO

# Removes the virtualenv, caches and collected static files; keeps the database and uploaded files.
clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache staticfiles
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
