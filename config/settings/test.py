"""Test settings: the database comes from DATABASE_URL (PostgreSQL in CI) or SQLite.
Tasks run eagerly, and an eager task's exception reaches the test that queued it instead of being
swallowed (CELERY_TASK_EAGER_PROPAGATES). The tests that need a real worker switch eager mode off
themselves, and start the worker with CELERY_EAGER=0 and TEST_MEDIA_DIR so both processes share the
files (tests/worker.py)."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "clave-solo-para-pruebas"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env("TEST_MEDIA_DIR", default=""):
    _tmp = Path(env("TEST_MEDIA_DIR"))
else:
    # Each test run gets its own folder, removed when the run ends.
    _tmp = Path(tempfile.mkdtemp(prefix="reconoce-test-"))
    atexit.register(shutil.rmtree, _tmp, ignore_errors=True)
MEDIA_ROOT = _tmp / "media"
PRIVATE_MEDIA_ROOT = _tmp / "private"
FIRMA_SELLOS_DIR = _tmp / "sellos"
FIRMA_RAICES_DIR = _tmp / "sellos" / "raices"
DEMO_EFIRMA_DIR = _tmp / "demo-efirma"
RESPALDO_DIR = _tmp / "respaldos"
AXES_ENABLED = True
AXES_VERBOSE = False
