"""The cycle's report: a page like Infoem's report on its 2023 awareness sessions and its PDF,
rendered by a Celery task (eager here) into private storage keyed by cycle and content hash (an
InformeCiclo row), read back with pypdf."""

import io
import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.tasks import documento_generar_task
from jornadas import informe, services
from jornadas.models import InformeCiclo, Registro
from tests.jornadas import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def ciclo(autoridad):
    ciclo = b.ciclo(autoridad_=autoridad, nombre="Jornadas de sensibilización 2023")
    estatal = b.sujetos(1, prefijo="Secretaría de Cultura")
    j1 = b.jornada_con_asistentes(5, ciclo_=ciclo, titulo="Primera jornada", coordinador="José Martínez Vilchis",
                                  sujetos_=estatal)
    # Five answers: the minimum group (fewer are withheld, see test_informe_reserva_grupos_pequenos).
    b.responder(list(j1.registros.all())[:5], opciones=(1,), satisfaccion=4,
                comentario="Solamente felicitarlos por impartir el tema de manera entendible y fácil.")
    b.jornada_con_asistentes(3, ciclo_=ciclo, titulo="Segunda jornada",
                             coordinador="María del Rosario Mejía Ayala", cargo_coordinador="Comisionada",
                             sujetos_=estatal)
    return ciclo


def test_pagina_del_informe(client, personal, ciclo):
    client.force_login(personal)
    html = client.get(reverse("panel:jornadas_informe", args=[ciclo.slug])).content.decode()
    for texto in ("Informe: Jornadas de sensibilización 2023", "Primera jornada", "José Martínez Vilchis",
                  "María del Rosario Mejía Ayala", "Se realizaron 2 jornadas con la participación de 8 personas",
                  "Asistentes por orden de gobierno", "Asistentes por sujeto obligado", "Secretaría de Cultura",
                  "Solamente felicitarlos por impartir el tema", "Asesoría personalizada del Órgano Garante",
                  "Generar el PDF del informe"):
        assert texto in html, texto
    assert html.count('role="img"') == 4  # sessions, order of government, two questions


def test_informe_reserva_grupos_pequenos(client, personal, autoridad):
    """A cycle with four answers: the page and the PDF's content say why, and show neither the
    numbers nor the comment."""
    ciclo = b.ciclo(autoridad_=autoridad)
    j = b.jornada_con_asistentes(4, ciclo_=ciclo)
    b.responder(j.registros.all(), comentario="Un comentario que identificaría a alguien")
    client.force_login(personal)
    html = client.get(reverse("panel:jornadas_informe", args=[ciclo.slug])).content.decode()
    assert "no se muestran resultados ni comentarios de grupos con menos de 5 respuestas" in html
    assert "Un comentario que identificaría" not in html and 'role="img"' in html  # attendance charts only
    assert html.count('role="img"') == 2
    datos = informe.contexto(ciclo)
    assert datos["resultados"].reservado and not datos["resultados"].preguntas


def _pdf(client, ciclo):
    html = client.get(reverse("panel:jornadas_informe", args=[ciclo.slug])).content.decode()
    huella = informe.contexto(ciclo)["huella"]
    url = reverse("panel:jornadas_informe_pdf", args=[ciclo.slug, huella])
    assert url in html
    resp = client.get(url)
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp["Cache-Control"] == "private, no-store"
    return b"".join(resp.streaming_content), huella


