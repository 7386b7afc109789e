"""The error pages in a browser: WCAG 2.1 AA (axe-core), nothing blocked by the Content-Security-Policy
(the `page` fixture fails on that), the favicon served, and the search box taking the person to the
catalogue."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests import factories
from tests.e2e.conftest import exigir_chromium
from tests.e2e.test_accesibilidad import _violaciones_graves, axe  # noqa: F401 - fixture

exigir_chromium()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CLAVE = "clave-de-prueba-9"


@override_settings(ROOT_URLCONF="tests.core.urls_errores")
def test_paginas_de_error_sin_violaciones_graves_de_wcag(live_server, page, axe):  # noqa: F811
    enlace = factories.EnlaceFactory().usuario
    enlace.set_password(CLAVE)
    enlace.save()
    fallas = {}

    def revisar(nombre, ruta, estado):
        respuesta = page.goto(live_server.url + ruta)
        assert respuesta.status == estado, (nombre, ruta, respuesta.status)
        graves = _violaciones_graves(page)
        if graves:
            fallas[nombre] = graves

    revisar("404", "/no-existe/", 404)
    revisar("500", "/falla/", 500)
    revisar("403-anonimo", "/prohibida/", 403)
    # A form whose token no longer holds: the CSRF failure page.
    page.goto(live_server.url + reverse("login"))
    page.context.clear_cookies()
    page.get_by_label("Correo electrónico").fill(enlace.email)
    page.get_by_label("Contraseña").fill(CLAVE)
    with page.expect_response(lambda r: r.request.method == "POST") as envio:
        page.get_by_role("button", name="Entrar").click()
    assert envio.value.status == 403
    assert page.get_by_role("heading", name="El formulario caducó").is_visible()
    graves = _violaciones_graves(page)
    if graves:
        fallas["csrf"] = graves
    # Back to the form and retry: it goes through.
    page.get_by_role("link", name="Volver a la página y reintentar").click()
    page.get_by_label("Correo electrónico").fill(enlace.email)
    page.get_by_label("Contraseña").fill(CLAVE)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()
    revisar("403-enlace", reverse("panel:inicio"), 403)
    assert not fallas, fallas


def test_el_favicon_se_sirve_y_la_busqueda_lleva_al_catalogo(live_server, page):
    respuesta = page.goto(live_server.url + "/favicon.ico")
    assert respuesta.status == 200 and respuesta.headers["content-type"].startswith("image/svg+xml")
    page.goto(live_server.url + "/no-existe/")
    busqueda = page.get_by_role("search", name="Buscar prácticas reconocidas").last
    busqueda.get_by_role("searchbox").fill("presupuesto")
    busqueda.get_by_role("button", name="Buscar").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + reverse("evaluacion:catalogo") + "?q=presupuesto"
