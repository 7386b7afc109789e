"""Issue 13, «axe passes on every page including the panel pages»: with the demo loaded, each
persona (the administrator, a juror, a body's enlace) starts at their home and follows every link
of the portal they are shown, one page per route, and axe-core checks each against WCAG 2.1 AA.

A list of pages goes stale as pages are added; following the links does not: a new panel page is
checked as soon as some page links to it. Downloads (CSV, XLSX, PDF, ZIP, ICS, JSON) and
logging out are not followed, nor Django's own admin (/admin/, superusers only: its markup is
Django's); a page that answers 5xx fails the walk too."""

import io
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from core import relevo
from tests.e2e.conftest import exigir_chromium
from tests.e2e.test_accesibilidad import _violaciones_graves, axe  # noqa: F401 - the axe fixture

exigir_chromium()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CONTRASENA = "Reconoce-2026!"
NO_SEGUIR = (".csv", ".xlsx", ".pdf", ".zip", ".ics", ".json", ".yml", ".yaml", ".png", ".svg")
RUTAS_QUE_NO = {"logout", "core:buzon_html", "core:logo", "api:esquema"}
MAXIMO_POR_PERSONA = 90


@pytest.fixture
def demo(monkeypatch):
    # The demo's 80 PDFs and notices wait in the outbox (nobody relays them here): pages show them
    # pending, and the walk does not spend minutes rendering them in-process.
    monkeypatch.setattr(relevo, "enviar", lambda filas: None)
    call_command("cargar_demo", "--forzar", stdout=io.StringIO())


def _entrar(page, base, correo):
    page.context.clear_cookies()
    page.goto(base + "/cuentas/login/")
    page.get_by_label("Correo electrónico").fill(correo)
    page.get_by_label("Contraseña").fill(CONTRASENA)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()


def _enlaces(page, base):
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    for href in hrefs:
        href = urldefrag(href)[0]
        if href.startswith(base) and not urlparse(href).path.lower().endswith(NO_SEGUIR):
            yield href


def _ruta(url):
    try:
        return resolve(urlparse(url).path).view_name
    except Resolver404:
        return None


def _recorrer(page, base, inicios):
    """Breadth-first from `inicios`: the first URL seen of each route is visited and checked."""
    vistas, fallas, errores = set(), {}, {}
    pendientes = deque(base + inicio for inicio in inicios)
    while pendientes and len(vistas) < MAXIMO_POR_PERSONA:
        url = pendientes.popleft()
        ruta = _ruta(url)
        if ruta is None or ruta in vistas or ruta in RUTAS_QUE_NO or ruta.startswith("admin:"):
            continue
        vistas.add(ruta)
        try:
            respuesta = page.goto(url)
        except PlaywrightError as error:  # a link that answers with an attachment is a download
            if "Download is starting" in str(error):
                continue
            raise
        if respuesta is None or respuesta.status >= 500:
            errores[ruta] = (url, respuesta and respuesta.status)
            continue
        if "text/html" not in (respuesta.headers.get("content-type") or ""):
            continue
        graves = _violaciones_graves(page)
        if graves:
            fallas[f"{ruta} {url}"] = graves
        pendientes.extend(_enlaces(page, base))
    return vistas, fallas, errores


# Each persona starts at home; the administrator also at the 2023 call, whose ruling is published (its
# admissibility, dashboard and rulings are linked from there, not from the open calls first seen).
@pytest.mark.parametrize(("correo", "inicios", "minimo"), [
    ("admin@demo.reconoce.mx", ("/panel/", "/panel/convocatorias/transparencia-proactiva-2023/editar/", "/buzon/"),
     60),
    ("jurado1.nl@demo.reconoce.mx", ("/panel/jurado/",), 15),
    ("enlace@demo.reconoce.mx", ("/mis-practicas/",), 15),
])
def test_cada_pagina_que_alcanza_cada_persona_pasa_axe(live_server, page, demo, axe, correo, inicios,  # noqa: F811
                                                      minimo):
    _entrar(page, live_server.url, correo)
    try:
        vistas, fallas, errores = _recorrer(page, live_server.url, inicios)
    finally:
        # Nothing in flight (an htmx poll of the last page) when the test database is emptied.
        page.goto("about:blank")
    assert not errores, errores
    assert not fallas, fallas
    assert len(vistas) >= minimo, sorted(vistas)  # the walk did go somewhere