def test_pdf_por_tarea_y_leido_con_pypdf(client, personal, ciclo, django_capture_on_commit_callbacks):
    client.force_login(personal)
    huella = informe.contexto(ciclo)["huella"]
    assert informe.estado(ciclo.pk, huella)["estado"] == informe.NINGUNO
    assert client.get(reverse("panel:jornadas_informe_pdf", args=[ciclo.slug, huella])).status_code == 404

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        resp = client.post(reverse("panel:jornadas_informe_solicitar", args=[ciclo.slug]))
    assert resp.status_code == 302
    # Queued, not rendered in the request: the page shows it pending and polls.
    assert informe.estado(ciclo.pk, huella)["estado"] == informe.PENDIENTE
    estado = client.get(reverse("panel:jornadas_informe_estado", args=[ciclo.slug, huella])).content.decode()
    assert "Generando el PDF del informe" in estado and 'hx-trigger="every 2s"' in estado
    assert len(callbacks) == 1
    callbacks[0]()  # the worker (eager task) runs after commit

    assert informe.estado(ciclo.pk, huella)["estado"] == informe.LISTO
    contenido, huella = _pdf(client, ciclo)
    lector = PdfReader(io.BytesIO(contenido))
    texto = " ".join(p.extract_text() for p in lector.pages)
    for esperado in ("Jornadas de sensibilización 2023", "José Martínez Vilchis", "María del Rosario",
                     "Secretaría de Cultura", "entendible y fácil", "Total"):
        assert esperado in " ".join(texto.split()), esperado

    # Asking again does nothing: same file, no new task.
    ruta = informe.almacen().path(informe.ruta(ciclo.pk, huella, "pdf"))
    antes = os.stat(ruta).st_mtime_ns
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        estado = services.informe_pdf_solicitar(ciclo=ciclo)
    assert estado["estado"] == informe.LISTO and not callbacks
    assert os.stat(ruta).st_mtime_ns == antes


def test_cambiar_los_datos_invalida_el_pdf(client, personal, ciclo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.informe_pdf_solicitar(ciclo=ciclo)
    vieja = informe.contexto(ciclo)["huella"]
    assert informe.estado(ciclo.pk, vieja)["estado"] == informe.LISTO
    Registro.objects.filter(jornada__ciclo=ciclo).update(asistio=False)
    nueva = informe.contexto(ciclo)["huella"]
    assert nueva != vieja and informe.estado(ciclo.pk, nueva)["estado"] == informe.NINGUNO
    client.force_login(personal)
    html = client.get(reverse("panel:jornadas_informe", args=[ciclo.slug])).content.decode()
    assert "Generar el PDF del informe" in html and vieja not in html


def test_fallo_y_pendiente_caducado_se_muestran_y_permiten_reintentar(client, personal, ciclo,
                                                                     django_capture_on_commit_callbacks):
    huella = informe.contexto(ciclo)["huella"]
    InformeCiclo.objects.create(ciclo=ciclo, huella=huella, estado_pdf=InformeCiclo.EstadoPDF.FALLIDA,
                                error="RuntimeError: sin fuentes")
    client.force_login(personal)
    html = client.get(reverse("panel:jornadas_informe", args=[ciclo.slug])).content.decode()
    assert "No se pudo generar el PDF" in html and "sin fuentes" in html and "Volver a intentar" in html

    with django_capture_on_commit_callbacks(execute=False):
        informe.marcar_pendiente(ciclo.pk, huella)
    assert informe.estado(ciclo.pk, huella)["estado"] == informe.PENDIENTE
    viejo = timezone.now() - timedelta(hours=1)
    InformeCiclo.objects.filter(ciclo=ciclo, huella=huella).update(pendiente_desde=viejo)
    assert informe.estado(ciclo.pk, huella)["estado"] == informe.FALLIDO


def test_la_tarea_es_idempotente(ciclo):
    huella = informe.contexto(ciclo)["huella"]
    assert informe.generar(ciclo.pk, huella) == huella
    ruta = informe.almacen().path(informe.ruta(ciclo.pk, huella, "pdf"))
    antes = os.stat(ruta).st_mtime_ns
    fila = InformeCiclo.objects.get(ciclo=ciclo, huella=huella)
    documento_generar_task.delay(fila.pk, "jornadas.informeciclo")
    assert os.stat(ruta).st_mtime_ns == antes
