"""Thin Celery tasks: a service call, safe to run twice."""

import logging

from celery import shared_task
from django.utils import timezone

from core.errors import ErrorDominio
from core.tasks import LIMITE_CIERRE

from . import services
from .models import Convocatoria

logger = logging.getLogger(__name__)


@shared_task(**LIMITE_CIERRE)
def convocatorias_cerrar_vencidas() -> int:
    """Record as cerrada every open call whose closing second has passed (beat, every minute).

    Idempotent: a call already closed (by another run or by hand) is skipped."""
    ahora = timezone.now()
    cerradas = 0
    pendientes = Convocatoria.objects.filter(estado=Convocatoria.Estado.ABIERTA).exclude(
        Convocatoria.q_plazo_vigente(ahora))
    for pk in pendientes.values_list("pk", flat=True):
        try:
            services.convocatoria_cerrar(convocatoria=Convocatoria(pk=pk), ahora=ahora)
        except (ErrorDominio, Convocatoria.DoesNotExist):
            continue
        cerradas += 1
        logger.info("Convocatoria %s cerrada al vencer su plazo.", pk)
    return cerradas
