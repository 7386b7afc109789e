"""The whole cycle on PostgreSQL with a real Celery worker: submit, admit, five jurors score, close,
sign, publish at the embargo second; the worker renders the PDFs and sends the notices; the PDFs
are opened with pypdf and the verification URL printed on them (the QR's target) resolves.

time_machine only moves this process's clock, so the results second is set a few real seconds
ahead: the worker renders the PDFs before it (they are private until then), this process checks the
second before with time travel, waits for the real second to pass (so the worker's clock agrees),
then publishes exactly at it."""

import io
import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from convocatorias.models import Convocatoria
from convocatorias.services import convocatoria_actualizar
from core.models import DocumentoVerificable
from evaluacion import tasks
from evaluacion.models import Dictamen, Notificacion
from tests.evaluacion import builders, builders_dictamen
from tests.worker import esperar, fixture_celery_worker, fixture_celery_worker_process, tarea_terminada  # noqa: F401

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

MARGEN_SEGUNDOS = 8  # from setting the results second to reaching it: signing happens in between


def _texto_pdf(documento) -> str:
    with documento.archivo.open("rb") as fh:
        lector = PdfReader(io.BytesIO(fh.read()))
    # Long URLs wrap in their narrow column: join the lines before searching.
    return re.sub(r"\s+", "", "".join(pagina.extract_text() for pagina in lector.pages))


def _documentos_listos(n):
    docs = list(DocumentoVerificable.objects.order_by("folio"))
    if len(docs) == n and all(d.estado_pdf != DocumentoVerificable.EstadoPDF.PENDIENTE for d in docs):
        return docs
    return None


def test_ciclo_completo_con_worker_real(celery_worker, client, autoridad, personal, sujeto_a, sujeto_b, enlace_a,
                                        enlace_b):
    # Submit (acuses go to the worker), admit, turn over to a jury of five.
    esc = builders.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=2, n_jurado=5,
                                 sujetos=[sujeto_a, sujeto_b], umbral="7.00")
    assert len(esc.miembros) == 5
    # Five jurors score: body A's practice 9 on every criterion, body B's 5.
    builders.calificar_todo(esc, lambda mi, pi, ci: [9, 5][pi])
    from evaluacion import services

    services.calificacion_cerrar(convocatoria=esc.convocatoria, usuario=personal)

    # Staff set the results second a few real seconds ahead, then the jury signs.
    fecha = (timezone.now() + timedelta(seconds=MARGEN_SEGUNDOS)).replace(microsecond=0)
    conv = convocatoria_actualizar(convocatoria=esc.convocatoria, usuario=personal, datos={"fecha_resultados": fecha})
    dictamenes = [builders_dictamen.firmar(Dictamen.objects.get(practica=p), personal) for p in esc.practicas]
    assert [d.decision for d in dictamenes] == ["procedente", "no_procedente"]
    assert timezone.now() < fecha, "la firma tardó más que el margen; súbalo"

    # The worker renders the three PDFs (two rulings, one recognition) while they are still embargoed.
    docs = esperar(lambda: _documentos_listos(3), segundos=90, worker=celery_worker)
    assert {d.estado_pdf for d in docs} == {DocumentoVerificable.EstadoPDF.LISTA}, [d.error for d in docs]

    # One second before: the periodic task publishes nothing; the pages and the verification say nothing.
    with time_machine.travel(fecha - timedelta(seconds=1), tick=False):
        assert tasks.resultados_publicar_pendientes()["publicadas"] == []
        assert client.get(reverse("core:verificar", args=[docs[0].codigo])).status_code == 404
        assert esc.practicas[0].nombre not in client.get(reverse("evaluacion:resultados", args=[conv.slug])) \
            .content.decode()
    assert not Notificacion.objects.exists()

    # Wait for the real second (so the worker's clock is past it too), then publish exactly at it.
    esperar(lambda: timezone.now() >= fecha + timedelta(milliseconds=200), segundos=MARGEN_SEGUNDOS + 5, cada=0.05)
    with time_machine.travel(fecha, tick=False):
        assert tasks.resultados_publicar_pendientes()["publicadas"] == [conv.pk]
    conv.refresh_from_db()
    assert conv.estado == Convocatoria.Estado.RESULTADOS_PUBLICADOS and conv.resultados_notificados_en == fecha

    # The worker notifies each body once; publishing again (a second beat tick) adds nothing.
    esperar(lambda: Notificacion.objects.count() == 2, segundos=60, worker=celery_worker)
    with time_machine.travel(fecha + timedelta(seconds=60), tick=False):
        assert tasks.resultados_publicar_pendientes() == {"publicadas": [], "reencoladas": 0}
    duplicados = [tasks.resultado_notificar_task.delay(d.pk) for d in dictamenes]  # a duplicate delivery
    for resultado in duplicados:  # the worker has run both to the end before we count
        esperar(lambda r=resultado: tarea_terminada(celery_worker, r.id), segundos=60, worker=celery_worker)
    assert Notificacion.objects.count() == 2
    assert DocumentoVerificable.objects.count() == 3
    assert DocumentoVerificable.objects.filter(intentos=1).count() == 3  # each rendered once
    log = celery_worker.log_final(2000)
    assert "documento_generar_task[" in log and "resultado_notificar_task[" in log

    # The PDFs: folio, and the verification URL printed next to the QR resolves to the verification page.
    for doc in DocumentoVerificable.objects.order_by("folio"):
        texto = _texto_pdf(doc)
        assert doc.folio in texto
        urls = re.findall(r"https?://[^\s]+?/verificar/[-\w]+/", texto)
        assert urls, f"sin URL de verificación en {doc.folio}"
        ruta = urlparse(urls[0]).path
        assert ruta == reverse("core:verificar", args=[doc.codigo])
        verificacion = client.get(ruta)
        assert verificacion.status_code == 200
        pagina = verificacion.content.decode()
        assert doc.folio in pagina and doc.sha256 in pagina
    reconocimiento = DocumentoVerificable.objects.get(tipo=DocumentoVerificable.Tipo.RECONOCIMIENTO)
    texto = _texto_pdf(reconocimiento)
    assert re.sub(r"\s+", "", f"Vigente del {reconocimiento.resumen['vigente_desde']}") in texto
    assert re.sub(r"\s+", "", sujeto_a.nombre) in texto
