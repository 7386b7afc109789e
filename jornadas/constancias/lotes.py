"""Batches: queueing a batch's chunks, rendering a chunk (or its documents one by one after it
failed), closing the batch once (ZIP, merged PDF, state) and retrying its failures."""

import logging
import math
import tempfile
import zipfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import colas
from core import documentos as core_documentos
from core.errors import ErrorDominio, texto_error
from core.models import DocumentoVerificable

from .. import constancias_pdf
from ..models import Constancia, LoteConstancias
from .comun import TAREA_AVISAR, TAREA_BLOQUE, TAREA_CERRAR, Estado
from .renderizado import renderizar

logger = logging.getLogger(__name__)


def bloque_generar(*, lote_id: int, documento_ids: list[int], cerrar: bool = True) -> list[int]:
    """Render the chunk's documents that are still pending, store them and mark them ready, in one
    transaction; then, unless cerrar=False, close the batch if that was its last pending work. Rows
    another worker holds are skipped; returns the ids skipped that way (still pending) so the
    caller can look again later."""
    with transaction.atomic():
        filas = list(
            DocumentoVerificable.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=documento_ids, tipo=DocumentoVerificable.Tipo.CONSTANCIA, estado_pdf=Estado.PENDIENTE,
                    revocado_en__isnull=True)
            .select_related("constancia__registro__participante__sujeto", "constancia__registro__jornada__autoridad")
            .order_by("folio")
        )
        # One layout for the whole chunk; the state moves through core's one lifecycle.
        core_documentos.documentos_marcar_listos(filas=filas, contenidos=renderizar(filas) if filas else [],
                                            motivo="constancia generada en lote")
    hechos = {d.pk for d in filas}
    omitidos = list(
        DocumentoVerificable.objects.filter(pk__in=set(documento_ids) - hechos, estado_pdf=Estado.PENDIENTE,
                                            revocado_en__isnull=True).values_list("pk", flat=True)
    )
    if cerrar:
        lote_verificar_fin(lote_id=lote_id)
    return omitidos


def bloque_generar_uno_a_uno(*, lote_id: int, documento_ids: list[int]) -> None:
    """After a chunk failed for good: each document on its own, so one bad record fails alone."""
    for pk in documento_ids:
        try:
            core_documentos.documento_generar(documento_id=pk)
        except Exception as exc:
            logger.warning("Constancia %s no se pudo generar", pk)
            core_documentos.documento_marcar_fallo(documento_id=pk, error=texto_error(exc), definitivo=True)
    lote_verificar_fin(lote_id=lote_id)


def _partes(ids: list[int], maximo: int) -> list[list[int]]:
    """Chunks of at most `maximo`, of equal size (so the last one does not run alone)."""
    if not ids:
        return []
    cuantas = math.ceil(len(ids) / max(1, maximo))
    paso = math.ceil(len(ids) / cuantas)
    return [ids[i:i + paso] for i in range(0, len(ids), paso)]


@transaction.atomic
def lote_encolar(*, lote_id: int) -> int:
    """Queue one task per chunk of the batch's pending documents, all in one outbox transaction;
    with nothing pending, the closing task. Returns the number of chunks."""
    ids = list(DocumentoVerificable.objects.filter(constancia__lote_id=lote_id, estado_pdf=Estado.PENDIENTE,
                                                   revocado_en__isnull=True)
               .order_by("folio").values_list("pk", flat=True))
    partes = _partes(ids, settings.CONSTANCIAS_POR_TAREA)
    if not partes:
        colas.encolar(TAREA_CERRAR, lote_id)
        return 0
    for parte in partes:
        colas.encolar(TAREA_BLOQUE, lote_id, parte)
    return len(partes)


def lote_pendientes(*, lote_id: int) -> bool:
    return DocumentoVerificable.objects.filter(constancia__lote_id=lote_id, estado_pdf=Estado.PENDIENTE,
                                               revocado_en__isnull=True).exists()


@transaction.atomic
def lote_reanudar(*, lote: LoteConstancias, usuario) -> int:
    """Staff's "Reanudar": queue the batch's pending constancias again now, chunk by chunk. Safe
    at any time (a chunk renders only what is still pending, skipping rows another worker holds);
    returns the number of chunks queued."""
    lote = LoteConstancias.objects.select_for_update().get(pk=lote.pk)
    if lote.estado != LoteConstancias.Estado.EN_PROCESO:
        raise ErrorDominio(_("Este lote ya terminó: no hay nada que reanudar."))
    lote.reanudado_en = timezone.now()
    lote.save(update_fields=["reanudado_en"])
    logger.info("Lote de constancias %s reanudado por %s", lote.pk, usuario)
    return lote_encolar(lote_id=lote.pk)


