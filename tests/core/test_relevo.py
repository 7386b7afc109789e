"""The outbox and its relay (core.colas, core.relevo), without a broker: what is written with the
transaction, what a broker failure leaves behind, and what the relay sends again and when."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from config.celery import app
from core import colas, relevo
from core.models import TareaPendiente

pytestmark = pytest.mark.django_db(transaction=True)

TAREA = "core.tasks.documentos_barrer_task"


@pytest.fixture
def broker(monkeypatch):
    """Not eager, and a broker that is up or down as the test says; records what it received."""
    estado = SimpleNamespace(arriba=True, recibidas=[])

    def publicar(fila, ahora):
        if not estado.arriba:
            raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        estado.recibidas.append(fila.pk)

    monkeypatch.setattr(relevo, "_publicar", publicar)
    antes = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield estado
    finally:
        app.conf.task_always_eager = antes


def test_la_tarea_se_escribe_con_la_transaccion_y_se_envia_al_confirmarla(broker):
    with transaction.atomic():
        fila = colas.encolar(TAREA)
        assert TareaPendiente.objects.filter(pk=fila.pk, enviada_en__isnull=True).exists()
        assert broker.recibidas == []  # nothing leaves before the commit
    assert broker.recibidas == [fila.pk]
    fila.refresh_from_db()
    assert fila.enviada_en is not None and fila.envios == 1


def test_si_la_transaccion_se_deshace_no_queda_tarea(broker):
    with pytest.raises(RuntimeError), transaction.atomic():
        colas.encolar(TAREA)
        raise RuntimeError("la escritura falló")
    assert not TareaPendiente.objects.exists() and broker.recibidas == []


def test_con_el_broker_caido_la_tarea_espera_y_el_relevo_la_envia_al_volver(broker):
    broker.arriba = False
    fila = colas.encolar(TAREA)  # no exception: the write that needed it stands
    fila.refresh_from_db()
    assert fila.enviada_en is None and "Connection refused" in fila.ultimo_error

    despues = timezone.now() + relevo.GRACIA + timedelta(seconds=1)
    assert relevo.relevar(ahora=despues)["enviadas"] == 0  # still down
    broker.arriba = True
    assert relevo.relevar(ahora=despues) == {"enviadas": 1, "reanudadas": 0, "error": ""}
    fila.refresh_from_db()
    assert fila.enviada_en is not None and fila.ultimo_error == ""
    assert relevo.relevar(ahora=despues)["enviadas"] == 0  # sent once, not again


def test_una_fila_recien_escrita_es_del_camino_rapido(broker):
    broker.arriba = False
    colas.encolar(TAREA)
    broker.arriba = True
    assert relevo.relevar(ahora=timezone.now())["enviadas"] == 0


def test_una_tarea_iniciada_se_reenvia_solo_pasado_su_limite_duro(broker):
    ahora = timezone.now()
    limite = relevo.limite_duro("core.tasks.documento_generar_task")
    assert limite == 75  # one PDF: core.tasks.LIMITE_PDF, TAREA_PDF_SEGUNDOS (60) + 15
    viva = TareaPendiente.objects.create(nombre="core.tasks.documento_generar_task", args=[1], enviada_en=ahora,
                                         iniciada_en=ahora - timedelta(seconds=limite))
    muerta = TareaPendiente.objects.create(nombre="core.tasks.documento_generar_task", args=[2], enviada_en=ahora,
                                           iniciada_en=ahora - timedelta(seconds=limite) - relevo._margen()
                                           - timedelta(seconds=1))
    resultado = relevo.relevar(ahora=ahora)
    assert resultado["reanudadas"] == 1 and broker.recibidas == [muerta.pk]
    muerta.refresh_from_db()
    viva.refresh_from_db()
    assert muerta.iniciada_en is None and muerta.envios == 1
    assert viva.iniciada_en is not None


def test_un_mensaje_perdido_se_reenvia_a_los_diez_minutos(broker):
    ahora = timezone.now()
    hace = ahora - relevo.PERDIDA_TRAS - timedelta(seconds=1)
    perdida = TareaPendiente.objects.create(nombre=TAREA, enviada_en=hace, disponible_desde=hace, creada=hace)
    en_cola = TareaPendiente.objects.create(nombre=TAREA, enviada_en=ahora - timedelta(minutes=1))
    relevo.relevar(ahora=ahora)
    assert broker.recibidas == [perdida.pk]
    assert en_cola.pk not in broker.recibidas


def _tarea(pk, eager=False):
    return SimpleNamespace(request=SimpleNamespace(is_eager=eager, headers={relevo.CABECERA: pk}))


def test_el_worker_marca_el_inicio_y_borra_la_fila_al_terminar():
    fila = TareaPendiente.objects.create(nombre=TAREA, enviada_en=timezone.now())
    relevo._al_empezar(task=_tarea(fila.pk))
    fila.refresh_from_db()
    assert fila.iniciada_en is not None
    relevo._al_terminar(task=_tarea(fila.pk), state="RETRY")  # a retry keeps it, as sent
    fila.refresh_from_db()
    assert fila.iniciada_en is None and fila.enviada_en is not None
    relevo._al_terminar(task=_tarea(fila.pk), state="SUCCESS")
    assert not TareaPendiente.objects.filter(pk=fila.pk).exists()


def test_en_modo_inmediato_la_tarea_corre_y_no_deja_fila(django_capture_on_commit_callbacks):
    assert app.conf.task_always_eager
    resultado = colas.encolar(TAREA)
    assert not TareaPendiente.objects.filter(pk=resultado.pk).exists()
