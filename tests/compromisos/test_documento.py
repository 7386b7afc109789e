"""The «Formato carta compromiso»: generated through core's document pipeline (the outbox, eager
here), read back with pypdf; replaced while the letter changes, fixed once presented; public on the
verification page only once the authority accepts the letter."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from compromisos import documento as formato
from compromisos import services
from compromisos.models import FormatoCarta
from core import documentos
from core.models import DocumentoVerificable, TareaPendiente
from tests.compromisos import builders as b

pytestmark = pytest.mark.django_db
EstadoPDF = DocumentoVerificable.EstadoPDF


@pytest.fixture(autouse=True)
def _autoridad(autoridad):
    """Authority A serves bodies A and B (entidad 15)."""


def _texto(doc) -> str:
    doc.refresh_from_db()
    with doc.archivo.open("rb") as fh:
        lector = PdfReader(io.BytesIO(fh.read()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in lector.pages))


def _generar(carta, usuario, capturar):
    with capturar(execute=True):
        doc = formato.carta_formato_generar(carta=carta, usuario=usuario)
    doc.refresh_from_db()
    return doc


def test_formato_se_genera_por_la_cola_con_los_datos_de_la_carta(sujeto_a, enlace_a, autoridad,
                                                                  django_capture_on_commit_callbacks):
    carta = b.borrador(sujeto_a, enlace_a)
    with django_capture_on_commit_callbacks(execute=False):
        doc = formato.carta_formato_generar(carta=carta, usuario=enlace_a)
        assert TareaPendiente.objects.filter(nombre=documentos.TAREA_GENERAR, args=[doc.pk,
                                             "core.documentoverificable"]).exists()
    carta.refresh_from_db()
    assert carta.documento == doc and doc.tipo == "carta_compromiso"
    assert doc.folio == f"{autoridad.siglas}-CC-{carta.fecha.year}-0001"
    documentos.documento_generar(documento_id=doc.pk)
    texto = _texto(doc)
    assert doc.estado_pdf == EstadoPDF.LISTA
    for esperado in (sujeto_a.nombre, "María Pérez López", "Práctica comprometida 1", "Práctica comprometida 2",
                     doc.folio, doc.codigo, autoridad.nombre, "instrumento simbólico"):
        assert esperado in texto, esperado
    assert f"/verificar/{doc.codigo}/" in texto.replace(" ", "")


def test_formato_usa_los_textos_de_la_autoridad(sujeto_a, enlace_a, personal, autoridad,
                                                django_capture_on_commit_callbacks):
    formato.formato_guardar(autoridad=autoridad, usuario=personal, encabezado="Carta de adhesión",
                            texto_compromiso="Nos sumamos a la transparencia proactiva.", pie="Pie propio.")
    doc = _generar(b.borrador(sujeto_a, enlace_a), enlace_a, django_capture_on_commit_callbacks)
    texto = _texto(doc)
    assert "Carta de adhesión" in texto and "Nos sumamos a la transparencia proactiva." in texto
    assert "Pie propio." in texto and "instrumento simbólico" not in texto


def test_generar_otra_vez_sin_cambios_devuelve_el_mismo(sujeto_a, enlace_a, django_capture_on_commit_callbacks):
    carta = b.borrador(sujeto_a, enlace_a)
    doc = _generar(carta, enlace_a, django_capture_on_commit_callbacks)
    assert _generar(carta, enlace_a, django_capture_on_commit_callbacks).pk == doc.pk
    assert DocumentoVerificable.objects.count() == 1 and not formato.esta_desactualizado(carta)


def test_carta_cambiada_reemplaza_el_documento_con_el_mismo_folio(sujeto_a, enlace_a,
                                                                   django_capture_on_commit_callbacks):
    carta = b.borrador(sujeto_a, enlace_a)
    viejo = _generar(carta, enlace_a, django_capture_on_commit_callbacks)
    services.carta_actualizar(carta=carta, usuario=enlace_a, datos={}, practicas=b.practicas(3))
    carta.refresh_from_db()
    assert formato.esta_desactualizado(carta)
    nuevo = _generar(carta, enlace_a, django_capture_on_commit_callbacks)
    assert nuevo.pk != viejo.pk and nuevo.folio == viejo.folio and nuevo.codigo != viejo.codigo
    assert list(DocumentoVerificable.objects.values_list("pk", flat=True)) == [nuevo.pk]
    assert "Práctica comprometida 3" in _texto(nuevo)
    # A second letter draws the next number.
    otro = _generar(b.borrador(sujeto_a, enlace_a), enlace_a, django_capture_on_commit_callbacks)
    assert otro.folio.endswith("-0002")


def test_carta_presentada_conserva_su_formato_aunque_cambie_el_de_la_autoridad(
        sujeto_a, enlace_a, personal, autoridad, django_capture_on_commit_callbacks):
    carta = b.borrador(sujeto_a, enlace_a)
    doc = _generar(carta, enlace_a, django_capture_on_commit_callbacks)
    services.carta_adjuntar_firmada(carta=carta, usuario=enlace_a, archivo=b.firmada())
    services.carta_presentar(carta=carta, usuario=enlace_a)
    formato.formato_guardar(autoridad=autoridad, usuario=personal, encabezado="Otro", texto_compromiso="Otro.",
                            pie="")
    carta.refresh_from_db()
    assert not formato.esta_desactualizado(carta)
    assert _generar(carta, enlace_a, django_capture_on_commit_callbacks).pk == doc.pk
    # A rebuild (the sweep, after a lost file) says what the signed letter said.
    doc.archivo.storage.delete(doc.archivo.name)
    documentos.documento_generar(documento_id=doc.pk, reconstruir=True)
    texto = _texto(doc)
    assert "instrumento simbólico" in texto and "Otro." not in texto


def test_verificacion_solo_con_la_carta_aceptada(client, sujeto_a, enlace_a, personal,
                                                 django_capture_on_commit_callbacks):
    carta = b.presentada(sujeto_a, enlace_a)
    doc = _generar(carta, enlace_a, django_capture_on_commit_callbacks)
    verificar = reverse("core:verificar", args=[doc.codigo])
    descargar = reverse("core:documento", args=[doc.codigo])
    assert client.get(verificar).status_code == 404
    assert client.get(descargar).status_code == 404
    client.force_login(enlace_a)  # the body may download it by code too; the page still says nothing
    assert client.get(descargar).status_code == 200
    assert client.get(verificar).status_code == 404
    client.logout()
    services.carta_aceptar(carta=carta, usuario=personal)
    resp = client.get(verificar)
    assert resp.status_code == 200
    pagina = resp.content.decode()
    for esperado in (doc.folio, doc.sha256, sujeto_a.nombre, "Carta compromiso", "Prácticas comprometidas",
                     "Práctica comprometida 1", "Firmante"):
        assert esperado in pagina, esperado
    assert client.get(descargar).status_code == 200


def test_vista_previa_del_formato_en_datos_de_muestra(autoridad):
    contenido = formato.vista_previa_pdf(autoridad=autoridad, formato=FormatoCarta(autoridad=autoridad))
    texto = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(contenido)).pages)
    assert "MUESTRA" in texto and "Secretaría de Ejemplo" in texto


def test_estado_del_formato_se_sondea_mientras_esta_pendiente(client, sujeto_a, enlace_a,
                                                              django_capture_on_commit_callbacks):
    carta = b.borrador(sujeto_a, enlace_a)
    client.force_login(enlace_a)
    url = reverse("compromisos:carta_formato_estado", args=[carta.pk])
    assert "Generar el formato" in client.get(url, headers={"HX-Request": "true"}).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        resp = client.post(reverse("compromisos:carta_formato_generar", args=[carta.pk]),
                           headers={"HX-Request": "true"})
    fragmento = resp.content.decode()
    assert resp.status_code == 200 and 'hx-trigger="every 2s"' in fragmento and "Generando" in fragmento
    carta.refresh_from_db()
    documentos.documento_generar(documento_id=carta.documento_id)
    fragmento = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragmento
    assert reverse("compromisos:carta_formato", args=[carta.pk]) in fragmento
    resp = client.get(reverse("compromisos:carta_formato", args=[carta.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    b"".join(resp.streaming_content)


def test_generar_sin_htmx_vuelve_a_la_pagina_propia_que_lo_pidio(client, sujeto_a, enlace_a,
                                                                  django_capture_on_commit_callbacks):
    carta = b.borrador(sujeto_a, enlace_a)
    client.force_login(enlace_a)
    url = reverse("compromisos:carta_formato_generar", args=[carta.pk])
    with django_capture_on_commit_callbacks(execute=False):
        resp = client.post(url, {"siguiente": "https://otro-sitio.example/robar"})
    assert resp.status_code == 302 and resp["Location"] == reverse("compromisos:carta_formato_estado",
                                                                     args=[carta.pk])
    with django_capture_on_commit_callbacks(execute=False):
        resp = client.post(url, {"siguiente": "/cartas-compromiso/"})
    assert resp["Location"] == "/cartas-compromiso/"
    pagina = client.get(reverse("compromisos:carta_formato_estado", args=[carta.pk])).content.decode()
    assert "<title>" in pagina and "Generando el formato" in pagina


def test_personal_edita_el_formato_y_ve_la_vista_previa_sin_guardar(client, personal, autoridad):
    client.force_login(personal)
    editar = reverse("panel:carta_formato_editar", args=[autoridad.slug])
    previa = reverse("panel:carta_formato_vista_previa", args=[autoridad.slug])
    pagina = client.get(editar).content.decode()
    assert "instrumento simbólico" in pagina  # the default text, before anything is saved
    datos = {"encabezado": "Carta de adhesión", "texto_compromiso": "Texto sin guardar todavía.", "pie": ""}
    resp = client.post(previa, datos)
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert "Texto sin guardar todavía." in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.content)).pages)
    assert not FormatoCarta.objects.exists()
    assert client.post(previa, {**datos, "texto_compromiso": ""}).status_code == 400
    assert client.post(editar, {**datos, "encabezado": ""}).status_code == 400
    resp = client.post(editar, datos)
    assert resp.status_code == 302
    assert FormatoCarta.objects.get(autoridad=autoridad).texto_compromiso == "Texto sin guardar todavía."
