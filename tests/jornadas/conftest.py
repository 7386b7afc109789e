"""Fixtures for the jornadas tests. Builders (tests/jornadas/builders.py) make the data; these give
the personas and a clean cache (the registration rate limit counts in it)."""

import pytest
from django.core.cache import cache

from tests import factories


@pytest.fixture(autouse=True)
def _cache_limpia():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def otra_autoridad(db):
    return factories.AutoridadFactory(siglas="COTAI", nombre="Comisión de Transparencia y Acceso a la Información "
                                      "del Estado de Nuevo León", entidad_clave="19", principal=False)


@pytest.fixture
def otro_personal(otra_autoridad):
    return factories.PersonalFactory(autoridad=otra_autoridad, usuario__email="staff@cotai.org.mx").usuario


@pytest.fixture
def personas_jornadas(personas, otro_personal):
    """name -> user (None for anonymous): the shared personas plus staff of another authority."""
    return {**personas, "otro_personal": otro_personal}
