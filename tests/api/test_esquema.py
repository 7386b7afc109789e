"""The OpenAPI document: it validates, its browsable pages load nothing from the internet, and every
documented GET answers as documented (schemathesis, a bounded run through the WSGI app)."""

import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api import builders as b
from tests.jornadas import builders as bj

pytestmark = pytest.mark.django_db


def test_el_esquema_valida_sin_advertencias(tmp_path):
    destino = tmp_path / "esquema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(destino))
    texto = destino.read_text()
    for ruta in ("/api/v1/practicas-reconocidas/", "/api/v1/convocatorias/", "/api/v1/sujetos-obligados/",
                 "/api/v1/jornadas/sesiones/", "/api/v1/jornadas/asistencia-por-sujeto/",
                 "/api/v1/jornadas/resultados-encuestas/"):
        assert f"{ruta}:" in texto
    assert "cookieAuth" not in texto and "basicAuth" not in texto  # no sessions or passwords


def test_pagina_de_documentacion_sin_recursos_externos(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    recursos = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert recursos, html
    for url in recursos:
        assert not re.match(r"^(https?:)?//", url), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    assert "cdn" not in html.lower()


def test_esquema_se_sirve_en_json(client):
    response = client.get(reverse("api:esquema"), {"format": "json"})
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Reconoce API"


@pytest.fixture
def wsgi_en_la_transaccion_de_la_prueba():
    """A bare WSGI handler, in this thread, on the test's connection: like Django's test client,
    keep the request signals from closing the connection (and with it the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def datos_de_ejemplo():
    b.reconocidas_en_bloque(6, anio=2023)
    bj.jornada_con_asistentes(4, respondieron=3, ausentes=1)


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_cada_operacion_responde_como_documenta(wsgi_en_la_transaccion_de_la_prueba, datos_de_ejemplo, settings_api):
    schema = schemathesis.openapi.from_wsgi("/api/v1/esquema/?format=json", wsgi_en_la_transaccion_de_la_prueba)
    operaciones = [r.ok() for r in schema.include(method="GET").get_all_operations()]
    assert len(operaciones) == 10

    for operacion in operaciones:
        @settings(max_examples=20, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operacion.as_strategy())
        def probar(case):
            case.call_and_validate(checks=CHECKS)

        probar()


@pytest.fixture
def settings_api(settings):
    settings.API_LIMITE_ANONIMO = "100000/min"  # the run makes ~200 calls from one address
    return settings
