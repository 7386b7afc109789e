"""One way to build absolute URLs (core.sitio): every link the portal writes, in pages (canonical,
og:url), robots.txt, the sitemap, data.json, the datasets, the API, PDFs' QR codes and e-mails, starts
with SITE_URL, whatever Host the request came with; and no other module builds one."""

import io
import json
import re
from pathlib import Path

import pikepdf
import pytest
import segno
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from pypdf import PdfReader

from core import documentos as core_documentos
from core import sitio
from core.datos_abiertos import DATASETS
from core.models import DocumentoVerificable
from evaluacion.catalogo import reconocimientos_publicos
from jornadas import constancias, constancias_pdf
from jornadas.constancias.renderizado import MASCARA_QR
from tests.api import builders as ba
from tests.jornadas import builders as bj

pytestmark = pytest.mark.django_db

SITIO = "http://portal.ejemplo.gob.mx"
OTRO = "otro:8107"  # the Host header the requests come with


@pytest.fixture(autouse=True)
def _otro_host(settings):
    settings.SITE_URL = SITIO
    settings.ALLOWED_HOSTS = ["otro", "testserver"]


def _get(client, ruta, **params):
    respuesta = client.get(ruta, params, HTTP_HOST=OTRO)
    assert respuesta.status_code == 200, (ruta, respuesta.status_code)
    if getattr(respuesta, "streaming", False):
        return b"".join(respuesta.streaming_content).decode()
    return respuesta.content.decode()


def _urls(texto: str) -> list[str]:
    """Every absolute http(s) URL in a text (HTML, XML, JSON or CSV; JSON's escaped slashes undone)."""
    return re.findall(r"https?://[^\s\"'<>,]+", texto.replace("\\/", "/"))


def _del_portal(texto: str) -> list[str]:
    """The portal's own absolute URLs in a text; none may name the request's host."""
    urls = _urls(texto)
    assert not [u for u in urls if OTRO in u or "testserver" in u]
    return [u for u in urls if u.startswith(SITIO)]


def _canonica_y_og(html: str) -> tuple[str, str]:
    canonica = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
    og = re.search(r'<meta property="og:url" content="([^"]+)"', html).group(1)
    return canonica, og


def test_url_absoluta_une_site_url_y_la_ruta(settings):
    settings.SITE_URL = "https://reconoce.infoem.org.mx/"
    assert sitio.url_absoluta("/verificar/") == "https://reconoce.infoem.org.mx/verificar/"
    assert sitio.url_de("core:verificar", "ABC") == "https://reconoce.infoem.org.mx/verificar/ABC/"
    with pytest.raises(ValueError, match="ruta"):
        sitio.url_absoluta("verificar/")
    for mal in ("127.0.0.1:8000", "ftp://portal.ejemplo.gob.mx", "https://portal.ejemplo.gob.mx/reconoce"):
        settings.SITE_URL = mal
        with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
            sitio.url_absoluta("/")


# --- pages, robots.txt and the sitemap -----------------------------------------------------------------

def test_canonica_y_og_url_usan_site_url(client):
    ba.reconocidas_en_bloque(1)
    practica_id = reconocimientos_publicos().get().dictamen.practica_id
    assert _canonica_y_og(_get(client, "/")) == (f"{SITIO}/",) * 2
    ruta = reverse("evaluacion:catalogo_practica", args=[practica_id])
    assert _canonica_y_og(_get(client, ruta)) == (f"{SITIO}{ruta}",) * 2
    lista = _get(client, reverse("evaluacion:catalogo"))
    assert re.search(r'<link rel="canonical" href="([^"]+)"', lista).group(1) == f"{SITIO}/practicas-reconocidas/"


