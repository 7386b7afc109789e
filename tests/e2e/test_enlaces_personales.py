"""Pages reached through a personal link (the survey, the account activation) keep their token out
of any Referer, and their forms still go through in a real browser. A page-wide `no-referrer` made
Chromium send `Origin: null` with the form's POST, which Django's CSRF check refuses: the person got
«El formulario caducó» on every try. Checked in Chromium, since only a browser applies the policy."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.models import Usuario
from jornadas.models import Registro
from practicas import services as practicas_services
from tests import factories
from tests.e2e.conftest import exigir_chromium
from tests.jornadas import builders

exigir_chromium()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _peticiones_post(page):
    vistas = []
    page.on("request", lambda r: vistas.append(r) if r.method == "POST" else None)
    return vistas


def test_la_encuesta_del_enlace_personal_se_envia_en_el_navegador(page, live_server):
    jornada = builders.jornada_con_asistentes(1, pasada=True)
    builders.encuesta(jornada)
    registro = Registro.objects.get(jornada=jornada)
    posts = _peticiones_post(page)
    page.goto(live_server.url + reverse("jornadas:encuesta", args=[registro.token_encuesta]))
    expect(page).to_have_url(re.compile(r"/jornadas/encuesta/responder/$"))
    page.get_by_role("checkbox").first.check()
    page.get_by_label("5 · Totalmente satisfecho").check()
    page.get_by_label("Comentarios").fill("Muy útil.")
    page.get_by_role("button", name="Enviar respuestas").click()
    expect(page.get_by_text("su respuesta quedó registrada de forma anónima")).to_be_visible()
    # Answered (the answers themselves wait for a group of five before they are written).
    assert Registro.objects.get(pk=registro.pk).encuesta_respondida_en is not None
    envio = posts[-1]
    assert envio.header_value("origin") == live_server.url  # not "null"
    assert registro.token_encuesta not in (envio.header_value("referer") or "")


def test_la_activacion_de_cuenta_se_confirma_en_el_navegador(page, live_server):
    usuario = factories.UsuarioFactory(email="por.activar@finanzas.gob.mx", is_active=False)
    usuario = Usuario.objects.get(pk=usuario.pk)  # the token is made from the stored row
    ruta = reverse("practicas:activar", args=practicas_services.url_activacion(usuario).rstrip("/").split("/")[-2:])
    posts = _peticiones_post(page)
    page.goto(live_server.url + ruta)
    page.locator("main form").get_by_role("button").click()
    expect(page.get_by_text("Su cuenta quedó confirmada.")).to_be_visible()
    assert Usuario.objects.get(pk=usuario.pk).is_active
    assert posts[-1].header_value("origin") == live_server.url
