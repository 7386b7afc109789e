"""Practices and enlace requests follow their tables (core/estados.py): an illegal step raises
TransicionInvalida with the service's Spanish message and writes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.estados import TransicionInvalida
from practicas import services
from practicas.models import Enlace, Practica
from tests import factories

pytestmark = pytest.mark.django_db


def test_resolver_cuando_la_solicitud_ya_fue_resuelta_falla_sin_escribir(personal, sujeto_a):
    solicitud = factories.EnlaceFactory(sujeto=sujeto_a, estado=Enlace.Estado.SOLICITADO)
    services.enlace_resolver(enlace=solicitud, usuario=personal, aprobar=True)
    solicitud.refresh_from_db()
    resuelto_en, historial = solicitud.resuelto_en, solicitud.history.count()
    with pytest.raises(TransicionInvalida, match="Esta solicitud ya fue resuelta."):
        services.enlace_resolver(enlace=solicitud, usuario=personal, aprobar=False, motivo="Cambio de opinión.")
    solicitud.refresh_from_db()
    assert (solicitud.estado, solicitud.motivo, solicitud.resuelto_en) == (Enlace.Estado.APROBADO, "", resuelto_en)
    assert solicitud.history.count() == historial


def test_resolver_cuando_rechaza_escribe_estado_motivo_y_quien(personal, sujeto_a):
    solicitud = factories.EnlaceFactory(sujeto=sujeto_a, estado=Enlace.Estado.SOLICITADO)
    services.enlace_resolver(enlace=solicitud, usuario=personal, aprobar=False, motivo=" No es titular. ")
    solicitud.refresh_from_db()
    assert (solicitud.estado, solicitud.motivo, solicitud.resuelto_por) == (
        Enlace.Estado.RECHAZADO, "No es titular.", personal)
    assert solicitud.resuelto_en is not None


def test_retirar_cuando_es_borrador_falla_sin_escribir(practica_a, enlace_a):
    historial = practica_a.history.count()
    with pytest.raises(TransicionInvalida, match="Solo una práctica enviada puede retirarse."):
        services.practica_retirar(practica=practica_a, usuario=enlace_a)
    practica_a.refresh_from_db()
    assert practica_a.estado == Practica.Estado.BORRADOR and practica_a.retirada_en is None
    assert practica_a.history.count() == historial


def test_enviar_cuando_ya_fue_enviada_falla_sin_escribir(practica_a, enlace_a):
    enviada = services.practica_enviar(practica=practica_a, usuario=enlace_a)
    historial = enviada.history.count()
    with pytest.raises(TransicionInvalida, match=f"La práctica {enviada.folio} ya fue enviada."):
        services.practica_enviar(practica=enviada, usuario=enlace_a, ahora=timezone.now() + timedelta(seconds=1))
    enviada.refresh_from_db()
    assert enviada.estado == Practica.Estado.ENVIADA and enviada.history.count() == historial


def test_retirar_cuando_fue_retirada_no_puede_volver_a_retirarse(practica_a, enlace_a):
    enviada = services.practica_enviar(practica=practica_a, usuario=enlace_a)
    services.practica_retirar(practica=enviada, usuario=enlace_a)
    with pytest.raises(TransicionInvalida, match="Solo una práctica enviada puede retirarse."):
        services.practica_retirar(practica=enviada, usuario=enlace_a)
    enviada.refresh_from_db()
    assert enviada.estado == Practica.Estado.RETIRADA
