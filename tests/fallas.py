"""Fault injection for the resilience tests: a real Redis that a test starts on a spare port and
stops (and starts again) mid-test, and a real Celery worker that a test can SIGKILL.

    from tests.fallas import RedisEfimero, fixture_redis_efimero  # noqa: F401

    def test_algo(redis_efimero):
        redis_efimero.detener()   # the server is gone: connections are refused
        redis_efimero.iniciar()   # back on the same port, with what it had (AOF on its own folder)

redis-server must be installed (Debian's redis-server: CI installs it with the machine's services);
without it the tests are skipped with the reason, and fail under REQUIRE_REAL_SERVICES=1."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from config.celery import app
from tests.worker import no_disponible

ARRANQUE_SEGUNDOS = 20


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _responde(puerto: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", puerto), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class RedisEfimero:
    """One redis-server process on 127.0.0.1:<puerto>, its data in `carpeta` (append-only file, so
    a stop and a start keep what it held, as a production Redis with AOF does)."""

    carpeta: Path
    puerto: int = field(default_factory=puerto_libre)
    proceso: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.puerto}/{db}"

    def iniciar(self) -> None:
        if self.proceso is not None and self.proceso.poll() is None:
            return
        ejecutable = shutil.which("redis-server")
        if ejecutable is None:
            no_disponible("redis-server no está instalado: las pruebas de fallas lo necesitan")
        log = self.carpeta / "redis.log"
        self.proceso = subprocess.Popen(  # noqa: S603 - fixed argv
            [ejecutable, "--port", str(self.puerto), "--bind", "127.0.0.1", "--dir", str(self.carpeta),
             "--appendonly", "yes", "--save", "", "--daemonize", "no", "--logfile", str(log)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
        )
        limite = time.monotonic() + ARRANQUE_SEGUNDOS
        while not _responde(self.puerto):
            if self.proceso.poll() is not None or time.monotonic() > limite:
                texto = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                self.detener()
                pytest.fail(f"redis-server no arrancó en el puerto {self.puerto}:\n{texto}", pytrace=False)
            time.sleep(0.05)

    def detener(self) -> None:
        """Stop it at once (SIGKILL: an outage, not a graceful shutdown) and wait until the port is closed."""
        if self.proceso is None:
            return
        if self.proceso.poll() is None:
            os.killpg(self.proceso.pid, signal.SIGKILL)
            self.proceso.wait(timeout=10)
        self.proceso = None
        limite = time.monotonic() + ARRANQUE_SEGUNDOS
        while _responde(self.puerto) and time.monotonic() < limite:
            time.sleep(0.05)

    @property
    def activo(self) -> bool:
        return self.proceso is not None and self.proceso.poll() is None


@pytest.fixture(name="redis_efimero")
def fixture_redis_efimero(tmp_path_factory):
    redis = RedisEfimero(carpeta=tmp_path_factory.mktemp("redis"))
    redis.iniciar()
    try:
        yield redis
    finally:
        redis.detener()


@contextlib.contextmanager
def broker_de_la_prueba(url: str, cola: str):
    """This process sends its tasks to `url`, queue `cola` (a worker started with tests.worker.arrancar
    on the same), not eagerly; the connection pools start afresh on the way in and out."""
    conf = app.conf
    antes = (conf.broker_url, conf.broker_read_url, conf.broker_write_url, conf.task_always_eager,
             conf.task_default_queue)

    def _de_nuevo():
        if app._pool is not None:
            app._pool.force_close_all()
        app._after_fork()  # forgets the connection and producer pools

    _de_nuevo()
    # Celery resolves the read and write URLs from broker_url once: all three change together.
    (conf.broker_url, conf.broker_read_url, conf.broker_write_url, conf.task_always_eager,
     conf.task_default_queue) = url, url, url, False, cola
    try:
        yield
    finally:
        _de_nuevo()
        (conf.broker_url, conf.broker_read_url, conf.broker_write_url, conf.task_always_eager,
         conf.task_default_queue) = antes
