"""core.correo: an e-mail is two plain-text templates, a one-line subject and a body."""

import copy

import pytest
from django.core import mail
from django.core.mail import get_connection
from django.template import TemplateDoesNotExist

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
    assert correo.body == "Hola, José \"Pepe\" O'Neil:\n\nConsulte:\nhttps://x.mx/?a=1&b=2\n\n--\nReconoce\n"
    assert correo.to == ["ana@ejemplo.gob.mx", "b@ejemplo.gob.mx"]
    assert correo.from_email == settings.DEFAULT_FROM_EMAIL
    assert correo.reply_to == []


@pytest.mark.django_db
def test_con_autoridad_sale_a_su_nombre_responde_a_su_contacto_y_firma_con_sus_datos(plantillas, settings):
    mail.outbox.clear()
    autoridad = factories.AutoridadFactory(siglas="COTAI", nombre="Comisión de Transparencia de Nuevo León",
                                           entidad_clave="19", domicilio="Monterrey, Nuevo León",
                                           correo_contacto="contacto@cotai.ejemplo.mx", telefono="81 0000 0000")
    correo_enviar(plantilla=plantillas, contexto={"titulo": "t", "nombre": "Ana", "url": "u"}, para=["a@b.mx"],
                  autoridad=autoridad)
    (correo,) = mail.outbox
    assert correo.from_email == "\"COTAI · Reconoce\" <no-responder@reconoce.local>"
    assert "=?utf-8?" in correo.message()["From"]  # encoded on the way out
    assert correo.reply_to == ["contacto@cotai.ejemplo.mx"]
    firma = correo.body.split("\n--\n", 1)[1]
    assert firma == ("Comisión de Transparencia de Nuevo León (COTAI)\nMonterrey, Nuevo León\n"
                     "Contacto: contacto@cotai.ejemplo.mx\nTeléfono: 81 0000 0000\n")


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
