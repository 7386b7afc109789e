"""The demonstration mailbox (core/buzon.py): under the embedded default e-mails are kept as files,
one console line each, and read at /buzon/ by their recipients (and administrators) only."""

import io
import logging
import re
from email.mime.image import MIMEImage

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse
from PIL import Image

from core import buzon
from core.correo import Correo
from core.templatetags.reconoce import fecha_hora_segundos
from tests.factories import UsuarioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buzon_activo(settings, tmp_path):
    settings.EMAIL_BACKEND = buzon.BACKEND
    settings.BUZON_DIR = tmp_path / "buzon"
    return settings.BUZON_DIR


def _enviar(para, asunto="Acuse de recibo", cuerpo="Su práctica quedó registrada con el folio TP-2026-0001.",
            adjunto=None):
    m = EmailMessage(asunto, cuerpo, "INFOEM · Reconoce <no-responder@reconoce.local>", para)
    if adjunto:
        m.attach(*adjunto)
    return m.send()


def test_un_archivo_y_una_linea_por_correo(buzon_activo, caplog):
    with caplog.at_level(logging.INFO, logger="core.buzon"):
        assert _enviar(["ana@ejemplo.mx"], cuerpo="línea\n" * 200) == 1
    archivos = list(buzon_activo.glob("*.eml"))
    assert len(archivos) == 1
    lineas = [r.getMessage() for r in caplog.records if r.name == "core.buzon"]
    # One line, whatever the body's length.
    assert len(lineas) == 1
    assert lineas[0].startswith("Correo «Acuse de recibo» para ana@ejemplo.mx (buzón de demostración: ")
    assert lineas[0].endswith("/buzon/).")
    assert not list(buzon_activo.glob(".*.tmp"))


def test_cada_quien_lee_los_suyos(client, buzon_activo):
    ana = UsuarioFactory(email="ana@ejemplo.mx")
    beto = UsuarioFactory(email="beto@ejemplo.mx")
    _enviar(["Ana@Ejemplo.mx"], asunto="Para Ana", adjunto=("acuse.pdf", b"%PDF-1.7 prueba", "application/pdf"))
    _enviar(["beto@ejemplo.mx"], asunto="Para Beto")
    id_ana = next(m.id for m in buzon.mensajes_de(UsuarioFactory(is_superuser=True)) if m.asunto == "Para Ana")

    client.force_login(ana)
    lista = client.get(reverse("core:buzon"))
    assert lista.status_code == 200
    assert "Para Ana" in lista.content.decode() and "Para Beto" not in lista.content.decode()
    detalle = client.get(reverse("core:buzon_mensaje", args=[id_ana]))
    assert detalle.status_code == 200 and "TP-2026-0001" in detalle.content.decode()
    # The date as people read it, in the portal's time zone (the header is in UTC).
    assert re.search(r"\d{1,2} de [a-z]+ de \d{4}, \d{2}:\d{2}:\d{2} h", lista.content.decode())
    assert fecha_hora_segundos(buzon.mensajes_de(ana)[0].fecha) in lista.content.decode()
    pdf = client.get(reverse("core:buzon_adjunto", args=[id_ana, 1]))
    assert pdf.status_code == 200 and pdf.content == b"%PDF-1.7 prueba"
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("core:buzon_adjunto", args=[id_ana, 2])).status_code == 404

    # Someone else's message answers like a missing one.
    client.force_login(beto)
    assert client.get(reverse("core:buzon_mensaje", args=[id_ana])).status_code == 404
    assert client.get(reverse("core:buzon_adjunto", args=[id_ana, 1])).status_code == 404
    assert client.get(reverse("core:buzon_mensaje", args=["no-existe"])).status_code == 404
    assert client.get(reverse("core:buzon_mensaje", args=["..%2F..%2Fsecreto"])).status_code == 404
    assert "Para Ana" not in client.get(reverse("core:buzon")).content.decode()

    client.force_login(UsuarioFactory(is_superuser=True))
    todos = client.get(reverse("core:buzon")).content.decode()
    assert "Para Ana" in todos and "Para Beto" in todos


