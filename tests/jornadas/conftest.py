"""Fixtures for the jornadas tests. Builders (tests/jornadas/builders.py) make the data; the personas
(and `otra_autoridad`) are tests/conftest.py's. Here: a clean cache (the registration rate limit counts in it)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _cache_limpia():
    cache.clear()
    yield
    cache.clear()
