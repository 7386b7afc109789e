"""Automatic fulfilment of a carta compromiso on PostgreSQL with a real Celery worker: a body's
letter is accepted (the worker renders its format PDF); one committed practice is submitted to a
call and linked («postulada»); the ruling is signed procedente with a recognition; one second
before the results second nothing moves; at it, the beat task publishes, evaluacion's signal writes
compromisos_reconocer_task into the outbox, and the worker fulfils the commitment («reconocida»).

As in tests/evaluacion/test_ciclo_worker.py, the results second is set a few real seconds ahead,
this process checks the second before with time travel, waits for the real second (so the worker's
clock agrees) and publishes exactly at it."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from compromisos import documento as formato
from compromisos import services
from compromisos.models import AvisoCompromiso, PracticaComprometida
from convocatorias.services import convocatoria_actualizar
from core import documentos
from core.models import DocumentoVerificable, TareaPendiente
from evaluacion import tasks as evaluacion_tasks
from evaluacion.models import Dictamen, Notificacion, Reconocimiento
from tests.compromisos import builders as b
from tests.evaluacion import builders_dictamen as bd
from tests.worker import esperar, fixture_celery_worker, fixture_celery_worker_process  # noqa: F401

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

EP = PracticaComprometida.Estado
MARGEN_SEGUNDOS = 12  # from setting the results second to reaching it: signing happens in between


def _estado(compromiso) -> str:
    compromiso.refresh_from_db()
    return compromiso.estado


def _listo(documento_id):
    doc = DocumentoVerificable.objects.get(pk=documento_id)
    return doc if doc.estado_pdf != DocumentoVerificable.EstadoPDF.PENDIENTE else None


def _en_reposo() -> bool:
    """The worker has nothing left in hand: no PDF pending, nothing in the outbox, every result
    notice sent. (The test database is emptied with TRUNCATE after the test: a task still holding
    row locks then would deadlock with it.)"""
    modelos = {t.modelo for t in documentos.tipos_registrados().values()}
    if any(m.objects.filter(estado_pdf="pendiente").exists() for m in modelos):
        return False
    return (not TareaPendiente.objects.exists() and Notificacion.objects.count() == 2
            and AvisoCompromiso.objects.filter(tipo="aceptada").exists())


def test_compromiso_postulado_se_reconoce_al_publicar_resultados(celery_worker, autoridad, personal, sujeto_a,
                                                                 sujeto_b, enlace_a, enlace_b):
    # The body's letter, accepted; its format PDF rendered by the worker through the outbox.
    carta = b.aceptada(sujeto_a, enlace_a, personal)
    doc = formato.carta_formato_generar(carta=carta, usuario=enlace_a)
    doc = esperar(lambda: _listo(doc.pk), segundos=90, worker=celery_worker)
    assert doc.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA, doc.error
    with doc.archivo.open("rb") as fh:
        texto = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages))
    assert sujeto_a.nombre in texto and "Práctica comprometida 1" in texto and doc.codigo in texto

    # A call of the same authority scored and closed: body A's practice proposed procedente.
    ciclo = bd.con_dictamenes(autoridad=autoridad, personal=personal, sujetos=[sujeto_a, sujeto_b])
    practica = ciclo.practicas[0]
    assert practica.sujeto_id == sujeto_a.pk
    compromiso = services.compromiso_actualizar(compromiso=carta.practicas.first(), usuario=enlace_a,
                                                estado=EP.POSTULADA, practica=practica)
    assert compromiso.estado == EP.POSTULADA

    # The results second a few real seconds ahead; then the jury signs (procedente: a recognition).
    fecha = (timezone.now() + timedelta(seconds=MARGEN_SEGUNDOS)).replace(microsecond=0)
    conv = convocatoria_actualizar(convocatoria=ciclo.convocatoria, usuario=personal,
                                   datos={"fecha_resultados": fecha})
    dictamen = bd.firmar(ciclo.dictamenes[0], personal)
    bd.firmar(ciclo.dictamenes[1], personal)
    assert (dictamen.estado, dictamen.decision) == (Dictamen.Estado.FIRMADO, Dictamen.Decision.PROCEDENTE)
    assert Reconocimiento.objects.filter(dictamen=dictamen).exists()
    assert timezone.now() < fecha, "la firma tardó más que el margen; súbalo"

    # One second before: nothing is published and the commitment stays «postulada».
    with time_machine.travel(fecha - timedelta(seconds=1), tick=False):
        assert evaluacion_tasks.resultados_publicar_pendientes()["publicadas"] == []
        assert services.compromisos_reconocer() == 0
    assert _estado(compromiso) == EP.POSTULADA

    # At the second: the beat task publishes; the worker runs the fulfilment the signal queued.
    esperar(lambda: timezone.now() >= fecha + timedelta(milliseconds=200), segundos=MARGEN_SEGUNDOS + 5, cada=0.05)
    with time_machine.travel(fecha, tick=False):
        assert evaluacion_tasks.resultados_publicar_pendientes()["publicadas"] == [conv.pk]
    esperar(lambda: _estado(compromiso) == EP.RECONOCIDA, segundos=90, worker=celery_worker)
    assert compromiso.reconocida_en is not None
    assert "compromisos_reconocer_task[" in celery_worker.log_final(4000)
    # The letter's other commitment, never submitted, is left as it was.
    assert carta.practicas.exclude(pk=compromiso.pk).get().estado == EP.COMPROMETIDA
    esperar(_en_reposo, segundos=120, worker=celery_worker)
