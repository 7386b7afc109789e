"""Issue 10, item 5: a paper or e-mail submission shows the declared receipt time and when and by whom
staff recorded it, on the acuse, in the e-mail, on the practice's page and in the panel; and once the
jury is scoring no submission can be captured, whatever receipt time is declared."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from convocatorias.models import Convocatoria
from core.errors import ErrorDominio
from practicas import services
from practicas.models import Acuse, Practica, Soporte
from tests import factories

MX = ZoneInfo("America/Mexico_City")
APERTURA = datetime(2026, 6, 1, 9, 0, 0, tzinfo=MX)
CIERRE = datetime(2026, 6, 30, 23, 59, 59, tzinfo=MX)
RECIBIDA = datetime(2026, 6, 30, 18, 45, 12, tzinfo=MX)
CAPTURADA = datetime(2026, 7, 2, 10, 5, 33, tzinfo=MX)


@pytest.fixture
def conv(autoridad):
    with time_machine.travel(APERTURA + timedelta(days=1), tick=False):
        return factories.ConvocatoriaFactory(autoridad=autoridad, fecha_apertura=APERTURA, fecha_cierre=CIERRE,
                                             fecha_resultados=CIERRE + timedelta(days=60))


@pytest.fixture
def personal_nombrado(personal):
    personal.first_name, personal.last_name = "Lucía", "Garduño"
    personal.save()
    return personal


@pytest.fixture
def capturada(conv, sujeto_a, personal_nombrado):
    practica = factories.PracticaFactory(convocatoria=conv, sujeto=sujeto_a, creada_por=personal_nombrado,
                                         canal=Practica.Canal.PAPEL)
    Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ENLACE, url="https://datos.ejemplo.gob.mx/p",
                           subido_por=personal_nombrado)
    return services.practica_enviar(practica=practica, usuario=personal_nombrado, recibida_en=RECIBIDA,
                                    ahora=CAPTURADA)


RECEPCION = "30 de junio de 2026, 18:45:12 h"
REGISTRO = "el 2 de julio de 2026, 10:05:33 h, por Lucía Garduño"


def test_la_captura_guarda_cuando_y_quien_la_registro(capturada, personal_nombrado):
    capturada.refresh_from_db()
    assert capturada.enviada_en == RECIBIDA
    assert capturada.capturada_en == CAPTURADA and capturada.enviada_por == personal_nombrado


def test_acuse_de_una_captura_dice_la_recepcion_declarada_y_el_registro(capturada):
    acuse = Acuse.objects.get(practica=capturada)
    html = render_to_string("practicas/pdf/acuse.html", {**services.contexto_acuse(acuse), "generado_en": CAPTURADA})
    assert RECEPCION in html and "según declara el personal que la registró" in html
    assert "Registrada en el sistema" in html and REGISTRO in html


def test_correo_de_una_captura_dice_el_registro(capturada, enlace_a):
    acuse = Acuse.objects.get(practica=capturada)
    services.contexto_acuse(acuse)
    mail.outbox.clear()
    services.avisar_recepcion(acuse)
    cuerpo = mail.outbox[0].body
    assert RECEPCION in cuerpo and REGISTRO in cuerpo


def test_pagina_de_la_practica_y_panel_muestran_el_registro(client, capturada, personal_nombrado, enlace_a):
    client.force_login(enlace_a)
    html = client.get(reverse("practicas:detalle", args=[capturada.pk])).content.decode()
    assert RECEPCION in html and REGISTRO in html
    client.force_login(personal_nombrado)
    html = client.get(reverse("panel:practicas", args=[capturada.convocatoria.slug])).content.decode()
    assert RECEPCION in html and REGISTRO in html


def test_practica_en_linea_no_muestra_registro_del_personal(client, practica_a, enlace_a):
    services.practica_enviar(practica=practica_a, usuario=enlace_a)
    client.force_login(enlace_a)
    html = client.get(reverse("practicas:detalle", args=[practica_a.pk])).content.decode()
    assert "Registrada en el sistema" not in html


@pytest.mark.parametrize("estado", [Convocatoria.Estado.EN_EVALUACION, Convocatoria.Estado.RESULTADOS_PUBLICADOS])
def test_no_se_captura_con_la_convocatoria_en_evaluacion(conv, sujeto_a, personal, estado):
    borrador = factories.PracticaFactory(convocatoria=conv, sujeto=sujeto_a, creada_por=personal,
                                         canal=Practica.Canal.PAPEL)
    Soporte.objects.create(practica=borrador, tipo=Soporte.Tipo.ENLACE, url="https://datos.ejemplo.gob.mx/p",
                           subido_por=personal)
    Convocatoria.objects.filter(pk=conv.pk).update(estado=estado)
    conv.refresh_from_db()
    with pytest.raises(ErrorDominio, match="ya está en evaluación"):
        services.practica_crear(convocatoria=conv, sujeto=sujeto_a, usuario=personal, datos={"nombre": "Tardía"},
                                canal=Practica.Canal.CORREO)
    with pytest.raises(ErrorDominio, match="ya está en evaluación"):
        services.practica_enviar(practica=borrador, usuario=personal, recibida_en=RECIBIDA, ahora=CAPTURADA)
    borrador.refresh_from_db()
    assert borrador.es_borrador


def test_captura_con_la_convocatoria_cerrada_sigue_permitida(conv, sujeto_a, personal):
    """A paper submission received on the last day may be recorded while requirements are checked."""
    Convocatoria.objects.filter(pk=conv.pk).update(estado=Convocatoria.Estado.CERRADA)
    conv.refresh_from_db()
    practica = services.practica_crear(convocatoria=conv, sujeto=sujeto_a, usuario=personal,
                                       datos={"nombre": "En papel"}, canal=Practica.Canal.PAPEL)
    assert practica.es_borrador
