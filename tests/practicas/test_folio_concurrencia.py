"""Folios stay unique and consecutive when many bodies submit in the same instant (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from practicas import services
from practicas.models import Practica, Soporte
from tests import factories
from tests.worker import no_disponible

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HILOS = 8


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        no_disponible(
            f"La concurrencia real de envíos necesita PostgreSQL (DATABASE_URL); la base de pruebas es "
            f"{connection.vendor}, que serializa toda escritura"
        )


def _borradores(convocatoria, cuantos):
    borradores = []
    for _ in range(cuantos):
        enlace = factories.EnlaceFactory()
        practica = factories.PracticaFactory(convocatoria=convocatoria, sujeto=enlace.sujeto,
                                             creada_por=enlace.usuario)
        Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ENLACE,
                               url=f"https://datos.ejemplo.gob.mx/{practica.pk}", subido_por=enlace.usuario)
        borradores.append((practica, enlace.usuario))
    return borradores


def test_folios_distintos_y_consecutivos_cuando_ocho_envios_llegan_a_la_vez():
    conv = factories.ConvocatoriaFactory()
    borradores = _borradores(conv, HILOS)
    barrera = threading.Barrier(HILOS)
    folios, errores = [], []

    def enviar(practica, usuario):
        try:
            barrera.wait(timeout=30)  # every thread calls the service in the same instant
            folios.append(services.practica_enviar(practica=practica, usuario=usuario).folio)
        except Exception as exc:  # collected and reported below, with the thread's own message
            errores.append(exc)
        finally:
            connections.close_all()  # this thread's connection; the test database is dropped later

    hilos = [threading.Thread(target=enviar, args=borrador) for borrador in borradores]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=120)

    assert not any(hilo.is_alive() for hilo in hilos)
    assert errores == []
    esperados = [f"{conv.prefijo_folio}-{conv.anio}-{n:04d}" for n in range(1, HILOS + 1)]
    assert sorted(folios) == esperados
    guardados = Practica.objects.filter(convocatoria=conv).values_list("folio", "consecutivo", "estado")
    assert sorted(guardados) == [(f, n, Practica.Estado.ENVIADA) for n, f in enumerate(esperados, start=1)]
    conv.refresh_from_db()
    assert conv.ultimo_consecutivo == HILOS
