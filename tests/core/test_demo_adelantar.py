"""`manage.py demo_adelantar`: a demo call's deadline or results second moved a few seconds ahead
(README, "Recorrido"); the scheduler does the rest."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from convocatorias.models import Convocatoria
from convocatorias.tasks import convocatorias_cerrar_vencidas
from tests.factories import ConvocatoriaFactory

pytestmark = pytest.mark.django_db


def _adelantar(*args):
    salida = io.StringIO()
    call_command("demo_adelantar", *args, "--forzar", stdout=salida)
    return salida.getvalue()


def test_el_cierre_adelantado_lo_registra_el_programador(django_capture_on_commit_callbacks):
    conv = ConvocatoriaFactory(slug="transparencia-proactiva-2026")
    salida = _adelantar("--cierre", "5")
    conv.refresh_from_db()
    assert timedelta(seconds=4) < conv.fecha_cierre - timezone.now() <= timedelta(seconds=5)
    assert "el plazo termina el" in salida
    convocatorias_cerrar_vencidas()
    assert Convocatoria.objects.get(pk=conv.pk).estado == Convocatoria.Estado.ABIERTA  # not yet
    with time_machine.travel(timezone.now() + timedelta(seconds=6)), django_capture_on_commit_callbacks(execute=True):
        convocatorias_cerrar_vencidas()
    assert Convocatoria.objects.get(pk=conv.pk).estado == Convocatoria.Estado.CERRADA


def test_resultados_antes_del_cierre_se_rechazan():
    conv = ConvocatoriaFactory(slug="demo")
    with pytest.raises(CommandError, match="después del cierre"):
        _adelantar("--convocatoria", "demo", "--resultados", "10")
    antes = conv.fecha_resultados
    conv.refresh_from_db()
    assert conv.fecha_resultados == antes


def test_sin_debug_y_sin_forzar_se_niega(settings):
    ConvocatoriaFactory(slug="transparencia-proactiva-2026")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_adelantar", "--cierre", "5", stdout=io.StringIO())
