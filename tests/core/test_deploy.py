"""Production settings pass Django's deployment checklist, and refuse to start without a real secret;
docker-compose.yml's health checks."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml
from django.conf import settings
from django.urls import resolve, reverse

from core import salud

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


# --- docker-compose.yml: health checks that tell the truth, and cannot deadlock ----------------------

def _compose():
    return yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text(encoding="utf-8"))


def _prueba(servicio):
    return _compose()["services"][servicio]["healthcheck"]["test"]


def test_la_salud_de_web_es_la_disponibilidad_de_lo_que_web_necesita_sin_esperar_al_worker():
    servicios = _compose()["services"]
    # worker and beat start once web is healthy ...
    for servicio in ("worker", "beat"):
        assert servicios[servicio]["depends_on"]["web"]["condition"] == "service_healthy"
    # ... so web's health check asks readiness of web's own group, which has no check of theirs.
    comando = " ".join(_prueba("web"))
    url = re.search(r"'(http://localhost:8000[^']+)'", comando).group(1)
    partes = urlsplit(url)
    assert resolve(partes.path).url_name == "salud_listo"
    grupo = parse_qs(partes.query)["solo"][0]
    assert {c.nombre for c in salud.GRUPOS[grupo]} == {"base_de_datos", "cache", "broker"}
    assert "localhost" in servicios["web"]["environment"]["ALLOWED_HOSTS"]


def test_worker_y_beat_tienen_su_propia_verificacion_de_salud():
    assert " ".join(_prueba("worker")).endswith("celery -A config inspect ping --destination celery@$$HOSTNAME "
                                                "--timeout 10")
    prueba_beat = _prueba("beat")
    assert prueba_beat[:4] == ["CMD", "python", "manage.py", "salud"]
    assert {c.nombre for c in salud.GRUPOS[prueba_beat[prueba_beat.index("--solo") + 1]]} == {"beat"}


def test_redis_guarda_la_cola_en_un_volumen_con_aof():
    compose = _compose()
    redis = compose["services"]["redis"]
    assert redis["command"][:3] == ["redis-server", "--appendonly", "yes"]
    assert "redis-data:/data" in redis["volumes"]
    assert "redis-data" in compose["volumes"]


def test_produccion_no_redirige_a_https_la_salud_ni_la_disponibilidad():
    """The health checks ask over plain HTTP from inside the container; everything else is redirected."""
    env = {k: v for k, v in os.environ.items() if k not in AJENAS}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY=secrets.token_urlsafe(48))
    codigo = "import json; from django.conf import settings; print(json.dumps(settings.SECURE_REDIRECT_EXEMPT))"
    resultado = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {codigo}"],
                               cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert resultado.returncode == 0, resultado.stderr[-2000:]
    exentas = json.loads(resultado.stdout.splitlines()[-1])
    rutas = [reverse("core:salud"), reverse("core:salud_listo"), reverse("portal:inicio"), "/salud/otra/"]
    exenta = {ruta: any(re.search(patron, ruta.lstrip("/")) for patron in exentas) for ruta in rutas}
    assert exenta == {"/salud/": True, "/salud/listo/": True, "/": False, "/salud/otra/": False}
