"""What schemathesis found, one case each: the bounds the filters enforce are the ones the document
states, a parameter given twice or a page outside the documented range is a 400, and every error
under /api/ is JSON in Spanish, also for a path the router does not take."""

import pytest
from django.urls import reverse

from core.filtros import ANIO_MAXIMO, ANIO_MINIMO
from core.models import UsoDataset
from tests.api import builders as b
from tests.jornadas import builders as bj

pytestmark = pytest.mark.django_db


def _parametros(client, ruta: str) -> dict[str, dict]:
    esquema = client.get(reverse("api:esquema"), {"format": "json"}).json()
    return {p["name"]: p["schema"] for p in esquema["paths"][ruta]["get"]["parameters"]}


def test_el_documento_dice_los_limites_que_el_filtro_aplica(client):
    for ruta in ("/api/v1/practicas-reconocidas/", "/api/v1/convocatorias/", "/api/v1/jornadas/sesiones/",
                 "/api/v1/jornadas/asistencia-por-sujeto/"):
        parametros = _parametros(client, ruta)
        assert parametros["anio"] == {"type": "integer", "minimum": ANIO_MINIMO, "maximum": ANIO_MAXIMO}, ruta
        assert parametros["pagina"] == {"type": "integer", "minimum": 1}, ruta
        assert parametros["por_pagina"] == {"type": "integer", "minimum": 1, "maximum": 500}, ruta
    parametros = _parametros(client, "/api/v1/practicas-reconocidas/")
    assert parametros["municipio"] == {"type": "string", "maxLength": 5}
    assert parametros["q"] == {"type": "string", "maxLength": 200}
    assert parametros["sujeto"] == {"type": "integer", "minimum": 1}
    assert parametros["orden"]["enum"] == ["estatal", "municipal", ""]  # empty: no filter
    assert _parametros(client, "/api/v1/jornadas/sesiones/")["ciclo"] == {"type": "string", "maxLength": 120}


@pytest.mark.parametrize(("parametros", "campo"), [
    ({"anio": str(ANIO_MINIMO - 1)}, "anio"),
    ({"anio": str(ANIO_MAXIMO + 1)}, "anio"),
    ({"anio": "2023.5"}, "anio"),
    ({"municipio": "150721"}, "municipio"),
    ({"sujeto": "0"}, "sujeto"),
    ({"pagina": "0"}, "pagina"),
    ({"pagina": "abc"}, "pagina"),
    ({"pagina": "last"}, "pagina"),
    ({"por_pagina": "0"}, "por_pagina"),
    ({"por_pagina": "501"}, "por_pagina"),
    ({"por_pagina": "null"}, "por_pagina"),
])
def test_fuera_de_los_limites_es_400_con_el_parametro(client, parametros, campo):
    b.reconocidas_en_bloque(2, anio=2023)
    response = client.get(reverse("api:practica-reconocida-list"), parametros)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [campo]
    assert not UsoDataset.objects.exists()  # a refused call is no use of the data


def test_en_los_limites_responde_200(client):
    b.reconocidas_en_bloque(2, anio=2023)
    url = reverse("api:practica-reconocida-list")
    for parametros in ({"anio": ANIO_MINIMO}, {"anio": ANIO_MAXIMO}, {"municipio": "15072"}, {"por_pagina": 500},
                       {"por_pagina": 1, "pagina": 2}, {"orden": ""}):
        assert client.get(url, parametros).status_code == 200, parametros
    assert client.get(url, {"pagina": 3, "por_pagina": 1}).status_code == 404  # past the last page


def test_anio_maximo_en_una_fecha_con_hora_no_es_un_error_del_servidor(client):
    """A year lookup on a date-time with 9999 overflowed (a 500): the bound is below it."""
    bj.jornada_con_asistentes(2)
    for nombre in ("sesion", "asistencia-sujeto"):
        response = client.get(reverse(f"api:{nombre}-list"), {"anio": ANIO_MAXIMO})
        assert response.status_code == 200, nombre
        assert response.json()["count"] == 0


@pytest.mark.parametrize("parametro", ["anio", "por_pagina", "orden"])
def test_parametro_repetido_es_400(client, parametro):
    valores = {"anio": ["2023", "2024"], "por_pagina": ["5", "5"], "orden": ["estatal", "municipal"]}[parametro]
    response = client.get(reverse("api:practica-reconocida-list"), {parametro: valores})
    assert response.status_code == 400
    assert response.json() == {parametro: ["Este parámetro se indicó más de una vez; indíquelo una sola vez."]}


def test_metodo_no_admitido_es_405_aunque_traiga_parametros(client):
    response = client.post(reverse("api:convocatoria-list") + "?pagina=1&x=2")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Método "POST" no permitido.'}
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("ruta", [
    "/api/v1/practicas-reconocidas/abc/",   # the router takes digits only
    "/api/v1/practicas-reconocidas/1.5/",
    "/api/v1/convocatorias/con%20espacio/",
    "/api/v1/no-existe/",
    "/api/v2/convocatorias/",
])
def test_ruta_mal_formada_es_404_json_en_espanol(client, ruta):
    response = client.get(ruta)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "No se encontró el recurso solicitado."}


def test_objeto_que_no_existe_es_404_en_espanol(client):
    b.reconocidas_en_bloque(1)
    for ruta in (reverse("api:practica-reconocida-detail", args=[999_999]),
                 reverse("api:sujeto-detail", args=[999_999]),
                 reverse("api:convocatoria-detail", args=["no-existe"]),
                 reverse("api:sesion-detail", args=["no-existe"])):
        response = client.get(ruta)
        assert response.status_code == 404, ruta
        assert response.json() == {"detail": "No se encontró el recurso solicitado."}, ruta
        assert "matches the given query" not in response.content.decode()


def test_el_esquema_responde_sus_errores_en_json(client):
    response = client.get(reverse("api:esquema"), {"format": "xml"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "No se encontró el recurso solicitado."}


def test_la_raiz_no_admite_parametros(client):
    response = client.get(reverse("api:api-root"), {"x": "1"})
    assert response.status_code == 400
    assert response.json() == {"x": ["Parámetro no admitido: este recurso no acepta parámetros de consulta."]}
    assert client.get(reverse("api:api-root"), {"format": "json"}).status_code == 200
