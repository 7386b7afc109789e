"""A redis-server of the test's own, on a free port, that the test can stop and start again: for the
fault tests (what the site does when Redis goes away mid-request, and when it comes back).

Use in a test module::

    from tests.redis_efimero import fixture_redis_efimero  # noqa: F401

    def test_algo(redis_efimero, settings):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": redis_efimero.url(1)}}
        ...
        redis_efimero.detener()   # the port now refuses connections
        ...
        redis_efimero.arrancar()  # the same port answers again (empty: nothing is persisted)

The server keeps nothing on disk (--save "" --appendonly no) and lives in the test's tmp_path. The port is
one the OS reports free, or the first free one of REDIS_EFIMERO_PUERTOS ("6391-6395") when set (a shared
machine that hands out port ranges). `arrancar()` returns once PING answers; the fixture kills the server
when the test ends, whatever happened. Without redis-server on the PATH the test is skipped with the
reason, or fails with REQUIRE_REAL_SERVICES=1 (CI), as tests/worker.py does.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from tests.worker import no_disponible

ARRANQUE_SEGUNDOS = 10
PARADA_SEGUNDOS = 10


def _libre(puerto: int) -> bool:
    """Nothing listens on the port. SO_REUSEADDR, as redis-server binds: connections of a server just
    stopped (TIME_WAIT) do not count, a listening socket does."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", puerto))
        except OSError:
            return False
    return True


def puerto_libre() -> int:
    """A port nothing listens on now: the first free one of REDIS_EFIMERO_PUERTOS, else one from the OS."""
    rango = os.environ.get("REDIS_EFIMERO_PUERTOS", "")
    if rango:
        desde, _, hasta = rango.partition("-")
        for puerto in range(int(desde), int(hasta or desde) + 1):
            if _libre(puerto):
                return puerto
        pytest.fail(f"Ningún puerto libre en REDIS_EFIMERO_PUERTOS={rango}", pytrace=False)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisEfimero:
    def __init__(self, carpeta: Path, puerto: int | None = None):
        ejecutable = shutil.which("redis-server")
        if ejecutable is None:
            no_disponible("redis-server no está instalado (en Debian: apt-get install redis-server); "
                          "las pruebas de fallas de Redis lo arrancan y lo detienen")
        self.ejecutable = ejecutable
        self.carpeta = carpeta
        self.carpeta.mkdir(parents=True, exist_ok=True)
        self.log = carpeta / "redis.log"
        self.puerto = puerto or puerto_libre()
        self.proceso: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.puerto}/{db}"

    @property
    def activo(self) -> bool:
        return self.proceso is not None and self.proceso.poll() is None

    def _log_final(self, lineas=20) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lineas:])

    def _responde(self) -> bool:
        # One try: redis-py's default retries with backoff would take seconds to say "no".
        cliente = redis.Redis(host="127.0.0.1", port=self.puerto, socket_connect_timeout=0.5, socket_timeout=0.5,
                              retry=Retry(NoBackoff(), 0))
        try:
            return bool(cliente.ping())
        except redis.RedisError:
            return False
        finally:
            cliente.close()

    def arrancar(self) -> "RedisEfimero":
        """Start the server (on the same port as before, if it ran before); return once PING answers."""
        if self.activo:
            return self
        if not _libre(self.puerto):
            pytest.fail(f"El puerto {self.puerto} de redis-server ya está ocupado por otro proceso", pytrace=False)
        comando = [self.ejecutable, "--port", str(self.puerto), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--daemonize", "no", "--dir", str(self.carpeta), "--logfile", str(self.log)]
        self.proceso = subprocess.Popen(comando, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,  # noqa: S603
                                        start_new_session=True)
        limite = time.monotonic() + ARRANQUE_SEGUNDOS
        while not self._responde():
            if self.proceso.poll() is not None:
                pytest.fail(f"redis-server terminó al arrancar en el puerto {self.puerto} "
                            f"(código {self.proceso.returncode}):\n{self._log_final()}", pytrace=False)
            if time.monotonic() > limite:
                self.matar()
                pytest.fail(f"redis-server no respondió a PING en {ARRANQUE_SEGUNDOS} s en el puerto {self.puerto}:\n"
                            f"{self._log_final()}", pytrace=False)
            time.sleep(0.05)
        return self

    def detener(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL); return once the port refuses connections."""
        if self.proceso is None:
            return
        if self.proceso.poll() is None:
            self.proceso.terminate()
            try:
                self.proceso.wait(timeout=PARADA_SEGUNDOS)
            except subprocess.TimeoutExpired:
                self.matar()
        limite = time.monotonic() + PARADA_SEGUNDOS
        while self._responde():  # another process on the port would be a test that lies
            if time.monotonic() > limite:
                pytest.fail(f"El puerto {self.puerto} sigue respondiendo tras detener redis-server", pytrace=False)
            time.sleep(0.05)

    def matar(self) -> None:
        if self.proceso is not None and self.proceso.poll() is None:
            os.killpg(self.proceso.pid, signal.SIGKILL)
            self.proceso.wait(timeout=PARADA_SEGUNDOS)


@pytest.fixture(name="redis_efimero")
def fixture_redis_efimero(tmp_path):
    """A running redis-server of this test's own (see the module docstring); killed when the test ends."""
    servidor = RedisEfimero(tmp_path / "redis-efimero")
    try:
        yield servidor.arrancar()
    finally:
        servidor.matar()
