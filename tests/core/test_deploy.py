"""Production settings pass Django's deployment checklist, and refuse to start without a real secret."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

# What this test process may carry that a deployment would not (e2e tests allow async-unsafe ORM calls).
AJENAS = {"SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _check_deploy(**variables):
    env = {k: v for k, v in os.environ.items() if k not in AJENAS}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", ALLOWED_HOSTS="reconoce.example.org",
               **variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_sin_avisos_cuando_hay_clave_secreta():
    resultado = _check_deploy(SECRET_KEY=secrets.token_urlsafe(48))

    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    assert "no issues" in resultado.stdout


def test_check_deploy_falla_cuando_falta_la_clave_secreta():
    resultado = _check_deploy()

    assert resultado.returncode != 0
    assert "SECRET_KEY (o SECRET_KEY_FILE) debe definirse" in resultado.stderr


def test_check_deploy_falla_cuando_la_clave_es_la_de_desarrollo():
    resultado = _check_deploy(SECRET_KEY="dev-insegura-no-usar-en-produccion" + "x" * 30)

    assert resultado.returncode != 0
    assert "SECRET_KEY" in resultado.stderr


def test_check_deploy_lee_la_clave_de_un_archivo(tmp_path):
    archivo = tmp_path / "secret_key"
    archivo.write_text(secrets.token_urlsafe(48))

    resultado = _check_deploy(SECRET_KEY_FILE=str(archivo))

    assert resultado.returncode == 0, resultado.stdout + resultado.stderr


def _cargar(modulo: str, **variables):
    """Import an entry point (config.wsgi, config.asgi, the Celery app) in a clean process without
    DJANGO_SETTINGS_MODULE, as `gunicorn config.wsgi` or `celery -A config` would, and print the
    settings module and DEBUG it ended up with."""
    env = {k: v for k, v in os.environ.items() if k not in AJENAS | {"DJANGO_SETTINGS_MODULE"}}
    env.update(ALLOWED_HOSTS="reconoce.example.org", **variables)
    codigo = (f"import {modulo}; from django.conf import settings; "
              "print(settings.SETTINGS_MODULE, settings.DEBUG)")
    return subprocess.run([sys.executable, "-c", codigo], cwd=settings.BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=120)


def test_los_puntos_de_entrada_sin_configuracion_arrancan_en_produccion_nunca_en_debug():
    for modulo in ("config.wsgi", "config.asgi", "config.celery"):
        resultado = _cargar(modulo, SECRET_KEY=secrets.token_urlsafe(48))
        assert resultado.returncode == 0, (modulo, resultado.stderr[-2000:])
        assert resultado.stdout.split()[-2:] == ["config.settings.production", "False"], (modulo, resultado.stdout)


def test_los_puntos_de_entrada_sin_clave_secreta_se_niegan_a_arrancar():
    for modulo in ("config.wsgi", "config.celery"):
        resultado = _cargar(modulo)
        assert resultado.returncode != 0, (modulo, resultado.stdout)
        assert "SECRET_KEY" in resultado.stderr, (modulo, resultado.stderr[-2000:])
