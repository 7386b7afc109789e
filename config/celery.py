"""Celery app. Without CELERY_BROKER_URL the settings make every task run eagerly."""

import os

from celery import Celery

# Production unless told otherwise: `config/__init__.py` imports this app first, so whatever default
# is set here is the one `gunicorn config.wsgi` and `celery -A config` get. Development commands
# (manage.py, `make worker`, the tests) name their settings themselves.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("reconoce")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
