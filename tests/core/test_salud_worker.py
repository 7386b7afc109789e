"""The heartbeat end to end: a real `celery beat` (django_celery_beat's DatabaseScheduler, as in
docker-compose) sends the heartbeat task through the broker, a real worker records it, and /salud/listo/
answers 200 with the worker and beat checks "ok"."""

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from core import salud
from core.models import Latido
from tests.worker import database_url, esperar, fixture_celery_worker, fixture_celery_worker_process  # noqa: F401

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


HACE_UNA_HORA = timezone.now() - timedelta(hours=1)


@pytest.fixture
def beat(celery_worker, tmp_path):
    """`celery -A config beat` on the test database, sending to the test worker's queue. Its row for the
    heartbeat says it last ran an hour ago (a beat that was down), so it is due at once."""
    cada_30 = IntervalSchedule.objects.create(every=30, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name=salud.TAREA_LATIDO, task="core.tasks.latido_task", interval=cada_30,
                                last_run_at=HACE_UNA_HORA)
    log = tmp_path / "beat.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": celery_worker.cola,
        "PYTHONUNBUFFERED": "1",
    }
    comando = [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
               "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler", "-s", str(tmp_path / "beat")]
    with log.open("wb") as salida:
        proceso = subprocess.Popen(comando, cwd=settings.BASE_DIR, env=env, stdout=salida,  # noqa: S603
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proceso
    finally:
        if proceso.poll() is None:
            proceso.terminate()
            try:
                proceso.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proceso.pid, signal.SIGKILL)
                proceso.wait(timeout=10)


def test_beat_y_el_worker_mantienen_listo_en_200(client, settings, celery_worker, beat):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    latido = esperar(lambda: Latido.objects.filter(nombre=salud.LATIDO_WORKER).first(), segundos=60,
                     worker=celery_worker)
    assert "latido_task[" in celery_worker.log_final(400)
    # Beat writes when it sent the task as soon as it sends it (CELERY_BEAT_SYNC_EVERY).
    esperar(lambda: PeriodicTask.objects.filter(name=salud.TAREA_LATIDO, last_run_at__gt=HACE_UNA_HORA).exists(),
            segundos=30)
    tarea = PeriodicTask.objects.get(name=salud.TAREA_LATIDO)
    assert tarea.expire_seconds == 25

    response = client.get(reverse("core:salud_listo"))
    assert response.status_code == 200, response.content
    assert response.json()["chequeos"] == dict.fromkeys(("base_de_datos", "cache", "broker", "worker", "beat"), "ok")
    assert latido.ultimo <= Latido.objects.get(nombre=salud.LATIDO_WORKER).ultimo
