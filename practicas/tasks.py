"""Thin Celery tasks: ids in, a service call, safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import services
from .models import Acuse

MAX_REINTENTOS = 3


@shared_task(bind=True, max_retries=MAX_REINTENTOS, acks_late=True)
def acuse_generar_task(self, acuse_id: int):
    try:
        services.acuse_generar(acuse_id=acuse_id)
    except Exception as exc:
        definitivo = self.request.retries >= self.max_retries
        services.acuse_marcar_fallo(acuse_id=acuse_id, error=f"{type(exc).__name__}: {exc}", definitivo=definitivo)
        if definitivo:
            return
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc


@shared_task
def acuses_reintentar_pendientes():
    """Re-queue acuses left pending (e.g. a worker died before taking the message)."""
    limite = timezone.now() - timedelta(minutes=10)
    for pk in Acuse.objects.filter(estado=Acuse.Estado.PENDIENTE, actualizado_en__lt=limite).values_list(
        "pk", flat=True
    ):
        acuse_generar_task.delay(pk)
