"""Thin Celery tasks for rulings: ids in, a service call, safe to run twice.

Publication is a periodic sweep that looks at state (calls past their results second and not yet
notified), never a one-shot ETA: a beat or worker restart cannot make it miss the moment."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from convocatorias.models import Convocatoria
from core import colas
from core.tasks import LIMITE_AVISOS, LIMITE_CIERRE, MAX_REINTENTOS, reintentar_o_fallar

from . import services
from .models import Dictamen

logger = logging.getLogger(__name__)

# A notice still missing this long after publication is queued again (its message was lost, e.g. the
# process died between the commit and the broker). Only every REENCOLAR_CADA_MIN minutes, so a worker
# outage does not pile up one duplicate per minute (duplicates are harmless, just wasted). Lost PDFs
# are core's sweep (core.tasks.documentos_barrer_task).
REENCOLAR_TRAS = timedelta(minutes=10)
REENCOLAR_HASTA = timedelta(days=7)
REENCOLAR_CADA_MIN = 15


@shared_task(bind=True, max_retries=MAX_REINTENTOS, acks_late=True, **LIMITE_AVISOS)
def resultado_notificar_task(self, dictamen_id: int):
    """E-mail the body its result (once: the service records it with the send)."""
    try:
        enviado = services.resultado_notificar(dictamen_id=dictamen_id)
    except Exception as exc:
        def al_fallar(error, definitivo):
            if definitivo:
                logger.error("No se pudo notificar el dictamen %s: %s", dictamen_id, error)

        reintentar_o_fallar(self, exc, al_fallar)
        return False
    if not enviado:
        # This worker's clock may lag the one that published: try again once the embargo is over here.
        fecha = Dictamen.objects.filter(pk=dictamen_id).values_list(
            "practica__convocatoria__fecha_resultados", flat=True).first()
        ahora = timezone.now()
        if fecha is not None and ahora < fecha and self.request.retries < MAX_REINTENTOS:
            raise self.retry(countdown=max(1, int((fecha - ahora).total_seconds()) + 1), max_retries=MAX_REINTENTOS)
    return enviado


def _aviso(self, servicio, nombre: str, pk: int) -> bool:
    """A notice task's body: the service sends once; a failure is retried, and logged when final."""
    try:
        return servicio(pk)
    except Exception as exc:
        def al_fallar(error, definitivo):
            if definitivo:
                logger.error("No se pudo enviar el aviso de %s %s: %s", nombre, pk, error)

        reintentar_o_fallar(self, exc, al_fallar)
        return False


@shared_task(bind=True, max_retries=MAX_REINTENTOS, acks_late=True, **LIMITE_AVISOS)
def admisibilidad_avisar_task(self, admisibilidad_id: int) -> bool:
    """E-mail the body its admissibility result (once: the service stamps it with the send)."""
    return _aviso(self, lambda pk: services.admisibilidad_avisar(admisibilidad_id=pk), "admisibilidad",
                  admisibilidad_id)


@shared_task(bind=True, max_retries=MAX_REINTENTOS, acks_late=True, **LIMITE_AVISOS)
def reconocimiento_avisar_revocacion_task(self, reconocimiento_id: int) -> bool:
    """E-mail the body that its recognition was revoked (once: the service stamps it with the send)."""
    return _aviso(self, lambda pk: services.reconocimiento_avisar_revocacion(reconocimiento_id=pk), "revocación",
                  reconocimiento_id)


@shared_task(acks_late=True, **LIMITE_CIERRE)
def resultados_publicar_pendientes():
    """Every minute: publish each call whose results second has passed; now and then, queue again
    the notices of recent rulings whose messages never arrived."""
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
    sin_aviso = list(Dictamen.objects.filter(
        practica__convocatoria__estado=Convocatoria.Estado.RESULTADOS_PUBLICADOS,
        practica__convocatoria__resultados_notificados_en__lte=ahora - REENCOLAR_TRAS,
        practica__convocatoria__resultados_notificados_en__gte=ahora - REENCOLAR_HASTA,
        notificacion__isnull=True,
    ).values_list("pk", flat=True))
    for dictamen_id in sin_aviso:
        colas.encolar("evaluacion.tasks.resultado_notificar_task", dictamen_id)
    return len(sin_aviso)


@shared_task(acks_late=True, **LIMITE_CIERRE)
def vigencias_diarias():
    """Daily: expiries (through history) and the 30-day warnings, each once."""
    return services.vigencias_actualizar()
