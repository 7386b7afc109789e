"""The API's documentation page: server-rendered from the OpenAPI document, in the portal's frame
(Swagger UI failed axe), with every operation, its parameters and their bounds, its responses, the
fields of its rows, an example and the document's downloads."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from core.api_documentacion import documento, operaciones
from core.filtros import ANIO_MAXIMO, ANIO_MINIMO

pytestmark = pytest.mark.django_db


@pytest.fixture
def html(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_la_pagina_esta_en_el_marco_del_portal_y_en_espanol(html):
    assert html.startswith("<!doctype html>\n<html lang=\"es-MX\">")
    assert "<h1 class=\"h3\">Documentación de la API</h1>" in html
    assert "swagger" not in html.lower()


def test_cada_operacion_del_documento_tiene_su_seccion(html):
    ops = operaciones(documento())
    assert len(ops) == 12
    for op in ops:
        assert f'id="{op.id}"' in html and f'href="#{op.id}"' in html
        assert f"<code>{op.ruta}</code>" in html
    assert html.count('class="operacion-api ') == 12


def test_los_parametros_dicen_tipo_y_limites(html):
    assert f"integer; mínimo {ANIO_MINIMO}; máximo {ANIO_MAXIMO}" in html
    assert "string; hasta 5 caracteres" in html  # municipio
    assert "integer; mínimo 1; máximo 500" in html  # por_pagina
    assert re.search(r"Valores: <code>estatal</code>, <code>municipal</code>, <code>«»</code>", html)
    assert "obligatorio" in html  # the path's id and slug


def test_las_respuestas_y_los_campos_de_las_filas(html):
    for codigo in ("200", "400", "404", "429"):
        assert f"<code>{codigo}</code>" in html
    assert "Campos de cada elemento de results" in html
    assert "<code>folio</code>" in html and "<code>autoridad</code>" in html


def test_ejemplo_curl_con_la_direccion_publica(html):
    assert f"curl -H &#x27;Accept: application/json&#x27; &#x27;{settings.SITE_URL}/api/v1/practicas-reconocidas/" \
           "?por_pagina=10&#x27;" in html
    assert f"{settings.SITE_URL}/api/v1/practicas-reconocidas/1/" in html


def test_enlaces_al_documento_openapi(client, html):
    url = reverse("api:esquema")
    assert f'href="{url}?format=json"' in html and f'href="{url}"' in html
    assert client.get(url, {"format": "json"}).json()["openapi"].startswith("3.")


def test_sin_codigo_en_linea_ni_recursos_externos(html):
    assert not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r'\sstyle="', html)


def test_las_descripciones_sin_la_lista_en_markdown_de_drf_spectacular(html):
    assert "* `" not in html and "`estatal`" not in html
    assert "Correcto: la respuesta en JSON." in html