def test_robots_y_sitemap_usan_site_url(client):
    ba.reconocidas_en_bloque(2)
    assert f"Sitemap: {SITIO}/sitemap.xml" in _get(client, "/robots.txt").splitlines()
    indice = _get(client, reverse("sitemap"))
    secciones = re.findall(r"<loc>(.*?)</loc>", indice)
    assert secciones and all(s.startswith(f"{SITIO}/sitemap-") for s in secciones)
    assert _del_portal(indice) == secciones
    ubicaciones = []
    for seccion in secciones:
        texto = _get(client, seccion.removeprefix(SITIO))
        ubicaciones += re.findall(r"<loc>(.*?)</loc>", texto)
        _del_portal(texto)
    assert f"{SITIO}/" in ubicaciones
    assert len(ubicaciones) > 8 and all(u.startswith(f"{SITIO}/") for u in ubicaciones)


# --- open data and the API -------------------------------------------------------------------------

def test_data_json_y_los_conjuntos_de_datos_usan_site_url(client):
    ba.reconocidas_en_bloque(2)
    bj.jornada_con_asistentes(2, respondieron=1)
    texto = _get(client, reverse("datos:catalogo_dcat"))
    catalogo = json.loads(texto)
    assert catalogo["@id"] == f"{SITIO}/datos/data.json"
    propias = _del_portal(texto)
    descargas = [d["downloadURL"] for e in catalogo["dataset"] for d in e["distribution"]]
    assert descargas and set(descargas) <= set(propias)
    assert all(e["landingPage"].startswith(f"{SITIO}/datos/") for e in catalogo["dataset"])
    con_enlaces = set()
    for ds_id in DATASETS:
        for formato in ("json", "csv"):
            if _del_portal(_get(client, reverse("datos:descarga", args=[ds_id, formato]))):
                con_enlaces.add((ds_id, formato))
    # The datasets whose rows link to a page of the portal, in both formats.
    assert con_enlaces == {(ds, f) for ds in ("practicas-reconocidas", "convocatorias", "sujetos-obligados",
                                              "jornadas-sesiones") for f in ("json", "csv")}


def test_la_api_pagina_y_enlaza_con_site_url(client):
    ba.reconocidas_en_bloque(3)
    raiz = json.loads(_get(client, reverse("api:api-root")))
    assert raiz and all(u.startswith(f"{SITIO}/api/v1/") for u in raiz.values())
    ruta = reverse("api:practica-reconocida-list")
    primera = json.loads(_get(client, ruta, por_pagina=1))
    assert primera["next"] == f"{SITIO}{ruta}?pagina=2&por_pagina=1"
    segunda = json.loads(_get(client, ruta, pagina=2, por_pagina=1))
    assert segunda["previous"] == f"{SITIO}{ruta}?por_pagina=1"
    assert segunda["next"] == f"{SITIO}{ruta}?pagina=3&por_pagina=1"
    assert primera["results"][0]["url_practica"].startswith(f"{SITIO}/practicas-reconocidas/")
    for nombre in ("practica-reconocida", "sujeto", "convocatoria"):
        _del_portal(_get(client, reverse(f"api:{nombre}-list")))


# --- PDFs and e-mails ------------------------------------------------------------------------------

def _leer(campo) -> bytes:
    with campo.open("rb") as fh:
        return fh.read()


def test_el_qr_del_pdf_y_el_correo_apuntan_a_site_url(django_capture_on_commit_callbacks, personal):
    jornada = bj.jornada_con_asistentes(1)
    with django_capture_on_commit_callbacks(execute=True):
        constancias.constancias_emitir(usuario=personal, jornada=jornada)
    doc = DocumentoVerificable.objects.get(constancia__registro__jornada=jornada)
    verificacion = f"{SITIO}/verificar/{doc.codigo}/"
    # The QR drawn in the batch's PDF encodes the verification page under SITE_URL.
    with pikepdf.open(io.BytesIO(_leer(doc.archivo))) as pdf:
        imagen = pdf.pages[0].Resources.XObject[constancias_pdf.NOMBRE_QR]
        esperado = constancias_pdf.imagen_qr(segno.make(verificacion, error="m", mask=MASCARA_QR))[1]
        assert imagen.read_bytes() == pikepdf.Stream(pdf, esperado, Filter=pikepdf.Name.FlateDecode).read_bytes()
    # The same document rendered alone by core.documentos (its file lost) prints that address under its QR.
    doc.archivo.storage.delete(doc.archivo.name)
    core_documentos.documento_generar(documento_id=doc.pk, reconstruir=True)
    doc.refresh_from_db()
    texto = "".join(p.extract_text() for p in PdfReader(io.BytesIO(_leer(doc.archivo))).pages)
    assert verificacion in texto.replace("\n", "")
    [correo] = mail.outbox
    propias = _del_portal(correo.body)
    assert verificacion in propias and any(u.endswith(".pdf") for u in propias)


