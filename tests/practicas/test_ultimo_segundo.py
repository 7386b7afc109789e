"""Issue 10, item 3: the deadline's own last second is received whole (through hh:mm:59.999999),
online and for staff captures, and receipt times are printed to the second.

The call closes at 30/06/2026 23:59:59 (America/Mexico_City). Every moment is an aware datetime in
that zone; the clock is frozen with time-machine."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from convocatorias import services as conv_services
from convocatorias.models import Convocatoria
from convocatorias.selectors import convocatorias_abiertas
from convocatorias.tasks import convocatorias_cerrar_vencidas
from core.errors import ErrorDominio
from core.templatetags.reconoce import fecha_hora_segundos
from practicas import services
from practicas.models import Acuse, Practica, Soporte
from tests import factories

MX = ZoneInfo("America/Mexico_City")
APERTURA = datetime(2026, 6, 1, 9, 0, 0, tzinfo=MX)
CIERRE = datetime(2026, 6, 30, 23, 59, 59, tzinfo=MX)  # stored as 23:59:59.000000
SIGUIENTE = datetime(2026, 7, 1, 0, 0, 0, tzinfo=MX)

DENTRO = [pytest.param(CIERRE.replace(microsecond=us), id=f".{us:06d}") for us in (0, 300_000, 999_000, 999_999)]
FUERA = [pytest.param(SIGUIENTE, id="siguiente-segundo"),
         pytest.param(SIGUIENTE.replace(microsecond=1), id="siguiente-segundo.000001")]


@pytest.fixture
def conv(autoridad):
    with time_machine.travel(APERTURA + timedelta(days=1), tick=False):
        return factories.ConvocatoriaFactory(autoridad=autoridad, fecha_apertura=APERTURA, fecha_cierre=CIERRE,
                                             fecha_resultados=CIERRE + timedelta(days=60))


@pytest.fixture
def borrador(conv, sujeto_a, enlace_a):
    practica = factories.PracticaFactory(convocatoria=conv, sujeto=sujeto_a, creada_por=enlace_a)
    Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ENLACE, url="https://datos.ejemplo.gob.mx/p",
                           subido_por=enlace_a)
    return practica


@pytest.fixture
def captura(conv, sujeto_a, personal):
    practica = factories.PracticaFactory(convocatoria=conv, sujeto=sujeto_a, creada_por=personal,
                                         canal=Practica.Canal.PAPEL)
    Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ENLACE, url="https://datos.ejemplo.gob.mx/p",
                           subido_por=personal)
    return practica


def test_el_cierre_guardado_es_el_segundo_cero_y_el_plazo_termina_un_segundo_despues(conv):
    conv.refresh_from_db()
    assert conv.fecha_cierre == CIERRE and conv.fecha_cierre.microsecond == 0
    assert conv.fin_de_plazo == SIGUIENTE


# --- the call's own reading of the deadline -------------------------------------------------------

@pytest.mark.parametrize("momento", DENTRO)
def test_la_convocatoria_recibe_durante_todo_el_ultimo_segundo(conv, momento):
    assert conv.recibe_propuestas(momento)
    assert conv.estado_efectivo(momento) == Convocatoria.Estado.ABIERTA
    assert not conv.plazo_vencido(momento)
    with time_machine.travel(momento, tick=False):
        assert list(convocatorias_abiertas()) == [conv]
        assert convocatorias_cerrar_vencidas() == 0
        with pytest.raises(ErrorDominio, match="23:59:59 h; no puede cerrarse antes"):
            conv_services.convocatoria_cerrar(convocatoria=conv)


@pytest.mark.parametrize("momento", FUERA)
def test_la_convocatoria_cierra_al_segundo_siguiente(conv, momento):
    assert not conv.recibe_propuestas(momento)
    assert conv.estado_efectivo(momento) == Convocatoria.Estado.CERRADA
    with time_machine.travel(momento, tick=False):
        assert list(convocatorias_abiertas()) == []
        assert convocatorias_cerrar_vencidas() == 1
    conv.refresh_from_db()
    assert conv.estado == Convocatoria.Estado.CERRADA


# --- online -----------------------------------------------------------------------------------

@pytest.mark.parametrize("momento", DENTRO)
def test_envio_en_linea_aceptado_en_el_ultimo_segundo(borrador, enlace_a, momento):
    practica = services.practica_enviar(practica=borrador, usuario=enlace_a, ahora=momento)
    assert practica.estado == Practica.Estado.ENVIADA and practica.enviada_en == momento
    assert practica.capturada_en is None


@pytest.mark.parametrize("momento", FUERA)
def test_envio_en_linea_rechazado_al_segundo_siguiente(borrador, enlace_a, momento):
    with pytest.raises(ErrorDominio, match="cerró el 30 de junio de 2026, 23:59:59 h"):
        services.practica_enviar(practica=borrador, usuario=enlace_a, ahora=momento)
    borrador.refresh_from_db()
    assert borrador.es_borrador and borrador.folio is None


@pytest.mark.parametrize("momento", [CIERRE.replace(microsecond=300_000), CIERRE.replace(microsecond=999_000)])
def test_vista_de_envio_acepta_el_ultimo_segundo_y_muestra_los_segundos(client, borrador, enlace_a, momento):
    client.force_login(enlace_a)
    with time_machine.travel(momento, tick=False):
        resp = client.post(reverse("practicas:enviar", args=[borrador.pk]), follow=True)
    borrador.refresh_from_db()
    assert borrador.estado == Practica.Estado.ENVIADA, resp.content.decode()
    assert abs(borrador.enviada_en - momento) < timedelta(milliseconds=1)
    assert "30 de junio de 2026, 23:59:59 h" in resp.content.decode()  # "Recibida el", to the second


def test_vista_de_envio_rechaza_el_segundo_siguiente(client, borrador, enlace_a):
    client.force_login(enlace_a)
    with time_machine.travel(SIGUIENTE, tick=False):
        resp = client.post(reverse("practicas:enviar", args=[borrador.pk]), follow=True)
    assert "El plazo de la convocatoria cerró el 30 de junio de 2026, 23:59:59 h" in resp.content.decode()
    borrador.refresh_from_db()
    assert borrador.es_borrador


@pytest.mark.parametrize("momento", DENTRO)
def test_retirar_se_permite_en_el_ultimo_segundo(borrador, enlace_a, momento):
    services.practica_enviar(practica=borrador, usuario=enlace_a, ahora=CIERRE - timedelta(hours=1))
    practica = services.practica_retirar(practica=borrador, usuario=enlace_a, ahora=momento)
    assert practica.estado == Practica.Estado.RETIRADA


def test_retirar_se_rechaza_al_segundo_siguiente(borrador, enlace_a):
    services.practica_enviar(practica=borrador, usuario=enlace_a, ahora=CIERRE - timedelta(hours=1))
    with pytest.raises(ErrorDominio, match="23:59:59 h; después del cierre"):
        services.practica_retirar(practica=borrador, usuario=enlace_a, ahora=SIGUIENTE)


# --- staff captures -------------------------------------------------------------------------

@pytest.mark.parametrize("recibida", DENTRO)
def test_captura_del_personal_acepta_una_recepcion_en_el_ultimo_segundo(captura, personal, recibida):
    ahora = SIGUIENTE + timedelta(hours=9)  # recorded the next morning
    practica = services.practica_enviar(practica=captura, usuario=personal, recibida_en=recibida, ahora=ahora)
    assert practica.enviada_en == recibida and practica.capturada_en == ahora and practica.enviada_por == personal


@pytest.mark.parametrize("recibida", FUERA)
def test_captura_del_personal_rechaza_una_recepcion_al_segundo_siguiente(captura, personal, recibida):
    with pytest.raises(ErrorDominio, match="fuera del plazo") as exc:
        services.practica_enviar(practica=captura, usuario=personal, recibida_en=recibida,
                                 ahora=SIGUIENTE + timedelta(hours=9))
    assert exc.value.campo == "recibida_en"
    assert "30 de junio de 2026, 23:59:59 h" in exc.value.mensaje


@pytest.mark.parametrize(("valor", "esperada"), [
    ("2026-06-30T23:59:59", CIERRE),
    ("2026-06-30T23:59:59.300", CIERRE.replace(microsecond=300_000)),
    ("2026-06-30T23:59:59.999", CIERRE.replace(microsecond=999_000)),
])
def test_vista_de_captura_acepta_segundos_y_fracciones(client, captura, personal, valor, esperada):
    client.force_login(personal)
    with time_machine.travel(SIGUIENTE + timedelta(hours=9), tick=False):
        client.post(reverse("practicas:enviar", args=[captura.pk]), {"recibida_en": valor})
    captura.refresh_from_db()
    assert captura.estado == Practica.Estado.ENVIADA and captura.enviada_en == esperada


def test_vista_de_captura_rechaza_el_segundo_siguiente(client, captura, personal):
    client.force_login(personal)
    with time_machine.travel(SIGUIENTE + timedelta(hours=9), tick=False):
        resp = client.post(reverse("practicas:enviar", args=[captura.pk]), {"recibida_en": "2026-07-01T00:00:00"},
                           follow=True)
    assert "fuera del plazo" in resp.content.decode()
    captura.refresh_from_db()
    assert captura.es_borrador


def test_formulario_de_captura_pide_segundos(client, captura, personal):
    client.force_login(personal)
    with time_machine.travel(SIGUIENTE + timedelta(hours=9), tick=False):
        html = client.get(reverse("practicas:detalle", args=[captura.pk])).content.decode()
    assert 'name="recibida_en"' in html and 'step="1"' in html


# --- receipt times to the second -----------------------------------------------------------

def test_filtro_fecha_hora_segundos_en_hora_de_la_ciudad_de_mexico():
    momento = datetime(2026, 7, 1, 5, 59, 59, 300_000, tzinfo=ZoneInfo("UTC"))
    assert fecha_hora_segundos(momento) == "30 de junio de 2026, 23:59:59 h"
    assert fecha_hora_segundos(None) == ""


def test_acuse_y_correo_dicen_la_hora_de_recepcion_con_segundos(borrador, enlace_a):
    momento = CIERRE.replace(microsecond=300_000)
    practica = services.practica_enviar(practica=borrador, usuario=enlace_a, ahora=momento)
    acuse = Acuse.objects.get(practica=practica)
    html = render_to_string("practicas/pdf/acuse.html", {**services.contexto_acuse(acuse), "generado_en": momento})
    assert "30 de junio de 2026, 23:59:59 h" in html
    assert "Registrada en el sistema" not in html  # online: received when recorded
    mail.outbox.clear()
    services.avisar_recepcion(acuse)
    assert "el 30 de junio de 2026, 23:59:59 h." in mail.outbox[0].body


def test_paginas_muestran_el_cierre_con_segundos(client, conv):
    with time_machine.travel(CIERRE - timedelta(days=1), tick=False):
        html = client.get(conv.get_absolute_url()).content.decode()
    assert "30 de junio de 2026, 23:59:59 h" in html
    # The countdown runs to the end of the last second, not to its start.
    assert 'data-deadline="2026-07-01T06:00:00+00:00"' in html  # 00:00:00 in Mexico City, in UTC
