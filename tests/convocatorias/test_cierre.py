"""Closing a call (issue 12): what the call is reads the clock (Convocatoria.estado_efectivo); staff's
«Cerrar convocatoria» button and the periodic task record it through the same idempotent service
(services.convocatoria_cerrar), which notifies the authority's staff once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from convocatorias import services
from convocatorias.models import Convocatoria
from convocatorias.tasks import convocatorias_cerrar_vencidas
from core.errors import ErrorDominio
from tests import factories

Estado = Convocatoria.Estado
Fase = Convocatoria.Fase
CIERRE = datetime(2031, 6, 30, 23, 59, 59, tzinfo=ZoneInfo("America/Mexico_City"))
DESPUES = CIERRE + timedelta(seconds=1)


@pytest.fixture
def vence(autoridad):
    """A published call whose last second is CIERRE."""
    return factories.ConvocatoriaFactory(autoridad=autoridad, titulo="Reconocimiento 2031",
                                         fecha_apertura=CIERRE - timedelta(days=60), fecha_cierre=CIERRE,
                                         fecha_resultados=CIERRE + timedelta(days=60))


def _avisos(conv):
    return [m for m in mail.outbox if conv.titulo in m.subject and "cerró" in m.subject]


# --- the effective state ---------------------------------------------------------------------

def test_estado_efectivo_cuando_pasa_el_ultimo_segundo_es_cerrada_sin_que_nada_lo_registre(vence):
    assert (vence.estado_efectivo(CIERRE), vence.fase_en(CIERRE)) == (Estado.ABIERTA, Fase.RECEPCION)
    assert (vence.estado_efectivo(DESPUES), vence.fase_en(DESPUES)) == (Estado.CERRADA, Fase.ADMISIBILIDAD)
    assert not vence.cierre_pendiente(CIERRE) and vence.cierre_pendiente(DESPUES)
    # The same rule in SQL.
    for momento, esperado in ((CIERRE, False), (DESPUES, True)):
        q = Convocatoria.q_alcanzo_fase(Fase.ADMISIBILIDAD, ahora=momento)
        assert Convocatoria.objects.filter(q, pk=vence.pk).exists() is esperado
        q = Convocatoria.q_alcanzo_fase(Fase.RECEPCION, ahora=momento)
        assert Convocatoria.objects.filter(q, pk=vence.pk).exists()
    vence.refresh_from_db()
    assert vence.estado == Estado.ABIERTA


def test_pasado_el_plazo_la_fecha_de_cierre_ya_no_se_puede_extender(vence, personal):
    """Extending the deadline of a call that already closed by the clock would reopen it."""
    with pytest.raises(ErrorDominio, match="«Cerrada» ya no puede cambiarse"):
        services.convocatoria_actualizar(convocatoria=vence, usuario=personal, ahora=DESPUES,
                                         datos={"fecha_cierre": DESPUES + timedelta(days=7)})
    vence.refresh_from_db()
    assert vence.fecha_cierre == CIERRE
    # Before the deadline it still can.
    services.convocatoria_actualizar(convocatoria=vence, usuario=personal, ahora=CIERRE,
                                     datos={"fecha_cierre": CIERRE + timedelta(days=7)})


# --- the service -----------------------------------------------------------------------------

def test_convocatoria_cerrar_cuando_ya_esta_cerrada_no_hace_nada(vence, personal, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.convocatoria_cerrar(convocatoria=vence, ahora=DESPUES) is True
    historial = vence.history.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.convocatoria_cerrar(convocatoria=vence, ahora=DESPUES) is False
    assert vence.history.count() == historial
    assert len(_avisos(vence)) == 1


def test_convocatoria_cerrar_avisa_al_personal_de_la_autoridad(vence, personal, otro_personal,
                                                                django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.convocatoria_cerrar(convocatoria=vence, ahora=DESPUES)
    [aviso] = _avisos(vence)
    assert aviso.to == [personal.email]  # not the other authority's staff
    assert reverse("panel:admisibilidad", args=[vence.slug]) in aviso.body
    assert "30 de junio de 2031" in aviso.body


# --- the button ------------------------------------------------------------------------------

def test_boton_cerrar_aparece_solo_tras_el_plazo_cierra_una_vez_y_la_tarea_ya_no_hace_nada(
        client, vence, personal, django_capture_on_commit_callbacks):
    editar = reverse("panel:convocatoria_editar", args=[vence.slug])
    admisibilidad = reverse("panel:admisibilidad", args=[vence.slug])
    cerrar = reverse("panel:convocatoria_cerrar", args=[vence.slug])
    mail.outbox.clear()
    with time_machine.travel(CIERRE, tick=False):
        client.force_login(personal)
        html = client.get(editar).content.decode()
        assert cerrar not in html and "Cerrar convocatoria" not in html
        # Before the deadline the service refuses, whoever asks.
        resp = client.post(cerrar, follow=True)
        assert "no puede cerrarse antes" in resp.content.decode()
    assert Convocatoria.objects.get(pk=vence.pk).estado == Estado.ABIERTA

    with time_machine.travel(DESPUES, tick=False):
        client.force_login(personal)
        for pagina in (editar, admisibilidad):
            html = client.get(pagina).content.decode()
            assert cerrar in html and "Cerrar convocatoria" in html, pagina
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(cerrar)
        assert resp.status_code == 302 and resp.url == admisibilidad
        assert "Convocatoria cerrada" in client.get(resp.url).content.decode()
        vence.refresh_from_db()
        assert vence.estado == Estado.CERRADA
        assert vence.history.latest().history_user == personal
        assert len(_avisos(vence)) == 1
        historial = vence.history.count()

        # A second POST (a double click, another tab) is harmless.
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(cerrar, follow=True)
        assert resp.status_code == 200 and "ya estaba cerrada" in resp.content.decode()
        assert cerrar not in client.get(editar).content.decode()

        # And the periodic task, after the manual close, has nothing left to do.
        with django_capture_on_commit_callbacks(execute=True):
            assert convocatorias_cerrar_vencidas() == 0
    vence.refresh_from_db()
    assert vence.estado == Estado.CERRADA and vence.history.count() == historial
    assert len(_avisos(vence)) == 1


def test_tarea_periodica_cierra_y_avisa_una_vez_y_el_boton_despues_no_repite(
        client, vence, personal, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with time_machine.travel(DESPUES, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert convocatorias_cerrar_vencidas() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert convocatorias_cerrar_vencidas() == 0
        client.force_login(personal)
        assert "Cerrar convocatoria" not in client.get(
            reverse("panel:convocatoria_editar", args=[vence.slug])).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(reverse("panel:convocatoria_cerrar", args=[vence.slug]), follow=True)
    assert "ya estaba cerrada" in resp.content.decode()
    assert len(_avisos(vence)) == 1
    cierre = vence.history.filter(estado=Estado.CERRADA).get()
    assert cierre.history_user is None  # recorded by the scheduler
