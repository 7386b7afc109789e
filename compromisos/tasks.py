"""Thin Celery tasks for cartas compromiso: ids in, a service call, safe to run twice."""

from celery import shared_task

from core.tasks import LIMITE_CIERRE

from . import avisos, services


@shared_task(acks_late=True, **LIMITE_CIERRE)
def compromisos_reconocer_task(practica_ids: list[int] | None = None) -> int:
    """Fulfil the commitments a published recognition fulfils (queued at the publication of results)."""
    return services.compromisos_reconocer(practica_ids=practica_ids)


@shared_task(acks_late=True, **LIMITE_CIERRE)
def seguimiento_diario_task() -> dict:
    """Daily: record expiries, catch up on fulfilments, queue the reminders due."""
    return {"vencidos": services.compromisos_vencer(), "reconocidos": services.compromisos_reconocer(),
            **avisos.seguimiento_avisos()}


@shared_task(acks_late=True, **LIMITE_CIERRE)
def carta_avisar_revision_task(carta_id: int, estado: str, revisada_en: str, motivo: str = "") -> bool:
    return avisos.carta_avisar_revision(carta_id=carta_id, estado=estado, revisada_en=revisada_en, motivo=motivo)


@shared_task(acks_late=True, **LIMITE_CIERRE)
def compromisos_recordar_meta_task(carta_id: int, tipo: str, compromiso_ids: list[int], hoy: str) -> bool:
    return avisos.compromisos_recordar_meta(carta_id=carta_id, tipo=tipo, compromiso_ids=compromiso_ids, hoy=hoy)


@shared_task(acks_late=True, **LIMITE_CIERRE)
def carta_avisar_convocatoria_task(carta_id: int, convocatoria_id: int) -> bool:
    return avisos.carta_avisar_convocatoria(carta_id=carta_id, convocatoria_id=convocatoria_id)
