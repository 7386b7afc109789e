"""The API and open-data tests: a clean cache (the anonymous rate limit counts in it)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _cache_limpia():
    cache.clear()
    yield
    cache.clear()
