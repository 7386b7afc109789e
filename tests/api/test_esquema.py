"""The OpenAPI document: it validates, its browsable pages load nothing from the internet, and every
documented GET answers as documented (schemathesis: a bounded, derandomized run of its full default
check set through the WSGI app, schema-valid and schema-violating data both)."""

import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from tests import factories
from tests.api import builders as b
from tests.compromisos import builders as bc
from tests.jornadas import builders as bj

pytestmark = pytest.mark.django_db


def test_el_esquema_valida_sin_advertencias(tmp_path):
    destino = tmp_path / "esquema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(destino))
    texto = destino.read_text()
    for ruta in ("/api/v1/practicas-reconocidas/", "/api/v1/convocatorias/", "/api/v1/sujetos-obligados/",
                 "/api/v1/jornadas/sesiones/", "/api/v1/jornadas/asistencia-por-sujeto/",
                 "/api/v1/jornadas/resultados-encuestas/", "/api/v1/cartas-compromiso/",
                 "/api/v1/cartas-compromiso/{id}/"):
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


# The run, as a `schemathesis run` configuration would say it. Every check of schemathesis's default
# set is on, named here with what it proves about this API:
CONFIGURACION = """
seed = 20260113                 # derandomized: the same cases on every run, so a failure in CI reproduces

[generation]
mode = "all"                    # schema-valid data (must be accepted) and schema-violating data (must be refused)
max-examples = 25               # bounded: ~25 fuzzed cases per operation and mode, besides the coverage cases
deterministic = true

# An authority or a call is named by its slug, and one that does not exist is a documented 400: the
# fuzzer takes the slugs the fixture below creates ("" is no filter), as a client reads them from the
# API, instead of random words that name nothing.
[dictionaries.autoridades]
values = ["", "infoem"]
[dictionaries.convocatorias]
values = ["", "convocatoria-2023"]
[parameters]
"query.autoridad" = { dictionary = "autoridades" }
"query.convocatoria" = { dictionary = "convocatorias" }

[phases.examples]
enabled = true                  # the examples the document gives, if any
[phases.coverage]
enabled = true                  # each bound's edges (anio 1899/1900/9999/10000, maxLength + 1, por_pagina 0/501),
                                # missing, empty and repeated query parameters, and methods the API does not take
generate-duplicate-query-parameters = true
[phases.fuzzing]
enabled = true                  # random values within and outside the document
[phases.stateful]
enabled = false                 # a read-only API: no operation creates what another reads (no links)

[checks]
not_a_server_error.enabled = true            # no 500 for any input
status_code_conformance.enabled = true       # every status answered is documented (400, 404 and 429 included)
content_type_conformance.enabled = true      # JSON, as documented, also for errors (never Django's HTML 404)
response_schema_conformance.enabled = true   # bodies as documented, errors as {"detail"} or {parameter: [messages]}
response_headers_conformance.enabled = true  # documented headers present and valid
positive_data_acceptance.enabled = true      # a value within the documented bounds is never a 400
negative_data_rejection.enabled = true       # a value outside them (anio 1899, municipio of 6 characters,
                                             # "?por_pagina=null&por_pagina=null") is a 4xx. A parameter
                                             # repeated with a valid value is not flagged by schemathesis;
                                             # test_limites.py proves that one is a 400 too
missing_required_header.enabled = true       # none is required: a guard should one be added
unsupported_method.enabled = true            # POST, PUT, DELETE... on a read-only resource: 405, not 200 or 500
allow_header_conformance.enabled = true      # the 405 names the methods allowed (Allow: GET, HEAD, OPTIONS)
use_after_free.enabled = true                # stateful only (no DELETE here): kept for when one is added
ensure_resource_availability.enabled = true  # idem
ignored_auth.enabled = true                  # no security scheme: nothing to ignore, kept as a guard
"""


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
def datos_de_ejemplo(settings):
    settings.API_LIMITE_ANONIMO = "1000000/min"  # the run makes some thousands of calls from one address
    b.reconocidas_en_bloque(6, anio=2023, slug="convocatoria-2023")  # of INFOEM, the builders' authority
    bj.jornada_con_asistentes(4, respondieron=3, ausentes=1)
    bc.aceptadas_en_bloque(factories.AutoridadFactory(), [factories.SujetoFactory()], por_sujeto=3,
                           estados=("publicada", "en_elaboracion"))


# Loaded when the module is collected (schemathesis makes one test per operation from it): the document
# is built from code alone, no database. The calls go to the same WSGI app, during each test.
ESQUEMA = schemathesis.openapi.from_wsgi("/api/v1/esquema/?format=json", WSGIHandler(),
                                         config=SchemathesisConfig.from_str(CONFIGURACION))


def test_el_esquema_documenta_las_doce_operaciones_de_lectura():
    operaciones = [r.ok() for r in ESQUEMA.get_all_operations()]
    assert len(operaciones) == 12
    assert {o.method.upper() for o in operaciones} == {"GET"}


@ESQUEMA.parametrize()
@settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_cada_operacion_responde_como_documenta(case, wsgi_en_la_transaccion_de_la_prueba, datos_de_ejemplo):
    case.call_and_validate()  # no `checks=`: the configured set above
