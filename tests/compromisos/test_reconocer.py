"""The signal → outbox → task path: publishing results queues compromisos_reconocer_task for the
practices with a commitment «postulada»; the task fulfils the commitment. Nothing moves before the
results second (the recognition is under embargo). The real-worker version: test_worker.py."""

import pytest
import time_machine

from compromisos import registro, services, tasks
from compromisos.models import PracticaComprometida
from core.models import TareaPendiente
from evaluacion import services as evaluacion_services
from evaluacion import tasks as evaluacion_tasks
from tests.compromisos import builders as b
from tests.evaluacion import builders_dictamen as bd
from tests.evaluacion.builders_dictamen import fixture_ciclo, fixture_firmado  # noqa: F401

pytestmark = pytest.mark.django_db
EP = PracticaComprometida.Estado


@pytest.fixture
def compromiso(firmado, sujeto_a, enlace_a, personal):
    """Body A's accepted letter; its first commitment linked to A's practice (ruled procedente)."""
    carta = b.aceptada(sujeto_a, enlace_a, personal)
    practica = firmado.practicas[0]
    assert practica.sujeto_id == sujeto_a.pk
    return services.compromiso_actualizar(compromiso=carta.practicas.first(), usuario=enlace_a,
                                          estado=EP.POSTULADA, practica=practica)


def test_publicar_resultados_encola_la_tarea_y_cumple_el_compromiso(firmado, compromiso,
                                                                    django_capture_on_commit_callbacks):
    antes, despues = bd.antes_y_despues(firmado)
    assert compromiso.estado == EP.POSTULADA  # linked under embargo: not fulfilled yet
    with time_machine.travel(antes, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert evaluacion_tasks.resultados_publicar_pendientes()["publicadas"] == []
        assert services.compromisos_reconocer() == 0
    compromiso.refresh_from_db()
    assert compromiso.estado == EP.POSTULADA

    # The publication writes the task into the outbox in its own transaction...
    with time_machine.travel(despues, tick=False), django_capture_on_commit_callbacks(execute=False):
        assert evaluacion_services.resultados_publicar(convocatoria=firmado.convocatoria)
        fila = TareaPendiente.objects.get(nombre=registro.TAREA_RECONOCER)
        assert fila.args == [[firmado.practicas[0].pk]]
    compromiso.refresh_from_db()
    assert compromiso.estado == EP.POSTULADA
    # ... and the task (here run by hand, as the relay would hand it to a worker) fulfils it, once.
    with time_machine.travel(despues, tick=False):
        assert tasks.compromisos_reconocer_task(*fila.args) == 1
        assert tasks.compromisos_reconocer_task(*fila.args) == 0
    compromiso.refresh_from_db()
    assert compromiso.estado == EP.RECONOCIDA and compromiso.reconocida_en is not None
    # The other commitment of the letter, never linked, is left as it was.
    assert compromiso.carta.practicas.exclude(pk=compromiso.pk).get().estado == EP.COMPROMETIDA


def test_sin_compromisos_postulados_no_se_encola_nada(firmado, django_capture_on_commit_callbacks):
    _antes, despues = bd.antes_y_despues(firmado)
    with time_machine.travel(despues, tick=False), django_capture_on_commit_callbacks(execute=False):
        assert evaluacion_services.resultados_publicar(convocatoria=firmado.convocatoria)
    assert not TareaPendiente.objects.filter(nombre=registro.TAREA_RECONOCER).exists()
