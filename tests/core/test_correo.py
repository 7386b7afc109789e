"""core.correo: an e-mail is a one-line subject and a body written twice, as plain text and as HTML
in the shared frame (the authority's name, logo, colour, address, contact and privacy notice, or the
instance's identity), sent as multipart/alternative from the authority's own sender."""

import copy
import io
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path
from types import SimpleNamespace as N  # noqa: N814

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.mail import get_connection
from django.template import TemplateDoesNotExist
from django.utils import timezone
from PIL import Image

from core.correo import correo_construir, correo_enviar
from tests import factories


@pytest.fixture
def plantillas(settings, tmp_path):
    """A template folder of the test's own, ahead of the project's."""
    (tmp_path / "prueba").mkdir()
    (tmp_path / "prueba" / "aviso_asunto.txt").write_text(
        "{% load i18n %}{% blocktranslate with t=titulo %}Aviso: {{ t }}{% endblocktranslate %}\n\n", encoding="utf-8")
    (tmp_path / "prueba" / "aviso.txt").write_text(
        "{% load i18n %}{% blocktranslate with n=nombre %}Hola, {{ n }}:{% endblocktranslate %}\n\n"
        "{% translate \"Consulte:\" %}\n{{ url }}\n", encoding="utf-8")
    (tmp_path / "prueba" / "aviso.html").write_text(
        '{% extends "core/correos/base.html" %}{% load i18n %}{% block contenido %}'
        "<p>{% blocktranslate with n=nombre %}Hola, {{ n }}:{% endblocktranslate %}</p>"
        '<p><a href="{{ url }}">{{ titulo }}</a></p>{% endblock %}', encoding="utf-8")
    plantillas = copy.deepcopy(settings.TEMPLATES)
    plantillas[0]["DIRS"] = [tmp_path, *plantillas[0]["DIRS"]]
    settings.TEMPLATES = plantillas
    return "prueba/aviso"


def test_enviar_toma_asunto_y_cuerpo_de_las_plantillas_sin_escapar_html(plantillas, settings):
    mail.outbox.clear()
    contexto = {"titulo": "Mesa «A&B» <2024>", "nombre": 'José "Pepe" O\'Neil', "url": "https://x.mx/?a=1&b=2"}
    assert correo_enviar(plantilla=plantillas, contexto=contexto, para=["ana@ejemplo.gob.mx", "b@ejemplo.gob.mx"]) == 1
    (correo,) = mail.outbox
    assert correo.subject == "Aviso: Mesa «A&B» <2024>"  # one line: the template's line breaks are dropped
    # The body, then the signature: the instance's name when no authority is named.
    # The body, then the signature: the instance's name when no authority is named.
    assert correo.body.startswith("Hola, José \"Pepe\" O'Neil:\n\nConsulte:\nhttps://x.mx/?a=1&b=2\n\n--\nReconoce\n")
    assert "Este mensaje se envió automáticamente; no lo responda." in correo.body
    assert "/aviso-de-privacidad/" in correo.body
    assert correo.to == ["ana@ejemplo.gob.mx", "b@ejemplo.gob.mx"]
    assert correo.from_email == settings.DEFAULT_FROM_EMAIL
    assert correo.reply_to == []
    # The HTML part: the same words, escaped as on any page, in the instance's frame.
    ((html, tipo),) = correo.alternatives
    assert tipo == "text/html"
    assert "Hola, José &quot;Pepe&quot; O&#x27;Neil:" in html and "Mesa «A&amp;B» &lt;2024&gt;" in html
    assert 'href="https://x.mx/?a=1&amp;b=2"' in html
    assert "<title>Aviso: Mesa «A&amp;B» &lt;2024&gt;</title>" in html and "<2024>" not in html
    assert "Reconoce" in html and "cid:" not in html  # the instance has no logo of its own
    mime = correo.message()
    assert mime.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mime.get_payload()] == ["text/plain", "text/html"]


def _png() -> bytes:
    contenido = io.BytesIO()
    Image.new("RGB", (40, 20), "#1f4e79").save(contenido, "PNG")
    return contenido.getvalue()


