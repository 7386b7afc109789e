"""The API with two authorities on one instance: every row names its authority as an object
{siglas, nombre, slug}, every list filters by `?autoridad=<slug>`, an unknown value or an unknown
parameter is a 400 in Spanish (never silently ignored), the OpenAPI document says so, and the
query count does not grow with the rows."""

import pytest
from django.urls import reverse

from convocatorias.models import Convocatoria
from core.models import UsoDataset
from tests import factories
from tests.api import builders as b

pytestmark = pytest.mark.django_db

# Every list of the API, by its route name.
LISTAS = ["practica-reconocida", "convocatoria", "sujeto", "sesion", "asistencia-sujeto", "resultado-encuesta",
          "carta-compromiso"]


@pytest.fixture
def escena(settings):
    # Tiny sessions (2 and 1 survey answers) to check the authority filter: the survey group minimum
    # (5, below which results are withheld: tests/jornadas/test_encuesta_grupos.py) is 1 here.
    settings.JORNADAS_ENCUESTA_MINIMO = 1
    return b.dos_autoridades()


def _get(client, nombre, **params):
    return client.get(reverse(f"api:{nombre}-list"), params)


def _filas(client, nombre, **params):
    response = _get(client, nombre, por_pagina=500, **params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _objeto(autoridad) -> dict:
    return {"siglas": autoridad.siglas, "nombre": autoridad.nombre, "slug": autoridad.slug}


@pytest.mark.parametrize("nombre", LISTAS)
def test_cada_lista_nombra_la_autoridad_y_filtra_por_ella(client, escena, nombre):
    todas = _filas(client, nombre)
    assert todas
    assert {f["autoridad"]["slug"] for f in todas} == {"infoem", "cotai"}
    for clave in ("infoem", "cotai"):
        filas = _filas(client, nombre, autoridad=clave)
        assert filas, clave
        assert all(f["autoridad"] == _objeto(escena[clave]) for f in filas), clave
        assert "autoridad_siglas" not in filas[0] and "autoridad_slug" not in filas[0]
    # The two halves are the whole list: nothing lost, nothing twice.
    assert len(_filas(client, nombre, autoridad="infoem")) + len(_filas(client, nombre, autoridad="cotai")) \
        == len(todas)


def test_practicas_reconocidas_de_cada_autoridad(client, escena):
    cotai = _filas(client, "practica-reconocida", autoridad="cotai")
    assert len(cotai) == 2
    assert {f["sujeto"] for f in cotai} == {"Secretaría de Finanzas de Nuevo León", "Ayuntamiento de Monterrey"}
    assert {f["convocatoria_slug"] for f in cotai} == {escena["conv_cotai"].slug}
    # Combined with the other filters of the catalogue.
    municipales = _filas(client, "practica-reconocida", autoridad="infoem", orden="municipal")
    assert {f["sujeto"] for f in municipales} == {"Ayuntamiento de Metepec"}


def test_sujetos_con_la_autoridad_de_su_entidad(client, escena):
    filas = {f["id"]: f for f in _filas(client, "sujeto")}
    for clave in ("infoem", "cotai"):
        for sujeto in escena["sujetos"][clave]:
            assert filas[sujeto.pk]["autoridad"] == _objeto(escena[clave])
    sin_autoridad = factories.SujetoFactory(nombre="Secretaría de Jalisco", entidad_clave="14")
    fila = client.get(reverse("api:sujeto-detail", args=[sin_autoridad.pk])).json()
    assert fila["autoridad"] is None  # no authority serves its entidad
    assert sin_autoridad.pk not in {f["id"] for f in _filas(client, "sujeto", autoridad="cotai")}
    assert {f["entidad_clave"] for f in _filas(client, "sujeto", autoridad="cotai")} == {"19"}


def test_detalle_tambien_nombra_la_autoridad(client, escena):
    conv = escena["conv_cotai"]
    assert client.get(reverse("api:convocatoria-detail", args=[conv.slug])).json()["autoridad"] == \
        _objeto(escena["cotai"])
    sesion = escena["jornada_infoem"]
    assert client.get(reverse("api:sesion-detail", args=[sesion.slug])).json()["autoridad"]["siglas"] == "INFOEM"


# --- an unknown value is a 400 -----------------------------------------------------------------------

@pytest.mark.parametrize("nombre", LISTAS)
def test_autoridad_desconocida_responde_400_en_espanol(client, escena, nombre):
    response = _get(client, nombre, autoridad="no-existe")
    assert response.status_code == 400
    errores = response.json()
    assert list(errores) == ["autoridad"]
    assert errores["autoridad"][0].startswith("Seleccione una opción válida.")
    assert not UsoDataset.objects.exists()  # a refused call is not a use


def test_convocatoria_desconocida_o_borrador_responde_400(client, escena):
    borrador = factories.ConvocatoriaFactory(autoridad=escena["cotai"], estado=Convocatoria.Estado.BORRADOR)
    for slug in ("no-existe", borrador.slug):
        response = _get(client, "practica-reconocida", convocatoria=slug)
        assert response.status_code == 400, slug
        assert response.json()["convocatoria"][0].startswith("Seleccione una opción válida.")
    # A public call whose results are not out yet is a valid choice with nothing to list.
    abierta = factories.ConvocatoriaFactory(autoridad=escena["cotai"])
    assert _filas(client, "practica-reconocida", convocatoria=abierta.slug) == []
    assert len(_filas(client, "practica-reconocida", convocatoria=escena["conv_cotai"].slug)) == 2


# --- an unknown parameter is a 400 -------------------------------------------------------------------

@pytest.mark.parametrize("nombre", LISTAS)
def test_parametro_desconocido_responde_400_y_nombra_los_admitidos(client, escena, nombre):
    response = _get(client, nombre, autoridades="cotai")  # a typo for "autoridad"
    assert response.status_code == 400
    mensaje = response.json()["autoridades"][0]
    assert mensaje.startswith("Parámetro no admitido. Se admiten: ")
    assert "autoridad" in mensaje and "pagina" in mensaje and "por_pagina" in mensaje
    assert not UsoDataset.objects.exists()
    # The standard ones are not unknown.
    assert _get(client, nombre, format="json", pagina=1, por_pagina=5).status_code == 200


def test_parametros_admitidos_son_los_de_cada_lista(client, escena):
    mensaje = _get(client, "practica-reconocida", x="1").json()["x"][0]
    assert mensaje == ("Parámetro no admitido. Se admiten: anio, autoridad, convocatoria, municipio, orden, "
                       "orden_por, pagina, por_pagina, q, sujeto, vigencia.")
    assert _get(client, "resultado-encuesta", x="1").json()["x"][0] == \
        "Parámetro no admitido. Se admiten: autoridad, pagina, por_pagina."


def test_parametro_desconocido_en_el_detalle(client, escena):
    url = reverse("api:convocatoria-detail", args=[escena["conv_cotai"].slug])
    response = client.get(url, {"pagina": "2"})  # no pages in a detail
    assert response.status_code == 400
    assert response.json()["pagina"][0] == "Parámetro no admitido. Se admiten: anio, autoridad."
    assert client.get(url, {"format": "json"}).status_code == 200
    # A detail's filters still narrow it: another authority's call is not found there.
    assert client.get(url, {"autoridad": "infoem"}).status_code == 404


# --- the OpenAPI document ----------------------------------------------------------------------------

def test_el_esquema_documenta_el_parametro_y_el_objeto(client):
    esquema = client.get(reverse("api:esquema"), {"format": "json"}).json()
    listas = {ruta: ops["get"] for ruta, ops in esquema["paths"].items() if "{" not in ruta}
    assert len(listas) == len(LISTAS)
    for ruta, operacion in listas.items():
        parametros = {p["name"]: p for p in operacion["parameters"]}
        assert "autoridad" in parametros, ruta
        assert parametros["autoridad"]["in"] == "query" and parametros["autoridad"]["schema"]["type"] == "string"
        assert "400" in parametros["autoridad"]["description"], ruta
        assert operacion["responses"]["400"]["content"]["application/json"]["schema"]["$ref"] == \
            "#/components/schemas/ErroresDeFiltro"
    for ruta, operaciones in esquema["paths"].items():  # a detail answers 400 to an unknown parameter too
        assert "400" in operaciones["get"]["responses"], ruta
    esquemas = esquema["components"]["schemas"]
    assert set(esquemas["Autoridad"]["properties"]) == {"siglas", "nombre", "slug"}
    for nombre in ("PracticaReconocida", "Convocatoria", "Sujeto", "Sesion", "AsistenciaSujeto", "ResultadoEncuesta",
                   "Compromiso"):
        propiedad = esquemas[nombre]["properties"]["autoridad"]
        assert propiedad["allOf"] == [{"$ref": "#/components/schemas/Autoridad"}], nombre
        assert "autoridad_siglas" in propiedad["description"], nombre
    assert esquemas["Sujeto"]["properties"]["autoridad"].get("nullable") is True  # an entidad no one serves


# --- queries -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 20])
def test_filtrar_por_autoridad_con_consultas_constantes(client, django_assert_num_queries, n):
    """The slug's lookup, count, page, and the reuse counter's UPDATE: the same at both sizes."""
    escena = b.dos_autoridades(n_infoem=n, n_cotai=n, jornadas=False)
    _get(client, "practica-reconocida")  # creates today's counter row
    client.defaults["REMOTE_ADDR"] = "192.0.2.7"  # another client: a use of its own (core.reuso)
    with django_assert_num_queries(4):
        filas = _filas(client, "practica-reconocida", autoridad="cotai")
    assert len(filas) == n and {f["autoridad"]["slug"] for f in filas} == {escena["cotai"].slug}
    client.defaults["REMOTE_ADDR"] = "127.0.0.1"
    _get(client, "convocatoria")
    client.defaults["REMOTE_ADDR"] = "192.0.2.7"
    with django_assert_num_queries(4):
        assert len(_filas(client, "convocatoria", autoridad="cotai")) == 1
