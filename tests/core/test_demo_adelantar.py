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
from jornadas.models import Jornada
from tests.factories import ConvocatoriaFactory
from tests.jornadas import builders as builders_jornadas

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


def test_la_jornada_adelantada_comienza_a_los_segundos_y_conserva_su_duracion():
    ahora = timezone.now()
    sesion = builders_jornadas.jornada(inicio=ahora + timedelta(days=10), fin=ahora + timedelta(days=10, hours=3),
                            registro_cierra=ahora + timedelta(days=9))
    salida = _adelantar("--jornada", sesion.slug, "--inicio", "5")
    sesion = Jornada.objects.get(pk=sesion.pk)
    assert timedelta(seconds=4) < sesion.inicio - timezone.now() <= timedelta(seconds=5)
    assert sesion.fin - sesion.inicio == timedelta(hours=3)
    assert sesion.registro_cierra == sesion.inicio  # registration closes when it starts
    assert not sesion.ha_comenzado()
    assert sesion.ha_comenzado(sesion.inicio + timedelta(seconds=1))
    assert "comienza el" in salida


def test_jornada_sin_inicio_se_rechaza():
    with pytest.raises(CommandError, match="van juntos"):
        _adelantar("--jornada", "x")
    with pytest.raises(CommandError, match="No existe la jornada"):
        _adelantar("--jornada", "no-existe", "--inicio", "5")


def test_resultados_no_se_mueven_con_dictamenes_firmados(autoridad, personal, sujeto_a):
    """Signed rulings carry the results second (their documents' embargo, the recognition's
    validity): the demo command meets the panel's rule instead of leaving PDFs that never open."""
    from tests.evaluacion import builders_dictamen as bd

    ciclo = bd.con_dictamenes(autoridad=autoridad, personal=personal, puntajes=(9,), sujetos=[sujeto_a])
    conv = ciclo.convocatoria
    Convocatoria.objects.filter(pk=conv.pk).update(slug="demo-firmada")
    salida = _adelantar("--convocatoria", "demo-firmada", "--resultados", "30")  # before the first signature
    assert "los resultados se publican el" in salida
    bd.firmar(ciclo.dictamenes[0], personal)
    fecha = Convocatoria.objects.get(pk=conv.pk).fecha_resultados
    with pytest.raises(CommandError, match="Ya hay dictámenes firmados.*antes de que el jurado firme"):
        _adelantar("--convocatoria", "demo-firmada", "--resultados", "5")
    assert Convocatoria.objects.get(pk=conv.pk).fecha_resultados == fecha