@pytest.fixture
def autoridad(db):
    return factories.AutoridadFactory(siglas="COTAI", nombre="Comisión de Transparencia de Nuevo León",
                                      slug="cotai", entidad_clave="19", domicilio="Monterrey, Nuevo León",
                                      correo_contacto="contacto@cotai.ejemplo.mx", telefono="81 0000 0000",
                                      color_primario="#5b2c6f")


@pytest.mark.django_db
def test_sin_remitente_propio_sale_a_nombre_de_sus_siglas_responde_a_su_contacto_y_firma_con_sus_datos(
        plantillas, autoridad):
    mail.outbox.clear()
    correo_enviar(plantilla=plantillas, contexto={"titulo": "t", "nombre": "Ana", "url": "u"}, para=["a@b.mx"],
                  autoridad=autoridad)
    (correo,) = mail.outbox
    assert correo.from_email == "\"COTAI · Reconoce\" <no-responder@reconoce.local>"
    assert "=?utf-8?" in correo.message()["From"]  # encoded on the way out
    assert correo.reply_to == ["contacto@cotai.ejemplo.mx"]
    firma = correo.body.split("\n--\n", 1)[1]
    assert firma == ("Comisión de Transparencia de Nuevo León (COTAI)\nMonterrey, Nuevo León\n"
                     "Contacto: contacto@cotai.ejemplo.mx\nTeléfono: 81 0000 0000\n"
                     "Si tiene dudas, responda este correo.\n"
                     "Aviso de privacidad: http://127.0.0.1:8000/aviso-de-privacidad/#autoridad-cotai\n")
    ((html, _tipo),) = correo.alternatives
    for dato in ("Comisión de Transparencia de Nuevo León", "Monterrey, Nuevo León", "mailto:contacto@cotai.ejemplo.mx",
                 "81 0000 0000", "#5b2c6f", 'href="http://127.0.0.1:8000/aviso-de-privacidad/#autoridad-cotai"'):
        assert dato in html, dato


@pytest.mark.django_db
def test_con_remitente_propio_sale_desde_el_con_el_nombre_de_la_autoridad(plantillas, autoridad):
    mail.outbox.clear()
    autoridad.remitente_correo = "avisos@cotai.ejemplo.mx"
    correo_enviar(plantilla=plantillas, contexto={"titulo": "t", "nombre": "Ana", "url": "u"}, para=["a@b.mx"],
                  autoridad=autoridad)
    autoridad.remitente_nombre = 'Avisos "COTAI"'
    correo_enviar(plantilla=plantillas, contexto={"titulo": "t", "nombre": "Ana", "url": "u"}, para=["a@b.mx"],
                  autoridad=autoridad)
    primero, segundo = mail.outbox
    assert primero.from_email == "\"Comisión de Transparencia de Nuevo León\" <avisos@cotai.ejemplo.mx>"
    assert primero.reply_to == ["contacto@cotai.ejemplo.mx"]
    # The display name cannot close its quotes.
    assert segundo.from_email == "\"Avisos COTAI\" <avisos@cotai.ejemplo.mx>"
    assert segundo.message()["From"].endswith("<avisos@cotai.ejemplo.mx>")