def constancias_reencolar(documento_ids: list[int]) -> None:
    """How core's sweep queues constancias left pending: their batches, chunk by chunk."""
    lotes = (Constancia.objects.filter(documento_id__in=documento_ids, lote__estado=LoteConstancias.Estado.EN_PROCESO)
             .order_by("lote_id").values_list("lote_id", flat=True).distinct())
    for lote_id in lotes:
        lote_encolar(lote_id=lote_id)


def lote_verificar_fin(*, lote_id: int) -> bool:
    """Close the batch if nothing in it is pending: ZIP, merged PDF, state, then the e-mails.
    Runs under the batch's row lock, so of the chunks finishing together only one closes it."""
    with transaction.atomic():
        lote = LoteConstancias.objects.select_for_update().filter(pk=lote_id).first()
        if lote is None or lote.estado != LoteConstancias.Estado.EN_PROCESO:
            return False
        documentos = DocumentoVerificable.objects.filter(constancia__lote=lote, revocado_en__isnull=True)
        if documentos.filter(estado_pdf=Estado.PENDIENTE).exists():
            return False
        _archivos_del_lote(lote)
        lote.transicionar(LoteConstancias.Estado.CON_ERRORES if documentos.filter(estado_pdf=Estado.FALLIDA).exists()
                          else LoteConstancias.Estado.TERMINADO, guardar=False, terminado_en=timezone.now())
        lote.save(update_fields=["zip", "pdf_unido", "estado", "terminado_en"])
        colas.encolar(TAREA_AVISAR, lote_id)
    return True


def _archivos_del_lote(lote: LoteConstancias) -> None:
    """The ZIP of every ready constancia and one merged PDF, both streamed to temporary files: one
    constancia's bytes in memory at a time."""
    filas = list(
        Constancia.objects.filter(lote=lote, documento__estado_pdf=Estado.LISTA, documento__revocado_en__isnull=True)
        .order_by("documento__folio")
        .values_list("documento__archivo", "documento__folio", "registro__participante__nombre")
    )
    almacen = lote.zip.storage
    base = slugify(str(lote.jornada or lote.ciclo))[:60] or "constancias"
    with tempfile.TemporaryFile() as zip_tmp, tempfile.TemporaryFile() as pdf_tmp:
        unido = constancias_pdf.PDFUnido(pdf_tmp)
        with zipfile.ZipFile(zip_tmp, "w", compression=zipfile.ZIP_STORED) as archivo_zip:
            for nombre, folio, persona in filas:
                with almacen.open(nombre, "rb") as origen:
                    datos = origen.read()
                with archivo_zip.open(f"{folio}-{slugify(persona)[:60]}.pdf", "w") as destino:
                    destino.write(datos)
                unido.agregar(datos)
        unido.cerrar()
        for campo, tmp, nombre in ((lote.zip, zip_tmp, f"{base}.zip"), (lote.pdf_unido, pdf_tmp, f"{base}.pdf")):
            if campo:
                campo.delete(save=False)
            tmp.seek(0)
            campo.save(nombre, File(tmp, name=nombre), save=False)


@transaction.atomic
def lote_reintentar(*, lote: LoteConstancias, usuario) -> int:
    """Queue again the batch's failed documents; the batch reopens and closes again when done."""
    lote = LoteConstancias.objects.select_for_update().get(pk=lote.pk)
    fallidas = list(DocumentoVerificable.objects.select_for_update()
                    .filter(constancia__lote=lote, estado_pdf=Estado.FALLIDA, revocado_en__isnull=True))
    if not fallidas:
        raise ErrorDominio(_("Este lote no tiene constancias fallidas."))
    core_documentos.documentos_reintentar(filas=fallidas, usuario=usuario, motivo="reintento")
    if lote.estado != LoteConstancias.Estado.EN_PROCESO:  # failures of a batch still running: it stays open
        lote.transicionar(LoteConstancias.Estado.EN_PROCESO, guardar=False, terminado_en=None)
    lote.save(update_fields=["estado", "terminado_en"])
    lote_encolar(lote_id=lote.pk)
    return len(fallidas)
