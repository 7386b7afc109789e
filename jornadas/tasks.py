"""Thin Celery tasks for constancias: ids in, a service call, safe to run twice or after a worker
died mid-way (acks_late: the message goes back to the queue and the rerun renders what is missing)."""

import contextlib
import ctypes
import gc
import logging

from celery import shared_task

from core import colas
from core.tasks import LIMITE_AVISOS, LIMITE_CIERRE, LIMITE_PDF, MAX_REINTENTOS, reintentar_o_fallar

from . import constancias, services

logger = logging.getLogger(__name__)

RONDAS_OMITIDOS = 3


@contextlib.contextmanager
def _memoria_de_un_bloque():
    """A chunk's layout is mostly cyclic garbage (WeasyPrint's box trees) once written. Rather than
    let the collector walk it again and again while the chunk is laid out, collect once at the end,
    and hand the freed pages back to the OS: a worker's memory then depends on the chunk size, not on
    how many chunks it has rendered (otherwise it creeps up chunk after chunk)."""
    activo = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if activo:
            gc.enable()
        gc.collect()
        with contextlib.suppress(OSError, AttributeError):  # not glibc: the collection alone still helps
            ctypes.CDLL("libc.so.6").malloc_trim(0)


@shared_task(bind=True, acks_late=True, max_retries=MAX_REINTENTOS, **LIMITE_PDF)
def constancias_bloque_task(self, lote_id: int, documento_ids: list[int], ronda: int = 0):
    """Render one chunk in one WeasyPrint layout. If it keeps failing, render its documents one by
    one so a bad record fails alone (and shows as failed with its error)."""
    try:
        with _memoria_de_un_bloque():
            omitidos = constancias.bloque_generar(lote_id=lote_id, documento_ids=documento_ids, cerrar=False)
    except Exception as exc:
        reintentar_o_fallar(self, exc)
        logger.exception("El bloque de constancias del lote %s falló; se generan una por una", lote_id)
        constancias.bloque_generar_uno_a_uno(lote_id=lote_id, documento_ids=documento_ids)
        return
    # If this was the batch's last pending work, close it in a task of its own (the ZIP and the
    # merged PDF of the whole batch take longer than a chunk's time limit allows).
    if not constancias.lote_pendientes(lote_id=lote_id):
        colas.encolar(constancias.TAREA_CERRAR, lote_id)
    # Rows another transaction held: look again shortly (a rerun of the same chunk finds them done).
    if omitidos and ronda < RONDAS_OMITIDOS:
        colas.encolar_tras(5, constancias.TAREA_BLOQUE, lote_id, omitidos, ronda + 1)


@shared_task(acks_late=True, **LIMITE_CIERRE)
def constancias_cerrar_task(lote_id: int):
    constancias.lote_verificar_fin(lote_id=lote_id)


@shared_task(acks_late=True, **LIMITE_AVISOS)
def constancias_avisar_task(lote_id: int):
    constancias.lote_avisar(lote_id=lote_id)


@shared_task(acks_late=True, **LIMITE_CIERRE)
def encuestas_agrupar_task():
    """Write the pending survey answers that now form a group (leftovers of closed surveys)."""
    return services.encuestas_agrupar_pendientes()
