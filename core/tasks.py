"""The one task that renders a generated file, the one sweep, and the one retry policy every task
of the project follows (ids in, a service call, safe to run twice)."""

from celery import shared_task
from django.conf import settings

from . import documentos, salud
from .errors import texto_error

# The retry policy: this many retries after the first try, waiting ESPERA_BASE * 2**n seconds.
MAX_REINTENTOS = 3
ESPERA_BASE = 5


# Time limits per kind of task: past the soft one the task gets SoftTimeLimitExceeded (a failure,
# retried like any other), past the hard one its process is killed. The hard one also tells the
# outbox's relay when a started task's worker must have died (core.relevo): the shorter it is, the
# sooner a dead worker's work resumes.
# The PDF one is a setting (TAREA_PDF_SEGUNDOS): a slower machine may need more, and the fault tests
# use less, so that a killed worker's chunk is handed on in seconds rather than minutes.
LIMITE_PDF = {"soft_time_limit": settings.TAREA_PDF_SEGUNDOS, "time_limit": settings.TAREA_PDF_SEGUNDOS + 15}
LIMITE_AVISOS = {"soft_time_limit": 120, "time_limit": 150}  # e-mails of one ruling or one batch
LIMITE_CIERRE = {"soft_time_limit": 240, "time_limit": 300}  # a batch's ZIP and PDF, sweeps, schedules


def espera(reintento: int) -> int:
    return ESPERA_BASE * 2**reintento


def reintentar_o_fallar(tarea, exc: Exception, al_fallar=None) -> None:
    """Call from a task's ``except``: record the failure through ``al_fallar(error, definitivo)``
    (so staff see it), then retry with backoff; after the last try return, leaving the caller to
    fall back or give up. A soft time limit is a failure like any other."""
    definitivo = tarea.request.retries >= MAX_REINTENTOS
    if al_fallar is not None:
        al_fallar(texto_error(exc), definitivo)
    if not definitivo:
        raise tarea.retry(exc=exc, countdown=espera(tarea.request.retries), max_retries=MAX_REINTENTOS) from exc


@shared_task(bind=True, max_retries=MAX_REINTENTOS, acks_late=True, **LIMITE_PDF)
def documento_generar_task(self, documento_id: int, modelo: str = "core.documentoverificable",
                           reconstruir: bool = False, version_nueva: bool = False):
    """Render one generated file (acuse, dictamen, reconocimiento, constancia, cycle report)."""
    try:
        documentos.documento_generar(documento_id=documento_id, modelo=modelo, reconstruir=reconstruir,
                                     version_nueva=version_nueva)
    except Exception as exc:
        reintentar_o_fallar(self, exc, lambda error, definitivo: documentos.documento_marcar_fallo(
            documento_id=documento_id, modelo=modelo, error=error, definitivo=definitivo))


@shared_task(acks_late=True, **LIMITE_CIERRE)
def documentos_barrer_task():
    """Periodic: queue again what was left pending, rebuild ready files that went missing."""
    return documentos.documentos_barrer()


@shared_task(ignore_result=True, soft_time_limit=20, time_limit=25)
def latido_task():
    """Periodic (every 30 s): the worker that runs it records that beat, the broker and a worker work."""
    salud.latido_registrar()
