"""Thin Celery tasks for rulings: ids in, a service call, safe to run twice.

Publication is a periodic sweep that looks at state (calls past their results second and not yet
notified), never a one-shot ETA: a beat or worker restart cannot make it miss the moment."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)

MAX_REINTENTOS = 5
# A notice or PDF still missing this long after it was queued is queued again (its message was lost,
# e.g. the process died between the commit and the broker). Only every REENCOLAR_CADA_MIN minutes, so
# a worker outage does not pile up one duplicate per minute (duplicates are harmless, just wasted).
REENCOLAR_TRAS = timedelta(minutes=10)
REENCOLAR_HASTA = timedelta(days=7)
REENCOLAR_CADA_MIN = 15


@shared_task(bind=True, max_retries=MAX_REINTENTOS, acks_late=True)
def resultado_notificar_task(self, dictamen_id: int):
    """E-mail the body its result (once: the service records it with the send)."""
    from .models import Dictamen

    try:
        enviado = services.resultado_notificar(dictamen_id=dictamen_id)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            logger.exception("No se pudo notificar el dictamen %s", dictamen_id)
            return False
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    if not enviado:
        # This worker's clock may lag the one that published: try again once the embargo is over here.
        fecha = Dictamen.objects.filter(pk=dictamen_id).values_list(
            "practica__convocatoria__fecha_resultados", flat=True).first()
        ahora = timezone.now()
        if fecha is not None and ahora < fecha and self.request.retries < self.max_retries:
            raise self.retry(countdown=max(1, int((fecha - ahora).total_seconds()) + 1))
    return enviado


@shared_task(acks_late=True)
def resultados_publicar_pendientes():
    """Every minute: publish each call whose results second has passed; now and then, queue again
    the notices and PDFs of recent rulings whose messages never arrived."""
    from convocatorias.models import Convocatoria

    ahora = timezone.now()
    publicadas = []
    vencidas = Convocatoria.objects.filter(
        estado=Convocatoria.Estado.EN_EVALUACION, fecha_resultados__lte=ahora,
    ).values_list("pk", flat=True)
    for pk in vencidas:
        convocatoria = Convocatoria.objects.get(pk=pk)
        if services.resultados_publicar(convocatoria=convocatoria, ahora=ahora):
            publicadas.append(pk)
    reencoladas = _reencolar_rezagados(ahora) if timezone.localtime(ahora).minute % REENCOLAR_CADA_MIN == 0 else 0
    return {"publicadas": publicadas, "reencoladas": reencoladas}


def _reencolar_rezagados(ahora) -> int:
    from convocatorias.models import Convocatoria
    from core.models import DocumentoVerificable
    from core.tasks import documento_generar_task

    from .models import Dictamen
    from .pdf import TIPOS

    sin_aviso = list(Dictamen.objects.filter(
        practica__convocatoria__estado=Convocatoria.Estado.RESULTADOS_PUBLICADOS,
        practica__convocatoria__resultados_notificados_en__lte=ahora - REENCOLAR_TRAS,
        practica__convocatoria__resultados_notificados_en__gte=ahora - REENCOLAR_HASTA,
        notificacion__isnull=True,
    ).values_list("pk", flat=True))
    for dictamen_id in sin_aviso:
        resultado_notificar_task.delay(dictamen_id)
    sin_pdf = list(DocumentoVerificable.objects.filter(
        tipo__in=TIPOS, estado_pdf=DocumentoVerificable.EstadoPDF.PENDIENTE,
        creado_en__lte=ahora - REENCOLAR_TRAS, creado_en__gte=ahora - REENCOLAR_HASTA,
    ).values_list("pk", flat=True))
    for documento_id in sin_pdf:
        documento_generar_task.delay(documento_id)
    return len(sin_aviso) + len(sin_pdf)


@shared_task(acks_late=True)
def vigencias_diarias():
    """Daily: expiries (through history) and the 30-day warnings, each once."""
    return services.vigencias_actualizar()
