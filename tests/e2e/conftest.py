"""Playwright in Debian's Chromium (never a downloaded browser) against pytest-django's live_server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made from tests
# (factories, checks) are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")


def exigir_chromium():
    """Skip the calling module when Chromium is missing, or fail with REQUIRE_REAL_SERVICES=1."""
    if CHROMIUM.exists():
        return
    motivo = f"Las pruebas e2e necesitan el Chromium de Debian en {CHROMIUM} (apt-get install chromium)."
    if os.environ.get("REQUIRE_REAL_SERVICES") == "1":
        pytest.fail(f"{motivo} REQUIRE_REAL_SERVICES=1 exige ejecutarlas.", pytrace=False)
    pytest.skip(motivo, allow_module_level=True)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "es-MX", "timezone_id": "America/Mexico_City",
            "accept_downloads": True}


@pytest.fixture
def page(page):
    # Fail fast instead of waiting 30 s for an element that is not coming.
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    # Whatever the Content-Security-Policy blocked (an inline script or style, an eval) fails the test.
    bloqueos = []
    page.on("console", lambda m: bloqueos.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text else None)
    yield page
    assert not bloqueos, f"La Content-Security-Policy bloqueó algo: {bloqueos}"


@pytest.fixture(autouse=True)
def _sin_peticiones_en_curso(request):
    """The live server answers in its own threads: a request the browser has given up on (a poll of
    the last page, a navigation cut short) may still be running when the test ends, and PostgreSQL's
    TRUNCATE of the test database then deadlocks with it. Wait for every other client of the test
    database to go idle before pytest-django empties it (this teardown runs before the flush)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection
    if connection.vendor != "postgresql":
        return
    import time
    limite = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < limite:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'")
            if not cursor.fetchone()[0]:
                return
            time.sleep(0.1)
