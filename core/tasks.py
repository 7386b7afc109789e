"""The one task that renders a generated file, the one sweep, and the one retry policy every task
of the project follows (ids in, a service call, safe to run twice)."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import documentos, salud

# The retry policy: this many retries after the first try, waiting ESPERA_BASE * 2**n seconds.
MAX_REINTENTOS = 3
ESPERA_BASE = 5


def espera(reintento: int) -> int:
    return ESPERA_BASE * 2**reintento


def texto_error(exc: BaseException) -> str:
    if isinstance(exc, SoftTimeLimitExceeded):
        return f"{type(exc).__name__}: la tarea excedió su tiempo límite"
    return f"{type(exc).__name__}: {exc}"


def reintentar_o_fallar(tarea, exc: Exception, al_fallar=None) -> None:
    """Call from a task's ``except``: record the failure through ``al_fallar(error, definitivo)``
    (so staff see it), then retry with backoff; after the last try return, leaving the caller to
    fall back or give up. A soft time limit is a failure like any other."""
    definitivo = tarea.request.retries >= MAX_REINTENTOS
    if al_fallar is not None:
        al_fallar(texto_error(exc), definitivo)
    if not definitivo:
        raise tarea.retry(exc=exc, countdown=espera(tarea.request.retries), max_retries=MAX_REINTENTOS) from exc


@shared_task(bind=True, max_retries=MAX_REINTENTOS, acks_late=True)
def documento_generar_task(self, documento_id: int, modelo: str = "core.documentoverificable",
                           reconstruir: bool = False):
    """Render one generated file (acuse, dictamen, reconocimiento, constancia, cycle report)."""
    try:
        documentos.documento_generar(documento_id=documento_id, modelo=modelo, reconstruir=reconstruir)
    except Exception as exc:
        reintentar_o_fallar(self, exc, lambda error, definitivo: documentos.documento_marcar_fallo(
            documento_id=documento_id, modelo=modelo, error=error, definitivo=definitivo))


@shared_task(acks_late=True)
def documentos_barrer_task():
    """Periodic: queue again what was left pending, rebuild ready files that went missing."""
    return documentos.documentos_barrer()


@shared_task(ignore_result=True)
def latido_task():
    """Periodic (every 30 s): the worker that runs it records that beat, the broker and a worker work."""
    salud.latido_registrar()
