"""Open data with two authorities on one instance: every dataset names the authority of each row
(autoridad_siglas, autoridad, autoridad_slug, in its data dictionary too), a download narrows to one
with `?autoridad=<slug>` and stays streamed, an unknown slug or parameter is a 400 in Spanish in the
download's format, the embargo still holds, and the query count does not grow with the rows."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from compromisos.datos_abiertos import CARTAS
from core import datos_abiertos as da
from core.models import UsoDataset
from evaluacion.datos_abiertos import RECONOCIMIENTOS
from jornadas.datos_abiertos import ASISTENCIA, ENCUESTAS, SESIONES
from portal.datos_abiertos import CONVOCATORIAS, SUJETOS
from tests.api import builders as b

pytestmark = pytest.mark.django_db

COLUMNAS = ["autoridad_siglas", "autoridad", "autoridad_slug"]


@pytest.fixture(autouse=True)
def _cache_limpia():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def escena(settings):
    # Tiny sessions (2 and 1 survey answers) to check the authority filter: the survey group minimum
    # (5, below which results are withheld: tests/jornadas/test_encuesta_grupos.py) is 1 here.
    settings.JORNADAS_ENCUESTA_MINIMO = 1
    return b.dos_autoridades()


def _descargar(client, dataset, formato, **params):
    response = client.get(reverse("datos:descarga", args=[dataset, formato]), params)
    assert response.status_code == 200, response.content
    assert response.streaming  # filtered or not, never built in memory
    texto = b"".join(response.streaming_content).decode("utf-8")
    if formato == "json":
        return json.loads(texto)
    filas = list(csv.reader(io.StringIO(texto, newline="")))
    return [dict(zip(filas[0], fila, strict=True)) for fila in filas[1:]]


@pytest.mark.parametrize("dataset", list(da.DATASETS))
def test_cada_dataset_documenta_las_columnas_de_la_autoridad(client, dataset):
    campos = {c.nombre: c for c in da.DATASETS[dataset].campos}
    assert set(COLUMNAS) <= set(campos)
    assert "autoridad garante" in str(campos["autoridad_siglas"].descripcion)
    response = client.get(reverse("datos:diccionario", args=[dataset, "json"]))
    diccionario = {f["campo"]: f for f in json.loads(b"".join(response.streaming_content))}
    for columna in COLUMNAS:
        assert diccionario[columna]["tipo"] == "texto" and diccionario[columna]["descripcion"]
    assert "?autoridad=" in diccionario["autoridad_slug"]["descripcion"]


@pytest.mark.parametrize("formato", ["csv", "json"])
@pytest.mark.parametrize("dataset", list(da.DATASETS))
def test_cada_dataset_filtra_por_autoridad(client, escena, dataset, formato):
    todas = _descargar(client, dataset, formato)
    assert {f["autoridad_slug"] for f in todas} == {"infoem", "cotai"}
    partes = 0
    for clave in ("infoem", "cotai"):
        autoridad = escena[clave]
        filas = _descargar(client, dataset, formato, autoridad=clave)
        assert filas, clave
        for fila in filas:
            assert [fila[c] for c in COLUMNAS] == [autoridad.siglas, autoridad.nombre, autoridad.slug]
        partes += len(filas)
    assert partes == len(todas)


def test_filas_de_cada_autoridad(client, escena):
    cotai = _descargar(client, RECONOCIMIENTOS, "json", autoridad="cotai")
    assert {f["sujeto"] for f in cotai} == {"Secretaría de Finanzas de Nuevo León", "Ayuntamiento de Monterrey"}
    assert {f["convocatoria_slug"] for f in cotai} == {escena["conv_cotai"].slug}
    assert [f["slug"] for f in _descargar(client, CONVOCATORIAS, "json", autoridad="cotai")] == \
        [escena["conv_cotai"].slug]
    assert {f["entidad_clave"] for f in _descargar(client, SUJETOS, "json", autoridad="cotai")} == {"19"}
    assert [f["slug"] for f in _descargar(client, SESIONES, "json", autoridad="infoem")] == \
        [escena["jornada_infoem"].slug]
    assert sum(f["asistentes"] for f in _descargar(client, ASISTENCIA, "json", autoridad="cotai")) == 2
    escala = [f for f in _descargar(client, ENCUESTAS, "json", autoridad="cotai") if f["tipo"] == "escala"]
    assert escala and {f["respondieron"] for f in escala} == {1}


def test_embargo_se_mantiene_al_filtrar(client, escena):
    """A call of COTAI whose results second has not come: nothing of it, filtered or not."""
    futura = b.reconocidas_en_bloque(2, autoridad=escena["cotai"], sujetos=escena["sujetos"]["cotai"],
                                     hace_dias=-5)
    for params in ({}, {"autoridad": "cotai"}):
        filas = _descargar(client, RECONOCIMIENTOS, "json", **params)
        assert futura.slug not in {f["convocatoria_slug"] for f in filas}
    convocatorias = {f["slug"]: f for f in _descargar(client, CONVOCATORIAS, "json", autoridad="cotai")}
    assert convocatorias[futura.slug]["practicas_reconocidas"] == 0


# --- 400s --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dataset", list(da.DATASETS))
def test_autoridad_desconocida_responde_400_en_el_formato_pedido(client, escena, dataset):
    response = client.get(reverse("datos:descarga", args=[dataset, "json"]), {"autoridad": "no-existe"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["autoridad"][0].startswith("Seleccione una opción válida.")
    response = client.get(reverse("datos:descarga", args=[dataset, "csv"]), {"autoridad": "no-existe"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("autoridad: Seleccione una opción válida.")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not UsoDataset.objects.exists()  # a refused download is not a use


def test_parametro_desconocido_responde_400(client, escena):
    response = client.get(reverse("datos:descarga", args=[RECONOCIMIENTOS, "json"]), {"anio": "2023"})
    assert response.status_code == 400
    assert response.json() == {"anio": ["Parámetro no admitido. Se admiten: autoridad."]}
    response = client.get(reverse("datos:descarga", args=[SESIONES, "csv"]), {"autoridad": "cotai", "x": "1"})
    assert response.status_code == 400
    assert response.content.decode() == "x: Parámetro no admitido. Se admiten: autoridad, excel.\n"  # CSV only
    response = client.get(reverse("datos:diccionario", args=[SESIONES, "json"]), {"autoridad": "cotai"})
    assert response.status_code == 400
    assert response.json()["autoridad"] == ["Parámetro no admitido: este recurso no acepta parámetros de consulta."]
    assert not UsoDataset.objects.exists()


def test_descarga_filtrada_se_cuenta_como_uso(client, escena):
    _descargar(client, RECONOCIMIENTOS, "csv", autoridad="cotai")
    assert UsoDataset.objects.get().conteo == 1


def test_head_de_una_descarga_no_se_cuenta_como_uso(client, escena):
    """A link checker's HEAD gets the download's headers, and is not a download (the API counts GET only)."""
    response = client.head(reverse("datos:descarga", args=[RECONOCIMIENTOS, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert not UsoDataset.objects.exists()


# --- data.json and the page --------------------------------------------------------------------------

def test_data_json_ofrece_cada_autoridad(client, escena):
    catalogo = client.get(reverse("datos:catalogo_dcat")).json()
    for entrada in catalogo["dataset"]:
        urls = [d["downloadURL"].removeprefix(settings.SITE_URL) for d in entrada["distribution"]]
        cotai = [u for u in urls if u.endswith("?autoridad=cotai")]
        assert len(cotai) == 2
        filas = json.loads(b"".join(client.get(next(u for u in cotai if ".json?" in u)).streaming_content))
        assert filas and {f["autoridad_slug"] for f in filas} == {"cotai"}


def test_pagina_de_datos_abiertos_explica_el_filtro(client, escena):
    html = client.get(reverse("datos:inicio")).content.decode()
    assert "<code>?autoridad=infoem</code>" in html and "<code>?autoridad=cotai</code>" in html
    assert f'<abbr title="{escena["cotai"].nombre}">COTAI</abbr>' in html


# --- queries -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("dataset, consultas", [(RECONOCIMIENTOS, 4), (CONVOCATORIAS, 4), (SUJETOS, 4),
                                                (SESIONES, 4), (ASISTENCIA, 4), (ENCUESTAS, 8), (CARTAS, 4)])
@pytest.mark.parametrize("escala", [1, 4])
def test_descarga_filtrada_con_consultas_constantes(client, django_assert_num_queries, dataset, consultas, escala,
                                                    settings):
    """The slug's lookup, then what the unfiltered download runs (the counter's UPDATE, and its rows
    twice: once for the ETag, once for the body)."""
    settings.JORNADAS_ENCUESTA_MINIMO = 1  # small sessions; the survey group minimum is tested elsewhere
    escena = b.dos_autoridades(n_infoem=2 * escala, n_cotai=3 * escala)
    for _ in range(escala - 1):
        b.bj.jornada_con_asistentes(2 * escala, respondieron=escala, autoridad_=escena["cotai"],
                                    sujetos_=escena["sujetos"]["cotai"])
    _descargar(client, dataset, "json", autoridad="cotai")
    client.defaults["REMOTE_ADDR"] = "192.0.2.7"  # another client: its download is counted too
    with django_assert_num_queries(consultas):
        filas = _descargar(client, dataset, "json", autoridad="cotai")
    assert filas