def test_anonimo_va_a_iniciar_sesion(client, buzon_activo):
    respuesta = client.get(reverse("core:buzon"))
    assert respuesta.status_code == 302 and reverse("login") in respuesta["Location"]


def test_sin_el_buzon_no_existe(client, settings):
    assert settings.EMAIL_BACKEND != buzon.BACKEND
    client.force_login(UsuarioFactory(is_superuser=True))
    assert client.get(reverse("core:buzon")).status_code == 404
    assert client.get(reverse("core:buzon_mensaje", args=["x"])).status_code == 404
    client.logout()
    assert client.get(reverse("core:buzon")).status_code == 404


def test_solo_lectura(client, buzon_activo):
    client.force_login(UsuarioFactory(is_superuser=True))
    assert client.post(reverse("core:buzon")).status_code == 405


def _enviar_html(para, html, *, imagen=None, adjunto=None):


    m = Correo("Con formato", "Versión de texto del aviso.", "Reconoce <no-responder@reconoce.local>", para,
               imagenes=[imagen] if imagen is not None else [])
    m.attach_alternative(html, "text/html")
    if adjunto:
        m.attach(*adjunto)
    return m.send()


def _png():
    contenido = io.BytesIO()
    Image.new("RGB", (4, 4), "#1f4e79").save(contenido, "PNG")
    return contenido.getvalue()


def test_el_html_se_muestra_aislado_con_sus_imagenes_y_el_texto_y_los_adjuntos_aparte(client, buzon_activo):
    ana = UsuarioFactory(email="ana@ejemplo.mx")
    logo = MIMEImage(_png(), _subtype="png")
    logo.add_header("Content-ID", "<logo-1@reconoce>")
    logo.add_header("Content-Disposition", "inline", filename="logo.png")
    html = ('<html><head><title>x</title></head><body><img src="cid:logo-1@reconoce" alt="Logo">'
            '<script>alert(1)</script><p>Hola <b>Ana</b></p><a href="https://ejemplo.mx/">enlace</a></body></html>')
    _enviar_html(["ana@ejemplo.mx"], html, imagen=logo, adjunto=("jornada.ics", "BEGIN:VCALENDAR\r\n", "text/calendar"))
    (mensaje,) = buzon.mensajes_de(ana)
    # The inline logo is not an attachment; the .ics is.
    assert [a.nombre for a in mensaje.adjuntos] == ["jornada.ics"]

    client.force_login(ana)
    pagina = client.get(reverse("core:buzon_mensaje", args=[mensaje.id])).content.decode()
    url_html = reverse("core:buzon_html", args=[mensaje.id])
    # The HTML part only inside a sandboxed frame (no allow-scripts, no allow-same-origin), never in the page.
    assert re.search(rf'<iframe [^>]*sandbox="allow-popups allow-popups-to-escape-sandbox" src="{url_html}" title="[^"]+"',
                     pagina)
    assert "alert(1)" not in pagina and "<b>Ana</b>" not in pagina
    assert "Versión de texto del aviso." in pagina and "jornada.ics" in pagina

    marco = client.get(url_html)
    assert marco.status_code == 200 and marco["Content-Type"] == "text/html; charset=utf-8"
    csp = marco["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp
    assert "frame-ancestors 'self'" in csp and marco["X-Frame-Options"] == "SAMEORIGIN"
    contenido = marco.content.decode()
    assert "cid:" not in contenido and 'src="data:image/png;base64,' in contenido
    assert '<head><base target="_blank">' in contenido

    # Someone else's message's HTML answers like a missing one.
    client.force_login(UsuarioFactory(email="beto@ejemplo.mx"))
    assert client.get(url_html).status_code == 404


def test_un_correo_solo_de_texto_no_tiene_marco(client, buzon_activo):
    ana = UsuarioFactory(email="ana@ejemplo.mx")
    _enviar(["ana@ejemplo.mx"])
    (mensaje,) = buzon.mensajes_de(ana)
    client.force_login(ana)
    assert "<iframe" not in client.get(reverse("core:buzon_mensaje", args=[mensaje.id])).content.decode()
    assert client.get(reverse("core:buzon_html", args=[mensaje.id])).status_code == 404
