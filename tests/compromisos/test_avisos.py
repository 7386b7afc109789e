"""E-mails to a body about its carta compromiso: the authority's review (accepted, returned with its
reasons), reminders 30 and 7 days before each target date and at a call's opening, each sent once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from compromisos import avisos, services, tasks
from compromisos.models import AvisoCompromiso, PracticaComprometida
from tests import factories
from tests.compromisos import builders as b

pytestmark = pytest.mark.django_db
EP = PracticaComprometida.Estado


@pytest.fixture(autouse=True)
def _autoridad(autoridad):
    """Authority A serves bodies A and B (entidad 15)."""


def _diario(capturar, **kwargs):
    with capturar(execute=True):
        if kwargs:
            return avisos.seguimiento_avisos(**kwargs)
        return tasks.seguimiento_diario_task()


def test_aceptar_avisa_a_los_enlaces_una_vez(sujeto_a, enlace_a, personal, autoridad,
                                             django_capture_on_commit_callbacks):
    carta = b.presentada(sujeto_a, enlace_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.carta_aceptar(carta=carta, usuario=personal)
    assert len(mail.outbox) == 1
    correo = mail.outbox[0]
    assert correo.to == [enlace_a.email]
    assert autoridad.siglas in correo.subject and "aceptó su carta compromiso" in correo.subject
    assert "Práctica comprometida 1" in correo.body and "de la Secretaría de Finanzas" in correo.body
    # A second delivery of the same task sends nothing.
    carta.refresh_from_db()
    assert tasks.carta_avisar_revision_task(carta.pk, "aceptada", carta.revisada_en.isoformat()) is False
    assert len(mail.outbox) == 1


def test_devolver_avisa_con_los_motivos_y_cada_devolucion_cuenta(sujeto_a, enlace_a, personal,
                                                                  django_capture_on_commit_callbacks):
    carta = b.presentada(sujeto_a, enlace_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.carta_devolver(carta=carta, usuario=personal, motivo="Falta la firma autógrafa.")
    assert len(mail.outbox) == 1 and "Falta la firma autógrafa." in mail.outbox[0].body
    html = mail.outbox[0].alternatives[0][0]
    assert "Falta la firma autógrafa." in html
    services.carta_presentar(carta=carta, usuario=enlace_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.carta_devolver(carta=carta, usuario=personal, motivo="Falta la fecha de la segunda práctica.",
                                ahora=timezone.now() + timedelta(seconds=5))
    assert len(mail.outbox) == 2 and "segunda práctica" in mail.outbox[1].body
    assert AvisoCompromiso.objects.filter(tipo="devuelta").count() == 2


def test_recordatorios_30_y_7_dias_antes_una_vez_cada_uno(sujeto_a, enlace_a, personal,
                                                          django_capture_on_commit_callbacks):
    hoy = timezone.localdate()
    carta = b.aceptada(sujeto_a, enlace_a, personal, n=1, dias=25)  # 25 days ahead: the 30-day reminder
    otra = b.aceptada(sujeto_a, enlace_a, personal, n=1, dias=5)  # 5 days ahead: the 7-day one only
    lejana = b.aceptada(sujeto_a, enlace_a, personal, n=1, dias=45)  # nothing yet
    mail.outbox.clear()
    _diario(django_capture_on_commit_callbacks)
    asuntos = sorted(m.subject for m in mail.outbox)
    assert len(mail.outbox) == 2, asuntos
    assert {(a.compromiso.carta_id, a.tipo) for a in AvisoCompromiso.objects.filter(tipo__in=["meta_30", "meta_7"])} \
        == {(carta.pk, "meta_30"), (otra.pk, "meta_7")}
    assert any("Faltan 30 días" in s for s in asuntos) and any("Faltan 7 días" in s for s in asuntos)
    # The same day again: nothing new.
    _diario(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    # 20 days later the first is 5 days away: its 7-day reminder, once; the far one enters its 30 days.
    _diario(django_capture_on_commit_callbacks, hoy=hoy + timedelta(days=20))
    assert len(mail.outbox) == 4
    assert AvisoCompromiso.objects.filter(compromiso__carta=carta).count() == 2
    assert AvisoCompromiso.objects.filter(compromiso__carta=lejana, tipo="meta_30").exists()
    assert carta.practicas.get().recordatorio_en is not None


def test_sin_recordatorio_para_lo_ya_publicado(sujeto_a, enlace_a, personal, django_capture_on_commit_callbacks):
    carta = b.aceptada(sujeto_a, enlace_a, personal, n=1, dias=5)
    services.compromiso_actualizar(compromiso=carta.practicas.get(), usuario=enlace_a, estado=EP.PUBLICADA,
                                   url_publicacion="https://finanzas.gob.mx/compras")
    mail.outbox.clear()
    _diario(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_apertura_de_convocatoria_avisa_una_vez_por_carta(sujeto_a, enlace_a, personal, convocatoria,
                                                          otra_autoridad, django_capture_on_commit_callbacks):
    b.aceptada(sujeto_a, enlace_a, personal, n=2, dias=200)
    factories.ConvocatoriaFactory(autoridad=otra_autoridad)  # another authority's call: not this letter's
    factories.ConvocatoriaFactory(autoridad=convocatoria.autoridad, fecha_apertura=timezone.now() + timedelta(days=1),
                                  fecha_cierre=timezone.now() + timedelta(days=20))  # not open yet
    mail.outbox.clear()
    _diario(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    correo = mail.outbox[0]
    assert convocatoria.titulo in correo.subject and "2 prácticas por postular" in correo.body
    assert AvisoCompromiso.objects.filter(tipo="convocatoria", convocatoria=convocatoria).count() == 1
    _diario(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_sin_enlaces_no_se_registra_el_aviso(sujeto_a, enlace_a, personal, convocatoria,
                                             django_capture_on_commit_callbacks):
    b.aceptada(sujeto_a, enlace_a, personal, n=1, dias=5)
    enlace_a.is_active = False
    enlace_a.save()
    mail.outbox.clear()
    _diario(django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not AvisoCompromiso.objects.exists()
