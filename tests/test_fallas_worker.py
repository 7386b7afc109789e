"""Faults on the production shape: PostgreSQL, a real Redis broker that the test starts on a spare
port and stops mid-test, and real worker processes that a test SIGKILLs. Each asserts that nothing
was lost, nothing was done twice, and that the work recovered without anyone pressing a button.

The figures (time from the broker's return to the acuse, from a dead worker to the batch's end) are
printed in the test log."""

import time
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.models import DocumentoVerificable, TareaPendiente
from jornadas import constancias, selectors
from jornadas.models import Constancia, LoteConstancias
from practicas.models import Acuse, Practica
from tests import factories
from tests.fallas import broker_de_la_prueba, fixture_redis_efimero  # noqa: F401
from tests.jornadas import builders as bj
from tests.worker import _detener, arrancar, esperar, matar, no_disponible

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

Estado = DocumentoVerificable.EstadoPDF


@pytest.fixture
def en_postgresql(django_db_setup):
    if connection.vendor != "postgresql":
        no_disponible("Las pruebas de fallas necesitan PostgreSQL (DATABASE_URL): el worker es otro proceso")


@pytest.fixture
def entorno(en_postgresql, redis_efimero, tmp_path):
    """A worker on the test's own Redis and queue; this process sends there too."""
    cola = f"fallas-{uuid.uuid4().hex[:10]}"
    broker = redis_efimero.url(0)
    trabajadores = []

    def nuevo_worker(**entorno_extra):
        # A chunk takes about a second here: a 10 s soft limit (25 s hard) and a 2 s margin let a killed
        # worker's chunks be handed on in under half a minute instead of the deployment's 105 s.
        w = arrancar(broker, cola, tmp_path / "worker.log", {"RELEVO_INTERVALO": "2", "TAREA_PDF_SEGUNDOS": "10",
                                                             "RELEVO_MARGEN": "2", **entorno_extra})
        trabajadores.append(w)
        return w

    with broker_de_la_prueba(broker, cola):
        yield {"redis": redis_efimero, "worker": nuevo_worker}
    for w in trabajadores:
        if w.proceso.poll() is None:
            _detener(w)


def _figura(capsys, texto):
    with capsys.disabled():
        print(f"\n[fallas] {texto}")


def test_un_envio_con_el_broker_caido_se_guarda_y_su_acuse_llega_al_volver(entorno, client, capsys):
    worker = entorno["worker"]()
    practica, _soporte, usuario = factories.borrador_enviable()
    client.force_login(usuario)

    entorno["redis"].detener()
    resp = client.post(reverse("practicas:enviar", args=[practica.pk]), follow=True)

    # Saved, and the person is told so: the folio, and that the acuse follows.
    assert resp.status_code == 200
    practica.refresh_from_db()
    assert practica.estado == Practica.Estado.ENVIADA and practica.folio
    html = resp.content.decode()
    assert f"Práctica recibida con el folio {practica.folio}; su acuse estará listo en unos minutos." in html
    acuse = Acuse.objects.get(practica=practica)
    assert acuse.estado_pdf == Estado.PENDIENTE
    pendiente = TareaPendiente.objects.get()  # the acuse's task waits in the outbox, not lost
    assert pendiente.enviada_en is None and "Error" in pendiente.ultimo_error

    entorno["redis"].iniciar()
    vuelta = time.monotonic()
    acuse = esperar(lambda: Acuse.objects.filter(pk=acuse.pk, estado_pdf=Estado.LISTA).first(), segundos=60,
                    worker=worker)
    _figura(capsys, f"acuse listo {time.monotonic() - vuelta:.1f} s después de volver el broker")
    assert acuse.intentos == 1 and acuse.sha256
    esperar(lambda: not TareaPendiente.objects.exists(), segundos=30, worker=worker)
    assert Acuse.objects.filter(practica=practica).count() == 1


# Five chunks of 20: the worker dies with some in hand and some never started (CI time: each is a layout).
N_LOTE = 100


def test_un_lote_cuyo_worker_murio_se_reanuda_solo(entorno, client, autoridad, personal, settings, capsys):
    settings.CONSTANCIAS_POR_TAREA = 20
    worker = entorno["worker"](CONSTANCIAS_POR_TAREA="20")
    jornada = bj.jornada_con_asistentes(N_LOTE, autoridad_=autoridad)

    lote = constancias.constancias_emitir(usuario=personal, jornada=jornada)

    def listas():
        return DocumentoVerificable.objects.filter(constancia__lote=lote, estado_pdf=Estado.LISTA).count()

    esperar(lambda: listas() >= 20, segundos=120, worker=worker)
    matar(worker)  # mid-batch: its chunks in hand are neither finished nor given back
    hechas = listas()
    assert hechas < N_LOTE, "el lote terminó antes de matar al worker: la prueba no probó nada"
    muerte = time.monotonic()

    # Staff see it stalled, with the button, once a minute has passed without progress.
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
        assert selectors.lote_progreso(LoteConstancias.objects.get(pk=lote.pk))["detenido"]
        client.force_login(personal)
        pagina = client.get(reverse("panel:constancias_lote", args=[lote.pk])).content.decode()
    assert "Detenido, reanudando" in pagina
    assert reverse("panel:constancias_lote_reanudar", args=[lote.pk]) in pagina

    otro = entorno["worker"](CONSTANCIAS_POR_TAREA="20")  # a restart; nobody presses "Reanudar"

    def cerrado():
        fila = LoteConstancias.objects.get(pk=lote.pk)
        return fila if fila.estado != LoteConstancias.Estado.EN_PROCESO else None

    lote = esperar(cerrado, segundos=150, worker=otro)
    _figura(capsys, f"lote reanudado y terminado {time.monotonic() - muerte:.0f} s después de matar al worker "
                    f"({hechas} de {N_LOTE} listas al morir)")
    assert lote.estado == LoteConstancias.Estado.TERMINADO
    emitidas = list(Constancia.objects.filter(lote=lote).select_related("documento"))
    assert len(emitidas) == N_LOTE == len({c.registro_id for c in emitidas})
    assert all(c.documento.estado_pdf == Estado.LISTA and c.documento.intentos == 1 for c in emitidas)
    assert len({c.documento.archivo.name for c in emitidas}) == N_LOTE  # one file each, none twice
    for c in emitidas:
        assert c.documento.archivo.storage.exists(c.documento.archivo.name)
    esperar(lambda: Constancia.objects.filter(lote=lote, avisada_en__isnull=False).count() == N_LOTE, segundos=60,
            worker=otro)