@pytest.mark.django_db
def test_el_logo_guardado_viaja_dentro_del_correo_y_el_html_lo_muestra_por_cid(plantillas, autoridad):
    mail.outbox.clear()
    autoridad.logo.save("logo.png", ContentFile(_png()), save=True)
    correo = correo_construir(plantilla=plantillas, contexto={"titulo": "t", "nombre": "Ana", "url": "u"},
                              para=["a@b.mx"], autoridad=autoridad)
    correo.attach("jornada.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    correo.send()
    mime = message_from_bytes(mail.outbox[0].message().as_bytes(), policy=policy.default)
    # mixed(related(alternative(text, html), logo), ics)
    assert mime.get_content_type() == "multipart/mixed"
    relacionado, ics = mime.get_payload()
    assert relacionado.get_content_type() == "multipart/related" and ics.get_content_type() == "text/calendar"
    alternativa, logo = relacionado.get_payload()
    assert [p.get_content_type() for p in alternativa.get_payload()] == ["text/plain", "text/html"]
    assert logo.get_content_type() == "image/png" and logo.get_content() == _png()
    assert logo.get_content_disposition() == "inline"
    cid = logo["Content-ID"].strip("<>")
    html = alternativa.get_payload()[1].get_content()
    assert f'src="cid:{cid}"' in html and 'alt="Comisión de Transparencia de Nuevo León"' in html


@pytest.mark.django_db
def test_un_logo_que_falta_en_el_almacen_no_impide_el_correo(plantillas, autoridad, caplog):
    mail.outbox.clear()
    autoridad.logo.name = "autoridades/no-existe.png"
    correo_enviar(plantilla=plantillas, contexto={"titulo": "t", "nombre": "Ana", "url": "u"}, para=["a@b.mx"],
                  autoridad=autoridad)
    (correo,) = mail.outbox
    assert "cid:" not in correo.alternatives[0][0]
    assert correo.message().get_content_type() == "multipart/alternative"
    assert "logotipo de COTAI" in caplog.text


def test_construir_no_envia_y_usa_la_conexion_dada(plantillas):
    mail.outbox.clear()
    with get_connection() as conexion:
        mensajes = [correo_construir(plantilla=plantillas, contexto={"titulo": str(i), "nombre": "", "url": ""},
                                     para=[f"p{i}@ejemplo.gob.mx"], conexion=conexion) for i in range(2)]
        assert mail.outbox == []
        assert all(m.connection is conexion for m in mensajes)
        assert conexion.send_messages(mensajes) == 2
    assert [m.subject for m in mail.outbox] == ["Aviso: 0", "Aviso: 1"]


def test_plantilla_inexistente_falla_sin_enviar(plantillas):
    mail.outbox.clear()
    with pytest.raises(TemplateDoesNotExist):
        correo_enviar(plantilla="prueba/no_existe", contexto={}, para=["a@ejemplo.gob.mx"])
    assert mail.outbox == []


def test_cada_correo_del_portal_tiene_texto_y_html_en_el_marco_comun(settings):
    carpeta = Path(settings.BASE_DIR) / "templates"
    asuntos = sorted(carpeta.glob("*/correos/*_asunto.txt"))
    assert len(asuntos) >= 11
    for asunto in asuntos:
        nombre = asunto.name.removesuffix("_asunto.txt")
        assert (asunto.parent / f"{nombre}.txt").is_file(), asunto
        html = (asunto.parent / f"{nombre}.html").read_text(encoding="utf-8")
        assert html.startswith('{% extends "core/correos/base.html" %}'), asunto
        assert "|safe" not in html and "autoescape off" not in html, asunto


# --- every kind of e-mail: both parts, user data escaped in the HTML one ------------------------

H = "Ana <b>\"O'Neil\"</b> & Cía"
H_HTML = "Ana &lt;b&gt;&quot;O&#x27;Neil&quot;&lt;/b&gt; &amp; Cía"
SIN_DATOS_DE_PERSONAS = {"core/correos/restablecer"}  # a link, nothing typed by anyone
SIN_ENLACE = {"practicas/correos/enlace_rechazado"}  # the reason, and whom to write to


def _contextos():
    ahora = timezone.now()
    url = "https://portal.ejemplo.mx/x/?a=1&b=2"
    conv = N(titulo=H, fecha_cierre=ahora, fecha_resultados=ahora)
    practica = N(nombre=H, folio="TP-2031-0001", sujeto=N(nombre=H), convocatoria=conv, enviada_en=ahora,
                 es_captura=False)
    jornada = N(titulo=H, inicio=ahora, coordinador=H, cargo_coordinador=H, get_modalidad_display="Presencial",
                sede=H, enlace_virtual="https://reunion.ejemplo.mx/1", temas_lista=[H])
    carta = N(autoridad=N(nombre=H, siglas="ITEI"), sujeto=N(nombre=H), fecha=date(2031, 1, 2))
    compromisos = [N(titulo=H, fecha_meta=date(2031, 3, 4), get_estado_display="Comprometida",
                     get_estado_efectivo_display="Publicada")]
    return {
        "compromisos/correos/carta_aceptada": {"carta": carta, "practicas": compromisos, "url": url},
        "compromisos/correos/carta_devuelta": {"carta": carta, "motivo": H, "url": url},
        "compromisos/correos/convocatoria_abierta": {"carta": carta, "convocatoria": conv, "compromisos": compromisos,
                                                     "url": url, "url_carta": url},
        "compromisos/correos/recordatorio_meta": {"carta": carta, "compromisos": compromisos, "url": url, "dias": 30},
        "convocatorias/correos/cierre": {"convocatoria": conv, "recibidas": 2, "url": url},
        "core/correos/restablecer": {"url": url, "nombre": H},
        "evaluacion/correos/admisibilidad": {
            "practica": practica, "convocatoria": conv, "admitida": False, "url": url,
            "admisibilidad": N(motivos=H, preseleccionada=False), "incumplidos": [N(texto=H, observacion=H)]},
        "evaluacion/correos/resultado": {"practica": practica, "dictamen": N(get_decision_display=H), "url": url},
        "evaluacion/correos/revocacion": {
            "practica": practica, "url": url, "url_verificacion": url,
            "documento": N(folio="RTP-1", revocado_en=ahora, motivo_revocacion=H)},
        "evaluacion/correos/vencimiento": {
            "practica": practica, "url": url,
            "reconocimiento": N(vigente_hasta=date(2031, 1, 2), documento=N(folio="RTP-1"))},
        "jornadas/correos/cancelacion": {"participante": N(nombre=H), "jornada": jornada, "url_jornada": url},
        "jornadas/correos/confirmacion": {"participante": N(nombre=H), "jornada": jornada, "url_jornada": url,
                                          "url_encuesta": url, "url_cancelar": url},
        "jornadas/correos/constancias": {"participante": N(nombre=H), "constancias": [
            N(jornada=jornada, folio="CP-1", descarga=url, verificacion=url),
            N(jornada=jornada, folio="CP-2", descarga=url, verificacion=url)]},
        "jornadas/correos/encuesta": {"participante": N(nombre=H), "jornada": jornada, "url_encuesta": url},
        "practicas/correos/acuse_recibo": {"practica": practica, "url": url},
        "practicas/correos/cuenta_confirmar": {"nombre": H, "url_activar": url},
        "practicas/correos/cuenta_existente": {"nombre": H, "url_entrar": url, "url_restablecer": url},
        "practicas/correos/enlace_aprobado": {"nombre": H, "sujeto": H, "url": url},
        "practicas/correos/enlace_rechazado": {"nombre": H, "sujeto": H, "motivo": H, "url": url},
    }


def test_la_lista_de_correos_probados_es_la_de_las_plantillas(settings):
    carpeta = Path(settings.BASE_DIR) / "templates"
    plantillas = {str(p.relative_to(carpeta)).removesuffix("_asunto.txt") for p in carpeta.glob("*/correos/*_asunto.txt")}
    assert plantillas == set(_contextos())


@pytest.mark.parametrize("plantilla", sorted(_contextos()))
def test_cada_correo_lleva_los_datos_como_se_escribieron_en_el_texto_y_escapados_en_el_html(plantilla):
    correo = correo_construir(plantilla=plantilla, contexto=_contextos()[plantilla], para=["a@ejemplo.mx"])
    ((html, tipo),) = correo.alternatives
    assert tipo == "text/html" and correo.subject and "\n" not in correo.subject
    assert "&lt;" not in correo.body and "&amp;" not in correo.body and "<html" not in correo.body
    assert "<b>\"O'Neil\"" not in html
    if plantilla not in SIN_DATOS_DE_PERSONAS:
        assert H in correo.body and H_HTML in html
    if plantilla not in SIN_ENLACE:
        assert "https://portal.ejemplo.mx/x/?a=1&b=2" in correo.body
        assert "https://portal.ejemplo.mx/x/?a=1&amp;b=2" in html  # links escaped, not broken
    assert correo.message().get_content_type() == "multipart/alternative"
