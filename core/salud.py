"""Liveness and readiness.

`/salud/` (liveness) only says the process answers: it touches nothing, so a database or Redis that is
down never gets the web process restarted (restarting it would not bring them back).

`/salud/listo/` (readiness) runs the checks below with django-health-check 4.x (each a `HealthCheck`
dataclass; the library runs them at once, each within its own time limit, and logs every failure with
its cause) and answers 503 naming each dependency that is down, in Spanish; the cause stays in the log:

- base_de_datos: a SELECT 1 on a connection of its own (the library's `Database`);
- cache: a set/get round trip of a fresh key in CACHES["default"] (the library's `Cache`). A cache that
  swallows its errors (fail-safe) returns nothing from the round trip, so it fails as well;
- broker: a connection to CELERY_BROKER_URL within a few seconds;
- worker: the worker's heartbeat (`Latido` "worker", written by `latido_task`, which beat sends every
  30 s through the broker) is recent, which proves beat → broker → worker;
- beat: beat recorded, in django_celery_beat's table, that it sent the heartbeat task recently (it writes
  that at once: CELERY_BEAT_SYNC_EVERY = 1).

broker, worker and beat apply only when tasks leave this process (CELERY_BROKER_URL set and not eager);
otherwise (the embedded default) they say "no aplica" and never fail. `GRUPOS` are the subsets a
caller may ask for (`?solo=web`): docker-compose's web health check asks only for what web needs, since
worker and beat start once web is healthy (the heartbeat cannot exist before them)."""

import asyncio
import dataclasses
import datetime
from typing import ClassVar

from asgiref.sync import sync_to_async
from celery import current_app
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from .models import Latido

NO_APLICA = "no aplica"
OK = "ok"
# The CELERY_BEAT_SCHEDULE entry that sends the heartbeat (django_celery_beat names its row after it).
TAREA_LATIDO = "core-latido"
LATIDO_WORKER = "worker"


class Falla(ServiceUnavailable):
    """A failure whose message is for people (in Spanish): the report shows it as it is."""


def usa_broker() -> bool:
    """Tasks leave this process through a broker (else they run eagerly, in it)."""
    return bool(settings.CELERY_BROKER_URL) and not settings.CELERY_TASK_ALWAYS_EAGER


def latido_registrar(*, nombre: str = LATIDO_WORKER, ahora: datetime.datetime | None = None) -> None:
    Latido.objects.update_or_create(nombre=nombre, defaults={"ultimo": ahora or timezone.now()})


def _reciente(ultimo: datetime.datetime | None, maximo_s: int, *, nunca: str, viejo: str) -> None:
    """Fail unless `ultimo` is less than `maximo_s` seconds old (`viejo` gets the age as {edad})."""
    maximo = datetime.timedelta(seconds=maximo_s)
    if ultimo is None:
        raise Falla(nunca)
    edad = timezone.now() - ultimo
    if edad > maximo:
        raise Falla(viejo.format(edad=_segundos(edad)) + f" (se esperaba en menos de {_segundos(maximo)} s).")


def _segundos(delta: datetime.timedelta) -> int:
    return int(delta.total_seconds())


class Chequeo:
    """What the readiness report needs of a check besides the library's contract: the name it goes by in
    the report, and whether it applies to this configuration."""

    nombre: ClassVar[str]

    @classmethod
    def aplica(cls) -> bool:
        return True


@dataclasses.dataclass
class BaseDeDatos(Chequeo, checks.Database):
    nombre: ClassVar[str] = "base_de_datos"

    def run(self):
        try:
            super().run()
        except Exception as exc:
            raise Falla("La base de datos no responde.") from exc


@dataclasses.dataclass
class Cache(Chequeo, checks.Cache):
    nombre: ClassVar[str] = "cache"

    async def run(self):
        try:
            await super().run()
        except Exception as exc:
            raise Falla("La caché no guardó o no devolvió un valor de prueba.") from exc


@dataclasses.dataclass
class Broker(Chequeo, HealthCheck):
    nombre: ClassVar[str] = "broker"
    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3), repr=False)

    aplica = staticmethod(usa_broker)

    def run(self):
        segundos = self.timeout.total_seconds()
        try:
            # The URL from the settings (the Celery app read them once, at start).
            with current_app.connection_for_write(url=settings.CELERY_BROKER_URL, connect_timeout=segundos) as con:
                con.ensure_connection(max_retries=0, timeout=segundos)
        except Exception as exc:
            raise Falla("El broker de tareas (Celery) no responde.") from exc


def _ultimo_latido(nombre):
    return Latido.objects.filter(nombre=nombre).values_list("ultimo", flat=True).first()


def _ultimo_envio_del_latido():
    return PeriodicTask.objects.filter(name=TAREA_LATIDO).values_list("last_run_at", flat=True).first()


@dataclasses.dataclass
class Worker(Chequeo, HealthCheck):
    nombre: ClassVar[str] = "worker"

    aplica = staticmethod(usa_broker)

    async def run(self):
        # thread_sensitive: the query runs on the request's own thread and connection.
        _reciente(await sync_to_async(_ultimo_latido)(LATIDO_WORKER), settings.SALUD_LATIDO_MAXIMO,
                  nunca="Ningún worker de Celery ha registrado su latido.",
                  viejo="El último latido de un worker de Celery fue hace {edad} s")


@dataclasses.dataclass
class Beat(Chequeo, HealthCheck):
    nombre: ClassVar[str] = "beat"

    aplica = staticmethod(usa_broker)

    async def run(self):
        _reciente(await sync_to_async(_ultimo_envio_del_latido)(), settings.SALUD_BEAT_MAXIMO,
                  nunca="Celery beat no ha enviado nunca la tarea del latido.",
                  viejo="Celery beat envió la tarea del latido por última vez hace {edad} s")


GRUPOS: dict[str, tuple[type[Chequeo], ...]] = {
    "todo": (BaseDeDatos, Cache, Broker, Worker, Beat),
    # What the web process needs to serve pages and queue tasks.
    "web": (BaseDeDatos, Cache, Broker),
    "worker": (Worker,),
    "beat": (Beat,),
}


@dataclasses.dataclass
class Informe:
    chequeos: dict[str, str]  # name -> "ok", "no aplica" or what failed
    fallas: dict[str, str]

    @property
    def listo(self) -> bool:
        return not self.fallas

    def como_dict(self) -> dict:
        datos = {"estado": OK if self.listo else "error", "chequeos": self.chequeos}
        if self.fallas:
            datos["fallas"] = self.fallas
        return datos


async def revisar(grupo: str = "todo", executor=None) -> Informe:
    """Run the group's checks that apply, at once; the report names every failure."""
    clases = GRUPOS[grupo]
    chequeos = {c.nombre: NO_APLICA for c in clases}
    aplican = [c() for c in clases if c.aplica()]
    resultados = await asyncio.gather(*(c.get_result(executor) for c in aplican))
    fallas = {}
    for resultado in resultados:
        nombre = resultado.check.nombre
        if resultado.error is None:
            chequeos[nombre] = OK
        else:
            # Our checks raise Falla; anything else is the library's own (a time limit, an unknown error).
            mensaje = resultado.error.message if isinstance(resultado.error, Falla) else \
                "No respondió a tiempo o falló de forma inesperada (el registro del servidor tiene el detalle)."
            chequeos[nombre] = fallas[nombre] = mensaje
    return Informe(chequeos=chequeos, fallas=fallas)
