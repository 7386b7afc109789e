"""Health that tells the truth (core.salud): /salud/ is liveness and touches nothing; /salud/listo/ is
readiness and answers 503 naming each dependency that is down: the database, the cache (a real Redis
stopped mid-test, whether the cache raises or swallows its errors), the broker, the worker's heartbeat
and beat's record of sending it. Without a broker, the last three do not apply."""

import contextlib
import io
from datetime import timedelta

import pytest
import time_machine
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from core import salud
from core.models import Latido
from core.tasks import latido_task
from tests.fallas import fixture_redis_efimero  # noqa: F401

pytestmark = pytest.mark.django_db

AHORA = timezone.now().replace(microsecond=0)
LISTO = reverse("core:salud_listo")


class CacheQueCalla(RedisCache):
    """A fail-safe cache, as the settings will have it: an error of Redis is swallowed (a write does
    nothing, a read gives the default), so only the round trip can tell that Redis is gone."""

    def set(self, *args, **kwargs):
        with contextlib.suppress(Exception):
            super().set(*args, **kwargs)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except Exception:
            return default


def _cache(settings, backend, url):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": url}}


def _con_broker(settings, url):
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False


def _latidos(*, worker=AHORA, beat=AHORA):
    """The worker's heartbeat and beat's row for the heartbeat task, at these times (None: never)."""
    if worker is not None:
        salud.latido_registrar(ahora=worker)
    cada_30 = IntervalSchedule.objects.create(every=30, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name=salud.TAREA_LATIDO, task="core.tasks.latido_task", interval=cada_30,
                                last_run_at=beat)


def _listo(client, metodo="get", **parametros):
    """The readiness answer at AHORA (the heartbeats above are relative to it)."""
    with time_machine.travel(AHORA, tick=False):
        return getattr(client, metodo)(LISTO, parametros)


# --- liveness ----------------------------------------------------------------------------------------

