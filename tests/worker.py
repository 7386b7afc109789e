"""A real Celery worker process for the tests marked ``celery_worker``.

The worker is another process: it reads the test database pytest-django created (so tests that use it
need ``@pytest.mark.django_db(transaction=True)``: it only sees committed rows) and the same media
folders (TEST_MEDIA_DIR, see config/settings/test.py). It consumes a queue of its own, so a developer's
``make worker`` on the same broker never takes the tests' messages.

Use in a test module::

    from tests.worker import fixture_celery_worker, fixture_celery_worker_process  # noqa: F401

    pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

    def test_algo(celery_worker): ...

Without CELERY_BROKER_URL, or on SQLite (which another process cannot share in memory), the tests are
skipped with the reason; with REQUIRE_REAL_SERVICES=1 (CI) they fail instead.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app

ARRANQUE_SEGUNDOS = 60


def servicios_obligatorios() -> bool:
    return os.environ.get("REQUIRE_REAL_SERVICES") == "1"


def no_disponible(motivo: str):
    """Skip, or fail when CI demands the real services."""
    if servicios_obligatorios():
        pytest.fail(f"{motivo} (REQUIRE_REAL_SERVICES=1 exige los servicios reales)", pytrace=False)
    pytest.skip(motivo)


def database_url(settings_dict) -> str:
    """A DATABASE_URL (as django-environ reads it) for the database of this connection."""
    usuario = quote(settings_dict.get("USER") or "", safe="")
    clave = quote(settings_dict.get("PASSWORD") or "", safe="")
    credenciales = f"{usuario}:{clave}@" if clave else (f"{usuario}@" if usuario else "")
    host = settings_dict.get("HOST") or ""
    if host.startswith("/"):  # a Unix socket directory
        host = quote(host, safe="")
    puerto = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credenciales}{host}{puerto}/{quote(settings_dict['NAME'], safe='')}"


@dataclass
class Worker:
    proceso: subprocess.Popen
    nombre: str
    cola: str
    log: Path

    def log_final(self, lineas=40) -> str:
        texto = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(texto.splitlines()[-lineas:])


def _detener(worker: Worker):
    proc = worker.proceso
    if proc.poll() is None:
        proc.terminate()  # warm shutdown: finishes the task in hand, stops the pool
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    try:
        with app.connection_for_write() as conn:
            canal = conn.default_channel
            canal.queue_delete(worker.cola)
            cliente = getattr(canal, "client", None)  # Redis keeps bindings in keys named after the queue
            if cliente is not None:
                for clave in cliente.scan_iter(match=f"*{worker.cola}*"):
                    cliente.delete(clave)
    except Exception:  # noqa: S110 - best effort: an empty queue left behind costs nothing
        pass


@pytest.fixture(scope="session", name="celery_worker_process")
def fixture_celery_worker_process(django_db_setup, tmp_path_factory):
    """Start `celery -A config worker` on a unique queue; stop it when the session ends."""
    if not settings.CELERY_BROKER_URL:
        no_disponible("Sin CELERY_BROKER_URL no hay broker para un worker real de Celery")
    if connection.vendor != "postgresql":
        no_disponible(
            f"El worker necesita una base que otro proceso pueda abrir (PostgreSQL vía DATABASE_URL); "
            f"la de pruebas es {connection.vendor}"
        )
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        no_disponible(f"El broker {settings.CELERY_BROKER_URL} no responde: {exc}")

    worker = arrancar(settings.CELERY_BROKER_URL, f"pruebas-{uuid.uuid4().hex[:12]}",
                      tmp_path_factory.mktemp("celery") / "worker.log")
    try:
        yield worker
    finally:
        _detener(worker)


def arrancar(broker: str, cola: str, log: Path, entorno: dict | None = None) -> Worker:
    """Start `celery -A config worker` on `broker`, consuming only `cola`, logging to `log` (appended:
    a worker started again on the same queue keeps one log); return once it answers a ping."""
    media = Path(settings.PRIVATE_MEDIA_ROOT).parent
    assert Path(settings.MEDIA_ROOT).parent == media, "MEDIA_ROOT y PRIVATE_MEDIA_ROOT deben compartir carpeta"
    nombre = f"{cola}-{uuid.uuid4().hex[:4]}@{socket.gethostname()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "TEST_MEDIA_DIR": str(media),
        "CELERY_BROKER_URL": broker,
        "CELERY_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": cola,
        "PYTHONUNBUFFERED": "1",
        # Log "Task name[id] succeeded in ..." (settings keep celery.app.trace at WARNING): a test waits
        # for that line (tarea_terminada) instead of sleeping.
        "CELERY_TRACE_LOG_LEVEL": "INFO",
        **(entorno or {}),
    }
    comando = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "--concurrency=2",
        "-Q", cola, "-n", nombre, "--loglevel=INFO", "--without-mingle", "--without-gossip",
    ]
    with log.open("ab") as salida:
        proceso = subprocess.Popen(  # noqa: S603 - fixed argv
            comando, cwd=settings.BASE_DIR, env=env, stdout=salida, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = Worker(proceso=proceso, nombre=nombre, cola=cola, log=log)
    limite = time.monotonic() + ARRANQUE_SEGUNDOS
    # Celery logs "<name> ready." once its consumer is connected and its pool started (a ping needs
    # the broker this process is configured with, which may be another one).
    listo = f"{nombre} ready."
    while listo not in log.read_text(encoding="utf-8", errors="replace"):
        if proceso.poll() is not None:
            pytest.fail(f"El worker de Celery terminó al arrancar (código {proceso.returncode}):\n"
                        f"{worker.log_final()}", pytrace=False)
        if time.monotonic() > limite:
            _detener(worker)
            pytest.fail(f"El worker de Celery no respondió en {ARRANQUE_SEGUNDOS} s:\n{worker.log_final()}",
                        pytrace=False)
        time.sleep(0.2)
    return worker


def matar(worker: Worker) -> None:
    """SIGKILL the worker and its pool at once, as a crash or an OOM kill would: no warm shutdown,
    nothing acknowledged or given back to the broker."""
    if worker.proceso.poll() is None:
        os.killpg(worker.proceso.pid, signal.SIGKILL)
        worker.proceso.wait(timeout=10)


@pytest.fixture(name="celery_worker")
def fixture_celery_worker(celery_worker_process):
    """For one test: tasks leave this process through the broker, to the worker's queue."""
    conf = app.conf
    antes = (conf.task_always_eager, conf.task_default_queue)
    conf.task_always_eager = False
    conf.task_default_queue = celery_worker_process.cola
    try:
        yield celery_worker_process
    finally:
        conf.task_always_eager, conf.task_default_queue = antes


def tarea_terminada(worker: Worker, tarea_id: str) -> bool:
    """The worker logged that task `tarea_id` succeeded (Celery's "Task name[id] succeeded in ..." line)."""
    return f"[{tarea_id}] succeeded" in worker.log.read_text(encoding="utf-8", errors="replace")


def esperar(condicion, *, segundos: float, cada: float = 0.25, worker: Worker | None = None):
    """Poll `condicion()` (an observable state: a row, a log line, the clock) at short intervals until it
    returns something truthy; fail with the worker's log after `segundos`. Never a fixed sleep."""
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        valor = condicion()
        if valor:
            return valor
        time.sleep(cada)
    detalle = f"\nÚltimas líneas del worker:\n{worker.log_final()}" if worker else ""
    pytest.fail(f"La condición no se cumplió en {segundos} s.{detalle}", pytrace=False)
