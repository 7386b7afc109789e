"""The staff home's overview per call: received, admitted, scored, signed, and the days left to the
next date; the same number of queries whether the list has one call or several."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from convocatorias.models import Convocatoria
from portal import resumen
from tests.evaluacion import builders_dictamen as bd
from tests.factories import ConvocatoriaFactory

pytestmark = pytest.mark.django_db


def test_conteos_de_una_convocatoria_con_dictamenes(client, autoridad, personal, sujeto_a, sujeto_b):
    ciclo = bd.con_dictamenes(autoridad=autoridad, personal=personal, sujetos=[sujeto_a, sujeto_b], n_jurado=3)
    bd.firmar(ciclo.dictamenes[0], personal)
    client.force_login(personal)
    resp = client.get(reverse("panel:inicio"))
    fila = next(c for c in resp.context["convocatorias"] if c.pk == ciclo.convocatoria.pk)
    assert (fila.n_recibidas, fila.n_admitidas, fila.n_calificaciones, fila.n_firmados) == (2, 2, 6, 1)
    assert fila.pct_admitidas == 100 and fila.pct_firmados == 50
    html = resp.content.decode()
    assert "Dictámenes firmados" in html
    assert ('aria-label="Dictámenes firmados de las admitidas, ' + ciclo.convocatoria.titulo + '" aria-valuenow="1" '
            'aria-valuemin="0" aria-valuemax="2" aria-valuetext="1 de 2 (50 %)"') in html  # core/_barra_progreso.html


def test_dias_que_faltan_al_cierre_y_a_los_resultados(autoridad):
    ahora = timezone.now()
    abierta = ConvocatoriaFactory(autoridad=autoridad)
    Convocatoria.objects.filter(pk=abierta.pk).update(fecha_cierre=ahora + timedelta(days=10),
                                                      fecha_resultados=ahora + timedelta(days=40))
    abierta.refresh_from_db()
    proxima = resumen.proxima_fecha(abierta, ahora)
    assert proxima.que == "cierre" and proxima.dias in (10, 11)  # 10 days, or 11 across local midnight
    pasada = abierta.fecha_cierre + timedelta(seconds=1)  # closed by the clock, even before it is recorded
    assert resumen.proxima_fecha(abierta, pasada).que == "resultados"
    assert resumen.proxima_fecha(abierta, abierta.fecha_resultados + timedelta(seconds=1)) is None


def test_consultas_constantes_con_una_o_varias_convocatorias(client, autoridad, personal):
    ConvocatoriaFactory(autoridad=autoridad)
    client.force_login(personal)
    client.get(reverse("panel:inicio"))  # warm the session and the permission caches
    with CaptureQueriesContext(connection) as una:
        client.get(reverse("panel:inicio"))
    for _ in range(3):
        ConvocatoriaFactory(autoridad=autoridad)
    with CaptureQueriesContext(connection) as varias:
        resp = client.get(reverse("panel:inicio"))
    assert len(resp.context["convocatorias"]) == 4
    assert len(varias) == len(una), [q["sql"][:120] for q in varias.captured_queries]
