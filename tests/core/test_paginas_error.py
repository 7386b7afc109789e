"""Error pages: Spanish, in the portal's frame (navigation, a search box to the catalogue, a contact
line), for 400, 403, 404, 500 and a CSRF failure; the 500 renders without the database. Under /api/
every error answers JSON with a Spanish `detail`. And the favicon."""

import logging
import re

import pytest
from defusedxml import ElementTree
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse

from core import sitio
from tests import factories

URLCONF = "tests.core.urls_errores"
INGLES = ("Forbidden", "Not Found", "Server Error", "Bad Request", "matches the given query", "CSRF verification",
          "CSRF token", "CSRF cookie", "throttled")


def _texto(resp) -> str:
    return resp.content.decode()


def _titulo(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _ayuda(html: str) -> str:
    """The error page's own help block (search and contact), apart from the frame's footer."""
    return html.split('id="ayuda-error"', 1)[1].split("</section>", 1)[0]


def _en_el_marco(html: str, titulo: str):
    """Spanish, the portal's frame, a search box to the catalogue and the page's own title."""
    assert 'lang="es-MX"' in html
    assert 'aria-label="Navegación principal"' in html
    assert static("vendor/bootstrap/css/bootstrap.min.css") in html
    assert f'href="{reverse("convocatorias:lista")}"' in html  # the menu
    ayuda = _ayuda(html)
    assert f'action="{reverse("evaluacion:catalogo")}"' in ayuda and 'name="q"' in ayuda and 'role="search"' in ayuda
    assert _titulo(html).startswith(f"{titulo} · ")
    for palabra in INGLES:
        assert palabra not in html, palabra


# --- HTML pages -------------------------------------------------------------------------------------

def test_403_de_un_enlace_en_el_panel_es_la_pagina_del_portal(client, enlace_a):
    client.force_login(enlace_a)
    resp = client.get(reverse("panel:inicio"))
    assert resp.status_code == 403
    html = _texto(resp)
    _en_el_marco(html, "Acceso no permitido")
    assert "Su cuenta no tiene permiso" in html
    assert "Cerrar sesión" in html and "Ir a mi espacio de trabajo" in html  # still signed in
    assert resp["Content-Type"].startswith("text/html")


@override_settings(ROOT_URLCONF=URLCONF)
def test_403_no_muestra_el_motivo_tecnico(client, db):
    resp = client.get("/prohibida/")
    assert resp.status_code == 403
    html = _texto(resp)
    _en_el_marco(html, "Acceso no permitido")
    assert "Motivo técnico" not in html
    assert f'href="{reverse("login")}?next=/prohibida/"' in html  # anonymous: offered to sign in


def test_404_es_la_pagina_del_portal(client, db):
    resp = client.get("/no-existe/")
    assert resp.status_code == 404
    html = _texto(resp)
    _en_el_marco(html, "Página no encontrada")
    assert "No encontramos la página" in html
    assert f'href="{reverse("portal:inicio")}"' in _ayuda(html)


def test_404_de_un_objeto_no_muestra_el_mensaje_de_django(client, db):
    resp = client.get(reverse("convocatorias:detalle", args=["no-existe"]))
    assert resp.status_code == 404
    _en_el_marco(_texto(resp), "Página no encontrada")


@override_settings(PORTAL_CORREO="contacto@reconoce.example")
def test_la_ayuda_da_el_correo_del_portal(client, db):
    ayuda = _ayuda(_texto(client.get("/no-existe/")))
    assert 'href="mailto:contacto@reconoce.example"' in ayuda


@override_settings(PORTAL_CORREO="")
def test_sin_correo_del_portal_la_ayuda_da_el_de_cada_autoridad(client, autoridad):
    factories.AutoridadFactory(siglas="COTAI", nombre="Comisión de Transparencia de Nuevo León",
                               entidad_clave="19", correo_contacto="contacto@cotai.example")
    ayuda = _ayuda(_texto(client.get("/no-existe/")))
    assert "INFOEM" in ayuda and f'href="mailto:{autoridad.correo_contacto}"' in ayuda
    assert "COTAI" in ayuda and 'href="mailto:contacto@cotai.example"' in ayuda


def test_400_por_un_host_no_permitido_es_la_pagina_del_portal(client, db, caplog):
    with caplog.at_level(logging.ERROR, logger="django.security"):
        resp = client.get("/", HTTP_HOST="intruso.example")
    assert resp.status_code == 400
    html = _texto(resp)
    _en_el_marco(html, "Solicitud no válida")
    assert "intruso.example" not in html
    assert any("intruso.example" in r.getMessage() for r in caplog.records)  # the reason, in the log


def test_falla_de_csrf_explica_que_el_formulario_caduco(db, caplog):
    client = Client(enforce_csrf_checks=True)
    login = reverse("login")
    client.get(login)  # the form, and its cookie
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        resp = client.post(login, {"username": "x@example.com", "password": "x"}, HTTP_REFERER=sitio.url_absoluta(login))
    assert resp.status_code == 403
    html = _texto(resp)
    _en_el_marco(html, "El formulario caducó")
    assert "Vuelva a la página" in html
    assert f'href="{login}"' in html  # back to the form, to send it again
    assert any("CSRF token missing" in r.getMessage() for r in caplog.records)  # Django's reason: only the log


def test_falla_de_csrf_vuelve_al_formulario_bajo_el_host_de_la_peticion(db, settings):
    """A browser under `make run HOST=…` (or a live server) sends a Referer with the host it used,
    which need not be SITE_URL's: the way back is still the form, as a relative path."""
    settings.ALLOWED_HOSTS = ["localhost"]
    client = Client(enforce_csrf_checks=True, HTTP_HOST="localhost:55487")
    login = reverse("login")
    resp = client.post(f"{login}?siguiente=/panel/", {}, HTTP_REFERER=f"http://localhost:55487{login}?siguiente=/panel/")
    assert resp.status_code == 403
    assert f'href="{login}?siguiente=/panel/"' in _texto(resp)


@pytest.mark.parametrize("referer", ["https://otro-sitio.example/trampa", "//otro-sitio.example/x",
                                     "javascript:alert(1)", "http://localhost:55487@otro-sitio.example/"])
def test_falla_de_csrf_con_referer_ajeno_no_lo_sigue(db, referer):
    client = Client(enforce_csrf_checks=True)
    resp = client.post(reverse("login"), {}, HTTP_REFERER=referer)
    assert resp.status_code == 403
    assert "otro-sitio" not in _texto(resp) and "javascript" not in _texto(resp)


def test_falla_de_csrf_sin_referer_propio_vuelve_al_inicio(db):
    client = Client(enforce_csrf_checks=True)
    resp = client.post(reverse("login"), {}, HTTP_REFERER="https://otro-sitio.example/trampa")
    assert resp.status_code == 403
    html = _texto(resp)
    assert "otro-sitio.example" not in html
    assert "cookies" in html  # no cookie at all: the likely cause is said
    assert f'href="{reverse("portal:inicio")}"' in _ayuda(html)


# --- the 500, without the database --------------------------------------------------------------

def _comprobar_500(resp):
    assert resp.status_code == 500
    assert resp["Content-Type"].startswith("text/html")
    html = _texto(resp)
    _en_el_marco(html, "Error del servidor")
    assert "Ocurrió un error inesperado" in html
    assert "una falla de prueba" not in html


@override_settings(ROOT_URLCONF=URLCONF)
def test_500_con_debug_apagado_sin_consultas(db, django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        resp = client.get("/falla/")
    _comprobar_500(resp)


@override_settings(ROOT_URLCONF=URLCONF)
def test_500_se_presenta_sin_base_de_datos():
    """No `db` fixture: pytest-django refuses any query, so a page that needed one would fail here
    (the handler's plain fallback has no frame, which _comprobar_500 asks for)."""
    _comprobar_500(Client(raise_request_exception=False).get("/falla/"))


def test_500_directo_sin_peticion_ni_base_de_datos(rf):
    from core import views_errores

    _comprobar_500(views_errores.error_servidor(rf.get("/cualquier/")))


@override_settings(ROOT_URLCONF=URLCONF, PORTAL_CORREO="contacto@reconoce.example")
def test_500_da_el_correo_del_portal():
    resp = Client(raise_request_exception=False).get("/falla/")
    assert 'href="mailto:contacto@reconoce.example"' in _ayuda(_texto(resp))


# --- JSON under /api/ -----------------------------------------------------------------------------

def _json(resp, status):
    assert resp.status_code == status, resp.content
    assert resp["Content-Type"].startswith("application/json"), resp["Content-Type"]
    cuerpo = resp.json()
    for palabra in INGLES:
        assert palabra not in resp.content.decode(), palabra
    return cuerpo


@pytest.mark.parametrize("url", ["/api/", "/api/v1/nope/", "/api/v2/convocatorias/",
                                 "/api/v1/practicas-reconocidas/abc/", "/api/v1/convocatorias/a/b/c/"])
def test_api_404_de_rutas_desconocidas_es_json(client, db, url):
    resp = client.get(url)
    assert _json(resp, 404) == {"detail": "No se encontró el recurso solicitado."}
    assert resp["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(("nombre", "args"), [("api:convocatoria-detail", ["no-existe"]),
                                              ("api:practica-reconocida-detail", [987654]),
                                              ("api:sesion-detail", ["no-existe"])])
def test_api_404_de_objetos_en_espanol(client, db, nombre, args):
    assert _json(client.get(reverse(nombre, args=args)), 404) == {"detail": "No se encontró el recurso solicitado."}


def test_api_405_en_espanol(client, db):
    assert _json(client.post(reverse("api:convocatoria-list")), 405) == {"detail": 'Método "POST" no permitido.'}


@override_settings(API_LIMITE_ANONIMO="1/min")
def test_api_429_en_espanol(client, db):
    url = reverse("api:convocatoria-list")
    client.get(url)
    resp = client.get(url)
    detalle = _json(resp, 429)["detail"]
    assert detalle.startswith("Se superó el límite de consultas") and resp["Retry-After"] in detalle


def test_api_400_por_un_host_no_permitido(client, db):
    cuerpo = _json(client.get(reverse("api:convocatoria-list"), HTTP_HOST="intruso.example"), 400)
    assert cuerpo == {"detail": "La solicitud no es válida."}


@override_settings(ROOT_URLCONF=URLCONF)
@pytest.mark.parametrize("url", ["/api/v1/falla/", "/api/v1/falla-django/"])
def test_api_500_es_json_sin_detalles_tecnicos(db, url):
    resp = Client(raise_request_exception=False).get(url)
    assert _json(resp, 500) == {"detail": "Ocurrió un error inesperado en el servidor. Intente más tarde."}


@override_settings(ROOT_URLCONF=URLCONF)
def test_api_403_es_json(client, db):
    assert _json(client.get("/api/v1/prohibida/"), 403) == {"detail": "No tiene permiso para realizar esta acción."}


@override_settings(ROOT_URLCONF=URLCONF)
def test_api_falla_de_csrf_es_json(db):
    resp = Client(enforce_csrf_checks=True).post("/api/v1/prohibida/")
    assert _json(resp, 403) == {"detail": "La sesión o el formulario caducaron; recargue e intente de nuevo."}


# --- favicon --------------------------------------------------------------------------------------

def test_cada_pagina_enlaza_el_favicon_svg(client, db):
    html = _texto(client.get(reverse("portal:inicio")))
    assert f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">' in html
    assert '<link rel="icon"' in _texto(client.get("/no-existe/"))


def test_favicon_ico_lleva_al_svg(client, db):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 302 and resp["Location"] == static("img/favicon.svg")
    assert client.head("/favicon.ico").status_code == 302


def test_el_favicon_es_un_svg_sin_recursos_externos():
    ruta = finders.find("img/favicon.svg")
    assert ruta, "static/img/favicon.svg no existe"
    with open(ruta, encoding="utf-8") as f:
        texto = f.read()
    raiz = ElementTree.fromstring(texto)
    assert raiz.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in texto and "href" not in texto and "url(" not in texto
    assert re.findall(r"https?://[^\"']+", texto) == ["http://www.w3.org/2000/svg"]


def test_una_peticion_rechazada_es_una_linea_en_la_consola_sin_traza(client, db, capsys, settings):
    """An enlace opening /panel/ is refused with a 403: the console (the root's handler, as under
    `make run`) gets one line for it, without the PermissionDenied's traceback, and only once."""
    from django.conf import settings as ajustes
    from django.utils.log import configure_logging

    configure_logging(ajustes.LOGGING_CONFIG, ajustes.LOGGING)  # Django's defaults, then ours: as at start-up
    settings.DEBUG = True  # as under `make run`, where Django's own console handler is live too
    enlace = factories.EnlaceFactory().usuario
    client.force_login(enlace)
    assert client.get("/panel/").status_code == 403
    assert client.get("/practicas/999999/").status_code == 404
    err = capsys.readouterr().err
    assert err.count("Forbidden (Permission denied): /panel/") == 1, err
    assert "Traceback" not in err