def test_salud_responde_sin_tocar_la_base_ni_la_cache(client, settings, django_assert_num_queries):
    _cache(settings, "django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:1/0")  # nobody there
    with django_assert_num_queries(0):
        response = client.get(reverse("core:salud"))
    assert response.status_code == 200
    assert response.json() == {"estado": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert client.head(reverse("core:salud")).status_code == 200


# --- readiness ---------------------------------------------------------------------------------------

def test_listo_sin_broker_no_aplica_a_worker_ni_beat(client, settings):
    settings.CELERY_BROKER_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = _listo(client)
    assert response.status_code == 200
    assert response.json() == {"estado": "ok", "chequeos": {
        "base_de_datos": "ok", "cache": "ok", "broker": "no aplica", "worker": "no aplica", "beat": "no aplica"}}
    assert "no-cache" in response["Cache-Control"]


def test_listo_con_todo_arriba_responde_200(client, settings, redis_efimero):
    _cache(settings, "django.core.cache.backends.redis.RedisCache", redis_efimero.url(1))
    _con_broker(settings, redis_efimero.url(0))
    _latidos(worker=AHORA - timedelta(seconds=30), beat=AHORA - timedelta(seconds=60))
    response = _listo(client)
    assert response.status_code == 200, response.content
    assert response.json() == {"estado": "ok", "chequeos": dict.fromkeys(
        ("base_de_datos", "cache", "broker", "worker", "beat"), "ok")}
    assert _listo(client, "head").status_code == 200


@pytest.mark.parametrize("backend", ["django.core.cache.backends.redis.RedisCache",
                                     f"{__name__}.CacheQueCalla"], ids=["cache-que-falla", "cache-que-calla"])
def test_listo_nombra_la_cache_cuando_su_redis_se_detiene(client, settings, redis_efimero, backend):
    _cache(settings, backend, redis_efimero.url(1))
    settings.CELERY_BROKER_URL = ""
    assert _listo(client).status_code == 200

    redis_efimero.detener()
    response = _listo(client)
    assert response.status_code == 503
    datos = response.json()
    assert datos["estado"] == "error"
    assert datos["fallas"] == {"cache": "La caché no guardó o no devolvió un valor de prueba."}
    assert datos["chequeos"]["base_de_datos"] == "ok"

    redis_efimero.iniciar()
    assert _listo(client).status_code == 200


def test_listo_nombra_el_broker_cuando_no_responde(client, settings, redis_efimero):
    _con_broker(settings, redis_efimero.url(0))
    _latidos()
    assert _listo(client).status_code == 200

    redis_efimero.detener()
    response = _listo(client)
    assert response.status_code == 503
    assert response.json()["fallas"] == {"broker": "El broker de tareas (Celery) no responde."}


@pytest.mark.parametrize(("ultimo", "mensaje"), [
    (AHORA - timedelta(seconds=121), "El último latido de un worker de Celery fue hace 121 s "
                                     "(se esperaba en menos de 120 s)."),
    (None, "Ningún worker de Celery ha registrado su latido."),
], ids=["viejo", "nunca"])
def test_listo_nombra_al_worker_cuando_su_latido_es_viejo(client, settings, redis_efimero, ultimo, mensaje):
    _con_broker(settings, redis_efimero.url(0))
    _latidos(worker=ultimo)
    response = _listo(client)
    assert response.status_code == 503
    assert response.json()["fallas"] == {"worker": mensaje}


def test_un_latido_de_120_s_aun_esta_a_tiempo(client, settings, redis_efimero):
    _con_broker(settings, redis_efimero.url(0))
    _latidos(worker=AHORA - timedelta(seconds=120))
    assert _listo(client).status_code == 200


def test_listo_nombra_a_beat_cuando_no_envia_el_latido(client, settings, redis_efimero):
    _con_broker(settings, redis_efimero.url(0))
    _latidos(beat=AHORA - timedelta(seconds=121))
    response = _listo(client)
    assert response.status_code == 503
    assert response.json()["fallas"] == {
        "beat": "Celery beat envió la tarea del latido por última vez hace 121 s (se esperaba en menos de 120 s)."}


def test_listo_nombra_la_base_cuando_no_responde(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def caida(self):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.temporary_connection", caida)
    response = _listo(client)
    assert response.status_code == 503
    assert response.json()["fallas"] == {"base_de_datos": "La base de datos no responde."}


def test_solo_web_no_espera_al_worker_ni_a_beat(client, settings, redis_efimero):
    """docker-compose's web health check: worker and beat start only once web is healthy."""
    _con_broker(settings, redis_efimero.url(0))
    response = _listo(client, solo="web")
    assert response.status_code == 200
    assert response.json()["chequeos"] == {"base_de_datos": "ok", "cache": "ok", "broker": "ok"}
    assert _listo(client).json()["fallas"].keys() == {"worker", "beat"}


def test_parametros_desconocidos_responden_400(client):
    assert _listo(client, solo="todo").status_code == 200
    response = _listo(client, solo="nada")
    assert response.status_code == 400
    assert response.json() == {"solo": ["Valor no admitido. Se admiten: todo, web, worker, beat."]}
    assert _listo(client, formato="json").status_code == 400


# --- the heartbeat -----------------------------------------------------------------------------------

def test_la_tarea_del_latido_registra_la_hora(settings):
    with time_machine.travel(AHORA, tick=False):
        latido_task.apply()
    assert Latido.objects.get(nombre="worker").ultimo == AHORA
    with time_machine.travel(AHORA + timedelta(seconds=30), tick=False):
        latido_task.apply()
    assert list(Latido.objects.values_list("ultimo", flat=True)) == [AHORA + timedelta(seconds=30)]


def test_beat_envia_el_latido_cada_30_s_y_caduca_si_nadie_lo_toma(settings):
    entrada = settings.CELERY_BEAT_SCHEDULE[salud.TAREA_LATIDO]
    assert entrada["task"] == latido_task.name
    assert entrada["schedule"] == 30.0
    assert entrada["options"]["expire_seconds"] < entrada["schedule"] < settings.SALUD_LATIDO_MAXIMO
    # Beat writes when it sent each task at once, so its record is as fresh as the heartbeat.
    assert settings.CELERY_BEAT_SYNC_EVERY == 1
    assert entrada["schedule"] < settings.SALUD_BEAT_MAXIMO


# --- the command docker-compose runs -----------------------------------------------------------------

def test_el_comando_salud_sale_con_error_cuando_beat_no_envia_el_latido(settings):
    _con_broker(settings, "redis://127.0.0.1:1/0")
    _latidos(beat=AHORA - timedelta(seconds=121))
    salida = io.StringIO()
    with time_machine.travel(AHORA, tick=False), pytest.raises(SystemExit) as salio:
        call_command("salud", "--solo", "beat", stdout=salida)
    assert salio.value.code == 1
    assert '"beat": "Celery beat envió' in salida.getvalue()

    PeriodicTask.objects.update(last_run_at=AHORA - timedelta(seconds=60))
    salida = io.StringIO()
    with time_machine.travel(AHORA, tick=False):
        call_command("salud", "--solo", "beat", stdout=salida)
    assert '"estado": "ok"' in salida.getvalue()
