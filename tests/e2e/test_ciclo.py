"""From the jury to the public, in a real browser: a juror scores a practice with reasons and submits;
staff save the draft ruling, the jurors sign it (the last in the browser, with their password), staff publish once the results second has passed; an anonymous visitor opens
the result, downloads the recognition and verifies its code."""

import io
import re
from datetime import timedelta

import pypdf
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from evaluacion import services
from evaluacion.models import Dictamen, Evaluacion
from tests.e2e.conftest import exigir_chromium
from tests.evaluacion import builders
from tests.evaluacion import builders_dictamen as bd

exigir_chromium()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CLAVE = "clave-de-prueba-123"  # UsuarioFactory's password


def _iniciar_sesion(page, live_server, correo):
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Correo electrónico").fill(correo)
    page.get_by_label("Contraseña").fill(CLAVE)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()


def _cerrar_sesion(page):
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_role("link", name="Iniciar sesión")).to_be_visible()


def test_jurado_califica_personal_firma_y_publica_visitante_verifica(page, browser, live_server, autoridad, personal,
                                                                    sujeto_a, enlace_a):
    # The results second is two hours ahead (staff come back to publish after it: their idle session has ended).
    fecha = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    esc = builders.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=1, n_jurado=5,
                                 sujetos=[sujeto_a], umbral="7.00", fecha_resultados=fecha)
    conv, practica = esc.convocatoria, esc.practicas[0]
    for miembro in esc.miembros[1:]:
        builders.calificar(miembro, practica, 9)

    # 1. The fifth juror scores in the browser, with a reason per criterion, and submits.
    jurado = esc.miembros[0]
    _iniciar_sesion(page, live_server, jurado.usuario.email)
    page.goto(live_server.url + reverse("panel:jurado_calificaciones", args=[conv.slug]))
    page.get_by_role("link", name=f"Calificar {practica.folio}").click()
    expect(page.get_by_role("heading", name=practica.nombre)).to_be_visible()
    puntajes, motivos = page.locator("input[name^='puntaje_']"), page.locator("textarea[name^='motivo_']")
    expect(puntajes).to_have_count(6)
    for i in range(6):
        puntajes.nth(i).fill("8.5")
        motivos.nth(i).fill(f"La práctica atiende el criterio {i + 1} con evidencia verificable.")
    page.get_by_role("button", name="Enviar calificación").click()
    expect(page.get_by_text(f"Calificación de {practica.folio} enviada.")).to_be_visible()
    evaluacion = Evaluacion.objects.get(miembro=jurado, practica=practica)
    assert evaluacion.estado == Evaluacion.Estado.ENVIADA
    assert evaluacion.calificaciones.filter(motivo__startswith="La práctica atiende el criterio").count() == 6
    _cerrar_sesion(page)

    services.calificacion_cerrar(convocatoria=conv, usuario=personal)

    # 2. Staff review the draft ruling (the juror's reason is there) and save it; four jurors have
    # signed it (the service behind the signing form); the fifth signs in the browser with their
    # password, which issues the ruling. Staff no longer sign for the jury.
    _iniciar_sesion(page, live_server, personal.email)
    page.goto(live_server.url + reverse("panel:dictamenes", args=[conv.slug]))
    expect(page.get_by_text("Resultados bajo reserva hasta el")).to_be_visible()
    page.get_by_role("link", name=practica.nombre).click()
    expect(page.locator("#propuesta")).to_have_text("Procedente")
    expect(page.locator("textarea[name^='motivo_']").first).to_contain_text("La práctica atiende el criterio 1")
    page.get_by_label("Consideraciones generales").fill("Práctica ejemplar de datos abiertos.")
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Borrador del dictamen guardado.")).to_be_visible()
    expect(page.get_by_role("button", name="Firmar dictamen")).to_have_count(0)
    _cerrar_sesion(page)
    dictamen = Dictamen.objects.get(practica=practica)
    bd.firmar_jurado(dictamen, miembros=esc.miembros[1:])

    _iniciar_sesion(page, live_server, jurado.usuario.email)
    page.goto(live_server.url + reverse("panel:dictamen", args=[dictamen.pk]))
    expect(page.get_by_text("Firmas reunidas: 4 de 5 necesarias.")).to_be_visible()
    page.get_by_label(re.compile("Confirmo que el Jurado Calificador deliberó")).check()
    page.get_by_label("Su contraseña").fill(CLAVE)
    page.once("dialog", lambda dialogo: dialogo.accept())
    page.get_by_role("button", name="Firmar dictamen").click()
    expect(page.get_by_role("heading", name="Dictamen firmado")).to_be_visible()
    dictamen = Dictamen.objects.select_related("reconocimiento__documento").get(practica=practica)
    assert dictamen.estado == Dictamen.Estado.FIRMADO and dictamen.consideraciones.startswith("Práctica ejemplar")
    assert dictamen.firmas.count() == 5 and dictamen.firmado_por == jurado.usuario
    expect(page.get_by_text(dictamen.folio).first).to_be_visible()
    rec_doc = dictamen.reconocimiento.documento
    rec_doc.refresh_from_db()
    assert rec_doc.estado_pdf == "lista", rec_doc.error
    _cerrar_sesion(page)

    # 3. Past the results second, staff publish (the periodic task would do the same within a minute).
    with time_machine.travel(fecha + timedelta(seconds=1), tick=True):
        _iniciar_sesion(page, live_server, personal.email)
        # Staff sign in afresh (the jurors signed; idle expiry has its own tests in test_cuentas_bordes).
        page.goto(live_server.url + reverse("panel:dictamenes", args=[conv.slug]))
        expect(page.get_by_role("heading", name=re.compile("Dictámenes"))).to_be_visible()
        page.once("dialog", lambda dialogo: dialogo.accept())
        page.get_by_role("button", name="Publicar resultados").click()
        expect(page.get_by_text("Resultados publicados. Se está notificando")).to_be_visible()
        _cerrar_sesion(page)

        # 4. An anonymous visitor, in a browser context of their own.
        contexto = browser.new_context(locale="es-MX", timezone_id="America/Mexico_City", accept_downloads=True)
        visitante = contexto.new_page()
        visitante.set_default_timeout(10_000)
        visitante.goto(live_server.url + conv.get_absolute_url())
        visitante.get_by_role("link", name="Ver los resultados").click()
        visitante.get_by_role("link", name=practica.nombre).click()
        expect(visitante.get_by_role("heading", name=practica.nombre)).to_be_visible()
        expect(visitante.get_by_text("Vigente", exact=True)).to_be_visible()
        expect(visitante.get_by_text("Práctica ejemplar de datos abiertos.")).to_be_visible()
        with visitante.expect_download() as descarga:
            visitante.get_by_role("link", name="Reconocimiento (PDF)").click()
        with open(descarga.value.path(), "rb") as fh:
            pdf = pypdf.PdfReader(io.BytesIO(fh.read()))
        texto = re.sub(r"\s+", "", "".join(p.extract_text() for p in pdf.pages))
        assert rec_doc.folio in texto
        codigo = re.search(r"/verificar/([-\w]+)/", texto).group(1)

        visitante.goto(live_server.url + reverse("core:verificar_inicio"))
        visitante.get_by_label("Código de verificación").fill(codigo)
        visitante.get_by_role("button", name="Verificar", exact=True).click()
        expect(visitante.get_by_role("heading", name="Verificación de documentos")).to_be_visible()
        expect(visitante.locator("#estado-documento")).to_contain_text("Vigente")
        expect(visitante.get_by_role("strong").filter(has_text=rec_doc.folio)).to_be_visible()
        expect(visitante.get_by_text(rec_doc.sha256)).to_be_visible()
        contexto.close()
