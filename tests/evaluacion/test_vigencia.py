"""Validity: 12 months from the publication date (29 February → 28 February), a daily task that
records expiries through history and warns the body 30 days ahead, once; revocation."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.urls import reverse

from config.celery import app
from evaluacion import tasks
from evaluacion.models import Reconocimiento
from evaluacion.vigencia import sumar_meses
from tests.evaluacion import builders_dictamen as bd
from tests.evaluacion.builders_dictamen import fixture_ciclo, fixture_firmado  # noqa: F401

pytestmark = pytest.mark.django_db

CDMX = ZoneInfo("America/Mexico_City")


def _a_las(dia: date, hora=9) -> datetime:
    return datetime.combine(dia, time(hora), tzinfo=CDMX)


@pytest.mark.parametrize("inicio, meses, fin", [
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 2, 29), 48, date(2028, 2, 29)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2023, 8, 25), 12, date(2024, 8, 25)),
    (date(2023, 12, 15), 1, date(2024, 1, 15)),
])
def test_sumar_meses(inicio, meses, fin):
    assert sumar_meses(inicio, meses) == fin


def test_reconocimiento_publicado_el_29_de_febrero_vence_el_28_de_febrero(autoridad, personal, sujeto_a, sujeto_b,
                                                                         enlace_a, enlace_b):
    with time_machine.travel(_a_las(date(2024, 1, 10)), tick=True):
        ciclo = bd.con_dictamenes(autoridad=autoridad, personal=personal, sujetos=[sujeto_a, sujeto_b],
                                  fecha_resultados=_a_las(date(2024, 2, 29), 10))
        bd.firmar_todos(ciclo)
    rec = Reconocimiento.objects.select_related("documento").get(dictamen=ciclo.dictamenes[0])
    assert (rec.vigente_desde, rec.vigente_hasta) == (date(2024, 2, 29), date(2025, 2, 28))
    assert rec.documento.vigente_hasta == date(2025, 2, 28)
    assert rec.documento.resumen["vigente_hasta"] == "28 de febrero de 2025"


@pytest.fixture
def rec(firmado):
    return Reconocimiento.objects.select_related("documento", "dictamen__practica__creada_por").get(
        dictamen=firmado.dictamenes[0])


def test_tarea_diaria_avisa_30_dias_antes_una_sola_vez(rec):
    mail.outbox.clear()
    with time_machine.travel(_a_las(rec.vigente_hasta - timedelta(days=31)), tick=False):
        assert tasks.vigencias_diarias.apply().get() == {"vencidos": 0, "avisos": 0}
    with time_machine.travel(_a_las(rec.vigente_hasta - timedelta(days=30)), tick=False):
        assert tasks.vigencias_diarias.apply().get() == {"vencidos": 0, "avisos": 1}
        assert tasks.vigencias_diarias.apply().get() == {"vencidos": 0, "avisos": 0}
    with time_machine.travel(_a_las(rec.vigente_hasta - timedelta(days=3)), tick=False):
        assert tasks.vigencias_diarias.apply().get() == {"vencidos": 0, "avisos": 0}
    assert len(mail.outbox) == 1
    aviso = mail.outbox[0]
    practica = rec.dictamen.practica
    assert set(aviso.to) == {practica.contacto_correo} | set(
        practica.sujeto.enlaces.filter(estado="aprobado").values_list("usuario__email", flat=True))
    assert rec.documento.folio in aviso.subject and "vence el" in aviso.subject
    assert "próxima convocatoria" in aviso.body


def test_tarea_diaria_marca_vencido_mediante_historial(client, rec):
    historial = rec.history.count()
    with time_machine.travel(_a_las(rec.vigente_hasta), tick=False):  # the last valid day
        tasks.vigencias_diarias.apply()
        rec.refresh_from_db()
        assert rec.estado == Reconocimiento.Estado.VIGENTE
    with time_machine.travel(_a_las(rec.vigente_hasta + timedelta(days=1)), tick=False):
        resultado = tasks.vigencias_diarias.apply().get()
        assert resultado["vencidos"] == 1
        assert tasks.vigencias_diarias.apply().get()["vencidos"] == 0
        verificacion = client.get(reverse("core:verificar", args=[rec.documento.codigo])).content.decode()
        conv = rec.dictamen.practica.convocatoria
        publica = client.get(reverse("evaluacion:practica_reconocida", args=[conv.slug, rec.dictamen.practica_id]))
    rec.refresh_from_db()
    assert rec.estado == Reconocimiento.Estado.VENCIDO
    ultimo = rec.history.latest("history_date")
    assert ultimo.estado == Reconocimiento.Estado.VENCIDO
    assert ultimo.history_change_reason == "Vencimiento de la vigencia"
    # Two daily runs before (one of them sent the warning) plus one expiry; the second run after it wrote nothing.
    assert rec.history.filter(estado=Reconocimiento.Estado.VENCIDO).count() == 1
    assert rec.history.count() > historial
    assert "Vencido" in verificacion and "Su vigencia concluyó" in verificacion
    assert "Vencido" in publica.content.decode()


def test_pagina_publica_dice_vencido_aunque_la_tarea_no_haya_corrido(client, rec):
    conv = rec.dictamen.practica.convocatoria
    with time_machine.travel(_a_las(rec.vigente_hasta + timedelta(days=2)), tick=False):
        texto = client.get(reverse("evaluacion:resultados", args=[conv.slug])).content.decode()
    assert "Vencido" in texto
    assert Reconocimiento.objects.get(pk=rec.pk).estado == Reconocimiento.Estado.VIGENTE


def test_pagina_del_dictamen_en_el_panel_dice_vencido_aunque_la_tarea_no_haya_corrido(client, rec, personal):
    """Issue 12: the staff ruling page read the stored state («Vigente») while the public
    verification, reading the clock, said «Vencido». Both read the effective state now."""
    with time_machine.travel(_a_las(rec.vigente_hasta), tick=False):  # the last valid day
        client.force_login(personal)  # a staff session expires when idle: open it on the day
        panel = client.get(reverse("panel:dictamen", args=[rec.dictamen_id])).content.decode()
    assert "Estado: <strong>Vigente</strong>" in panel
    with time_machine.travel(_a_las(rec.vigente_hasta + timedelta(days=1)), tick=False):
        client.force_login(personal)
        panel = client.get(reverse("panel:dictamen", args=[rec.dictamen_id])).content.decode()
        verificacion = client.get(reverse("core:verificar", args=[rec.documento.codigo])).content.decode()
    assert "Estado: <strong>Vencido</strong>" in panel and "Vigente</strong>" not in panel
    assert "Vencido" in verificacion and "Su vigencia concluyó" in verificacion
    # Nothing was recorded: the daily task still has its expiry to write.
    assert Reconocimiento.objects.get(pk=rec.pk).estado == Reconocimiento.Estado.VIGENTE


@pytest.mark.parametrize(("dias", "esperado"), [(0, "vigente"), (1, "vencido")])
def test_estado_efectivo_del_reconocimiento_coincide_en_python_y_en_sql(rec, dias, esperado):
    hoy = rec.vigente_hasta + timedelta(days=dias)
    assert rec.estado_efectivo(hoy) == esperado
    en_sql = Reconocimiento.objects.annotate(e=Reconocimiento.q_estado_efectivo(hoy)).get(pk=rec.pk).e
    assert en_sql == esperado


def test_tareas_programadas_en_beat():
    programa = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert programa["evaluacion.tasks.resultados_publicar_pendientes"] == 60.0
    # Issue 8 asked for a crontab (00:05 Mexico City) instead of every 86,400 s from beat's start.
    assert programa["evaluacion.tasks.vigencias_diarias"] == crontab(minute=5, hour=0)
    app.loader.import_default_modules()
    for nombre in ("evaluacion.tasks.resultados_publicar_pendientes", "evaluacion.tasks.vigencias_diarias",
                   "evaluacion.tasks.resultado_notificar_task"):
        assert nombre in app.tasks