def test_el_correo_de_restablecer_contrasena_usa_site_url(client, enlace_a):
    respuesta = client.post(reverse("password_reset"), {"email": enlace_a.email}, HTTP_HOST=OTRO)
    assert respuesta.status_code == 302
    [correo] = mail.outbox
    # The reset link, and the privacy notice the frame of every e-mail links.
    [enlace] = [u for u in _del_portal(correo.body) if "/cuentas/reset/" in u]
    assert enlace.startswith(f"{SITIO}/cuentas/reset/")
    assert f"{SITIO}/aviso-de-privacidad/" in _del_portal(correo.body)
    assert client.get(enlace.removeprefix(SITIO), follow=True).status_code == 200


def test_el_correo_de_una_jornada_usa_site_url(client, sujeto_a, django_capture_on_commit_callbacks):
    jornada = bj.jornada()
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post(reverse("jornadas:registro", args=[jornada.slug]), {
            "nombre": "Ana López Ruiz", "correo": "ana.lopez@finanzas.gob.mx", "sujeto": sujeto_a.pk,
            "cargo": "Analista", "acepta_aviso": "on"}, HTTP_HOST=OTRO)
    assert respuesta.status_code == 302
    [correo] = mail.outbox
    propias = _del_portal(correo.body)
    assert f"{SITIO}{jornada.get_absolute_url()}" in propias
    assert any(u.startswith(f"{SITIO}/jornadas/encuesta/") for u in propias)
    # The HTML part's links too (_del_portal refuses the request's host).
    enlaces_html = _del_portal(correo.alternatives[0][0])
    assert f"{SITIO}{jornada.get_absolute_url()}" in enlaces_html
    assert any(u.startswith(f"{SITIO}/jornadas/registro/cancelar/") for u in enlaces_html)


# --- nothing else builds one ------------------------------------------------------------------------

RAIZ = Path(__file__).resolve().parents[2]
_CARPETAS = ("config", "core", "convocatorias", "practicas", "evaluacion", "jornadas", "portal", "templates")
# What builds an absolute URL from the request, or from SITE_URL outside core.sitio.
_PROHIBIDO = re.compile(r"build_absolute_uri|get_current_site|\.get_host\(|settings\.SITE_URL|"
                        r"getattr\(settings, ['\"]SITE_URL|\{\{ ?protocol ?\}\}://|\{\{ ?domain ?\}\}")
_PERMITIDOS = {"core/sitio.py"}


def test_solo_core_sitio_construye_urls_absolutas():
    hallazgos = []
    for carpeta in _CARPETAS:
        for ruta in sorted((RAIZ / carpeta).rglob("*")):
            relativa = ruta.relative_to(RAIZ).as_posix()
            if ruta.suffix not in {".py", ".html", ".txt", ".xml"} or relativa in _PERMITIDOS:
                continue
            if relativa.startswith("config/settings/"):
                continue
            for n, linea in enumerate(ruta.read_text(encoding="utf-8").splitlines(), 1):
                if _PROHIBIDO.search(linea):
                    hallazgos.append(f"{relativa}:{n}: {linea.strip()}")
    assert hallazgos == []


def test_la_busqueda_encuentra_lo_prohibido():
    """The pattern above is not a dead letter: each way it forbids is caught."""
    for linea in ("request.build_absolute_uri(ruta)", "f'{settings.SITE_URL}/x'", "request.get_host()",
                  "get_current_site(request).domain", "{{ protocol }}://{{ domain }}/x"):
        assert _PROHIBIDO.search(linea), linea
