"""Personas shared by every test: anonymous, enlace of body A, enlace of body B, staff, juror."""

import pytest

from config.celery import app
from tests import factories


@pytest.fixture
def autoridad(db):
    return factories.AutoridadFactory()


@pytest.fixture
def convocatoria(autoridad):
    return factories.ConvocatoriaFactory(autoridad=autoridad)


@pytest.fixture
def sujeto_a(db):
    return factories.SujetoFactory(nombre="Secretaría de Finanzas")


@pytest.fixture
def sujeto_b(db):
    return factories.SujetoFactory(nombre="Secretaría de Salud")


@pytest.fixture
def enlace_a(sujeto_a):
    return factories.EnlaceFactory(sujeto=sujeto_a, usuario__email="enlace.a@finanzas.gob.mx").usuario


@pytest.fixture
def enlace_b(sujeto_b):
    return factories.EnlaceFactory(sujeto=sujeto_b, usuario__email="enlace.b@salud.gob.mx").usuario


@pytest.fixture
def personal(autoridad):
    return factories.PersonalFactory(autoridad=autoridad, usuario__email="dgt@infoem.org.mx").usuario


@pytest.fixture
def jurado(convocatoria):
    return factories.MiembroJuradoFactory(convocatoria=convocatoria, usuario__email="jurado@infoem.org.mx").usuario


@pytest.fixture
def practica_a(convocatoria, sujeto_a, enlace_a):
    """A complete draft of body A in the open call, with one link support."""
    from practicas.models import Soporte

    practica = factories.PracticaFactory(convocatoria=convocatoria, sujeto=sujeto_a, creada_por=enlace_a)
    Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ENLACE, url="https://datos.ejemplo.gob.mx/p",
                           subido_por=enlace_a)
    return practica


@pytest.fixture
def personas(db, enlace_a, enlace_b, personal, jurado):
    """name -> user (None for anonymous), for permission matrices."""
    return {"anonimo": None, "enlace_a": enlace_a, "enlace_b": enlace_b, "personal": personal, "jurado": jurado}


@pytest.fixture
def reintentos_eager():
    """For tests of a task's retry path. Eager tasks propagate their exceptions (config/settings/test.py),
    and while propagating Celery's eager mode cannot retry: `self.retry()` raises Retry to whoever queued
    the task instead of running it again (celery.app.trace re-raises every exception, Retry included).
    Without propagation each retry runs at once, as a worker would run it after the countdown; the test
    then asserts the outcome (rows marked failed, the error shown, what the retries produced)."""
    antes = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = antes
