"""Thin Celery tasks: a service call, safe to run twice."""

import logging

from celery import shared_task
from django.utils import timezone

from core.errors import ErrorDominio
from core.tasks import LIMITE_AVISOS, LIMITE_CIERRE, MAX_REINTENTOS, reintentar_o_fallar

from . import services
from .models import Convocatoria

logger = logging.getLogger(__name__)


@shared_task(**LIMITE_CIERRE)
def convocatorias_cerrar_vencidas() -> int:
    """Record as cerrada every open call whose closing second has passed (beat, every minute).

    Pages, services and rules already read the call as closed from the clock; this only records it
    (and queues the notice) through the same idempotent service as staff's «Cerrar convocatoria»:
    a call already closed (by another run or by hand) is left alone."""
    ahora = timezone.now()
    cerradas = 0
    pendientes = Convocatoria.objects.filter(estado=Convocatoria.Estado.ABIERTA).exclude(
        Convocatoria.q_plazo_vigente(ahora))
    for pk in pendientes.values_list("pk", flat=True):
        try:
            if not services.convocatoria_cerrar(convocatoria=Convocatoria(pk=pk), ahora=ahora):
                continue
        except (ErrorDominio, Convocatoria.DoesNotExist):
            continue
        cerradas += 1
        logger.info("Convocatoria %s cerrada al vencer su plazo.", pk)
    return cerradas


@shared_task(bind=True, max_retries=MAX_REINTENTOS, acks_late=True, **LIMITE_AVISOS)
def convocatoria_avisar_cierre_task(self, convocatoria_id: int) -> bool:
    """E-mail the authority's staff that the call closed (once: the service stamps it with the send)."""
    try:
        return services.convocatoria_avisar_cierre(convocatoria_id=convocatoria_id)
    except Exception as exc:
        def al_fallar(error, definitivo):
            if definitivo:
                logger.error("No se pudo avisar el cierre de la convocatoria %s: %s", convocatoria_id, error)

        reintentar_o_fallar(self, exc, al_fallar)
        return False
