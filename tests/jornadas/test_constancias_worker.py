"""Constancias through a real Celery worker (two processes, on Redis): each attendee's PDF exists
once, opens and carries their name and folio; the merged PDF has one page per attendee; issuing again
creates nothing; a batch interrupted half-way renders only what is missing when it resumes."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from core.models import DocumentoVerificable
from jornadas import constancias
from jornadas.models import Constancia, LoteConstancias
from tests.jornadas import builders as b
from tests.worker import esperar, fixture_celery_worker, fixture_celery_worker_process  # noqa: F401

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

Estado = DocumentoVerificable.EstadoPDF


def _leer(campo) -> bytes:
    with campo.open("rb") as fh:
        return fh.read()


def _lote_cerrado(lote_id):
    lote = LoteConstancias.objects.get(pk=lote_id)
    return lote if lote.estado != LoteConstancias.Estado.EN_PROCESO else None


def _avisadas(jornada, n):
    return Constancia.objects.filter(registro__jornada=jornada, avisada_en__isnull=False).count() == n


def _comprobar_archivos(jornada, lote):
    emitidas = list(Constancia.objects.filter(registro__jornada=jornada)
                    .select_related("documento", "registro__participante"))
    registros = set(jornada.registros.filter(asistio=True).values_list("pk", flat=True))
    assert sorted(c.registro_id for c in emitidas) == sorted(registros)  # one each, nobody twice
    assert len({c.documento.archivo.name for c in emitidas}) == len(emitidas)
    for c in emitidas:
        doc = c.documento
        assert doc.estado_pdf == Estado.LISTA, doc.error
        assert doc.intentos == 1
        lector = PdfReader(io.BytesIO(_leer(doc.archivo)))
        assert len(lector.pages) == 1
        texto = lector.pages[0].extract_text()
        assert c.registro.participante.nombre in texto and doc.folio in texto
    unido = PdfReader(io.BytesIO(_leer(lote.pdf_unido)))
    assert len(unido.pages) == len(emitidas)
    folios = sorted(c.documento.folio for c in emitidas)
    assert [next(f for f in folios if f in p.extract_text()) for p in unido.pages] == folios
    with zipfile.ZipFile(io.BytesIO(_leer(lote.zip))) as z:
        assert len(z.namelist()) == len(emitidas)
    return emitidas


def test_constancias_de_una_jornada_por_el_worker(celery_worker, personal, settings):
    settings.CONSTANCIAS_POR_TAREA = 5  # 12 attendees: three chunks, on both worker processes
    jornada = b.jornada_con_asistentes(12, ausentes=2)

    lote = constancias.constancias_emitir(usuario=personal, jornada=jornada)

    lote = esperar(lambda: _lote_cerrado(lote.pk), segundos=90, worker=celery_worker)
    assert lote.estado == LoteConstancias.Estado.TERMINADO and lote.total == 12
    log = celery_worker.log_final(2000)
    assert log.count("constancias_bloque_task[") >= 3, "el worker no registró los bloques"
    emitidas = _comprobar_archivos(jornada, lote)
    esperar(lambda: _avisadas(jornada, 12), segundos=60, worker=celery_worker)

    # Issuing again: nothing new, nothing rendered again, nobody e-mailed twice.
    antes = {c.documento_id: (c.documento.archivo.name, c.documento.sha256) for c in emitidas}
    avisos = dict(Constancia.objects.filter(registro__jornada=jornada).values_list("pk", "avisada_en"))
    otra_vez = constancias.constancias_emitir(usuario=personal, jornada=jornada)
    assert otra_vez.pk == lote.pk and otra_vez.nuevas == 0
    assert LoteConstancias.objects.count() == 1 and DocumentoVerificable.objects.count() == 12
    assert {d.pk: (d.archivo.name, d.sha256) for d in DocumentoVerificable.objects.all()} == antes
    assert dict(Constancia.objects.filter(registro__jornada=jornada).values_list("pk", "avisada_en")) == avisos


def test_lote_interrumpido_a_la_mitad_solo_genera_lo_que_falta(celery_worker, personal, settings):
    """A worker died half-way through the batch: half the documents are ready, the rest pending.
    Issuing again resumes the same batch; the ready ones are not rendered again."""
    settings.CONSTANCIAS_POR_TAREA = 4
    jornada = b.jornada_con_asistentes(10)
    lote = constancias.constancias_emitir(usuario=personal, jornada=jornada, encolar=False)
    ids = list(DocumentoVerificable.objects.filter(constancia__lote=lote).order_by("folio").values_list("pk", flat=True))
    mitad, resto = ids[:5], ids[5:]
    constancias.bloque_generar(lote_id=lote.pk, documento_ids=mitad)  # what got done before the crash
    hechas = {d.pk: (d.archivo.name, d.sha256, d.generado_en)
              for d in DocumentoVerificable.objects.filter(pk__in=mitad)}
    assert all(d.estado_pdf == Estado.PENDIENTE for d in DocumentoVerificable.objects.filter(pk__in=resto))
    assert LoteConstancias.objects.get(pk=lote.pk).estado == LoteConstancias.Estado.EN_PROCESO

    reanudado = constancias.constancias_emitir(usuario=personal, jornada=jornada)

    assert reanudado.pk == lote.pk and reanudado.nuevas == 0
    lote = esperar(lambda: _lote_cerrado(lote.pk), segundos=90, worker=celery_worker)
    assert lote.estado == LoteConstancias.Estado.TERMINADO
    assert {d.pk: (d.archivo.name, d.sha256, d.generado_en)
            for d in DocumentoVerificable.objects.filter(pk__in=mitad)} == hechas
    _comprobar_archivos(jornada, lote)  # every document rendered exactly once (intentos == 1)
    assert LoteConstancias.objects.count() == 1
