"""Words people read: one of something is singular («1 constancia», «1 cambio», «1 asistente», «1 día»),
and a registration is confirmed without assuming the person's gender."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from core.templatetags.reconoce import tiempo_restante
from jornadas.models import Registro
from tests.jornadas import builders as b

pytestmark = pytest.mark.django_db


def _mensajes(resp) -> list[str]:
    return [str(m) for m in get_messages(resp.wsgi_request)]


def test_tiempo_restante_en_singular_y_plural_sin_comas_pegadas():
    ahora = timezone.now()
    assert tiempo_restante(ahora + timedelta(days=1, hours=2, minutes=3, seconds=4), ahora) == "1 día, 02:03:04"
    assert tiempo_restante(ahora + timedelta(days=45, seconds=1), ahora) == "45 días, 00:00:01"
    assert tiempo_restante(ahora + timedelta(milliseconds=200), ahora) == "0 días, 00:00:01"  # the last second
    assert tiempo_restante(ahora - timedelta(seconds=5), ahora) == "0 días, 00:00:00"


def test_la_cuenta_regresiva_de_la_convocatoria_usa_el_mismo_formato_que_el_script():
    from types import SimpleNamespace

    fin = timezone.now() + timedelta(days=1, hours=1)
    html = Template('{% include "convocatorias/_cuenta_regresiva.html" %}').render(
        Context({"c": SimpleNamespace(fin_de_plazo=fin)}))
    assert "1 día, 0" in html and "mes" not in html


def test_una_asistencia_guardada_es_un_cambio(client, personal, autoridad):
    jornada = b.jornada(autoridad_=autoridad, pasada=True)
    (registro,) = b.registrar(jornada, 1)
    client.force_login(personal)
    resp = client.post(reverse("panel:jornada_asistencia", args=[jornada.slug]),
                       {"mostrados": [registro.pk], "asistio": [registro.pk]})
    assert _mensajes(resp) == ["Asistencia guardada (1 cambio)."]


def test_la_encuesta_a_un_asistente(client, personal, autoridad):
    jornada = b.jornada_con_asistentes(1, autoridad_=autoridad)
    b.encuesta(jornada)
    client.force_login(personal)
    resp = client.post(reverse("panel:jornada_encuesta_invitar", args=[jornada.slug]))
    assert "Se enviará el enlace de la encuesta a 1 asistente que aún no la responde." in _mensajes(resp)


def test_el_registro_confirmado_no_supone_genero(client, autoridad):
    jornada = b.jornada(autoridad_=autoridad)
    sesion = client.session
    sesion.save()
    html = client.get(reverse("jornadas:registro_listo", args=[jornada.slug])).content.decode()
    assert "Quedó registrado" not in html and "Su registro quedó hecho" in html
    assert Registro.objects.count() == 0


def test_una_constancia_nueva_en_singular(client, personal, autoridad):
    jornada = b.jornada_con_asistentes(1, autoridad_=autoridad)
    client.force_login(personal)
    resp = client.post(reverse("panel:constancias_jornada_emitir", args=[jornada.slug]))
    assert "Se emite 1 constancia nueva; el avance se muestra abajo." in _mensajes(resp)


def test_la_constancia_dice_del_ayuntamiento(autoridad):
    from jornadas.constancias.contexto import _valores
    from practicas.models import SujetoObligado

    sujeto = SujetoObligado.objects.create(nombre="Ayuntamiento de Metepec", entidad_clave="15")
    jornada = b.jornada_con_asistentes(1, autoridad_=autoridad, sujetos_=[sujeto])
    registro = Registro.objects.select_related("participante__sujeto", "jornada").get(jornada=jornada)
    from jornadas.constancias.plantilla import formatear_texto
    from jornadas.models import PlantillaConstancia

    texto = formatear_texto(PlantillaConstancia(autoridad=autoridad).cuerpo, _valores(registro))
    assert ", del Ayuntamiento de Metepec, por su participación" in texto
    assert "de Ayuntamiento" not in texto


def test_el_inicio_de_sesion_rechazado_lo_dice_en_espanol_llano(client):
    from tests import factories

    usuario = factories.UsuarioFactory(email="ana@finanzas.gob.mx")
    resp = client.post(reverse("login"), {"username": usuario.email, "password": "no-es-esta"})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "El correo electrónico o la contraseña no son correctos." in html
    assert "Note que" not in html and "Observe que" not in html
    # UsuarioFactory's password: the right one still signs in through the same form.
    assert client.post(reverse("login"), {"username": usuario.email, "password": "clave-de-prueba-123"}).status_code == 302


def test_la_convocatoria_muestra_los_pesos_y_la_hora_de_resultados(client, autoridad):
    from decimal import Decimal

    from convocatorias.models import Criterio
    from core.templatetags.reconoce import fecha_hora
    from tests.factories import ConvocatoriaFactory

    conv = ConvocatoriaFactory(autoridad=autoridad)
    Criterio.objects.filter(convocatoria=conv, numero=1).update(peso=Decimal("2.00"))
    html = client.get(conv.get_absolute_url()).content.decode()
    assert "(peso 2)" in html and "(peso 1)" in html
    assert fecha_hora(conv.fecha_resultados) in html


def test_el_formulario_de_la_practica_dice_el_tamano_maximo_antes_de_subir(client, settings):
    from tests import factories

    settings.SOPORTE_MAX_BYTES = 20 * 1024 * 1024
    practica, _soporte, usuario = factories.borrador_enviable()
    client.force_login(usuario)
    html = client.get(reverse("practicas:editar", args=[practica.pk])).content.decode()
    assert "Tamaño máximo por archivo:</strong> 20" in html
