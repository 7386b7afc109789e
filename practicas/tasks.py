"""Thin Celery tasks: ids in, a service call, safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from core.tasks import MAX_REINTENTOS, generar_con_reintentos

from . import services
from .models import Acuse


@shared_task(bind=True, max_retries=MAX_REINTENTOS, acks_late=True)
def acuse_generar_task(self, acuse_id: int):
    generar_con_reintentos(
        self, lambda pk: services.acuse_generar(acuse_id=pk),
        lambda pk, error, definitivo: services.acuse_marcar_fallo(acuse_id=pk, error=error, definitivo=definitivo),
        acuse_id,
    )


@shared_task
def acuses_reintentar_pendientes():
    """Re-queue acuses left pending (e.g. a worker died before taking the message)."""
    limite = timezone.now() - timedelta(minutes=10)
    for pk in Acuse.objects.filter(estado=Acuse.Estado.PENDIENTE, actualizado_en__lt=limite).values_list(
        "pk", flat=True
    ):
        acuse_generar_task.delay(pk)
