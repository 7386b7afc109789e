"""Open data downloads: CSV and JSON say the same rows, the dictionary is the CSV's header, the
jornadas datasets carry no personal data, data.json describes every dataset in DCAT, downloads are
counted per dataset and day, and a download runs the same queries whatever its size."""

import csv
import io
import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from compromisos.datos_abiertos import CARTAS
from core import datos_abiertos as da
from core.models import AutoridadGarante, UsoDataset
from evaluacion.datos_abiertos import RECONOCIMIENTOS
from jornadas.datos_abiertos import ASISTENCIA, ENCUESTAS, SESIONES
from portal.datos_abiertos import CONVOCATORIAS, SUJETOS
from tests import factories
from tests.api import builders as b
from tests.compromisos import builders as bc
from tests.jornadas import builders as bj

pytestmark = pytest.mark.django_db

PERSONALES = {"nombre", "correo", "email", "cargo", "telefono", "participante", "curp", "rfc", "ip", "token"}


@pytest.fixture(autouse=True)
def _cache_limpia():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def datos():
    """Recognitions of state and municipal bodies, two published sessions with attendance and
    answers, and one unpublished session whose people must not appear anywhere."""
    b.reconocidas_en_bloque(5)
    ciclo = bj.ciclo_con_jornadas(jornadas=2, asistentes=5, respondieron=3)
    oculta = bj.jornada_con_asistentes(4, respondieron=2, publicada=False)
    bc.aceptadas_en_bloque(factories.AutoridadFactory(), [factories.SujetoFactory()], estados=("publicada",))
    return {"ciclo": ciclo, "oculta": oculta}


def _descargar(client, dataset, formato, **meta):
    response = client.get(reverse("datos:descarga", args=[dataset, formato]), **meta)
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content).decode("utf-8")


OTRO_CLIENTE = "192.0.2.7"  # the test client's address is 127.0.0.1


def _leer_csv(texto):
    lector = csv.reader(io.StringIO(texto, newline=""))
    filas = list(lector)
    return filas[0], filas[1:]


@pytest.mark.parametrize("dataset", list(da.DATASETS))
def test_csv_y_json_tienen_las_mismas_filas(client, datos, dataset):
    _, texto_csv = _descargar(client, dataset, "csv")
    response, texto_json = _descargar(client, dataset, "json")
    assert response["Content-Type"] == "application/json"
    encabezado, filas_csv = _leer_csv(texto_csv)
    filas_json = json.loads(texto_json)
    assert filas_json, "the fixture should give every dataset rows"
    assert [list(f) for f in filas_json] == [encabezado] * len(filas_json)
    assert filas_csv == [[da.valor_csv(f[c]) for c in encabezado] for f in filas_json]


@pytest.mark.parametrize("dataset", list(da.DATASETS))
def test_el_diccionario_es_el_encabezado_del_csv(client, datos, dataset):
    response, texto = _descargar(client, dataset, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="' in response["Content-Disposition"]
    encabezado, _ = _leer_csv(texto)
    ds = da.DATASETS[dataset]
    assert encabezado == [c.nombre for c in ds.campos]
    _, dic_csv = _descargar_diccionario(client, dataset, "csv")
    _, dic_json = _descargar_diccionario(client, dataset, "json")
    assert [f[0] for f in _leer_csv(dic_csv)[1]] == encabezado
    assert [f["campo"] for f in json.loads(dic_json)] == encabezado
    assert all(c.descripcion and c.tipo for c in ds.campos)


def _descargar_diccionario(client, dataset, formato):
    response = client.get(reverse("datos:diccionario", args=[dataset, formato]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content).decode()


def test_fechas_iso_8601_y_sin_filas_de_totales(client, datos):
    _, texto = _descargar(client, RECONOCIMIENTOS, "csv")
    encabezado, filas = _leer_csv(texto)
    i = encabezado.index("vigente_desde")
    for fila in filas:
        assert len(fila[i]) == 10 and fila[i][4] == "-" and fila[i][7] == "-"
        assert "total" not in " ".join(fila).lower()
    assert len(filas) == 5
    _, sesiones = _descargar(client, SESIONES, "csv")
    enc, filas = _leer_csv(sesiones)
    assert filas[0][enc.index("inicio")].endswith("-06:00") or filas[0][enc.index("inicio")].endswith("-05:00")


@pytest.mark.parametrize("dataset", [SESIONES, ASISTENCIA, ENCUESTAS])
def test_jornadas_sin_datos_personales(client, datos, dataset):
    from jornadas.models import Participante

    assert not PERSONALES & {c.nombre for c in da.DATASETS[dataset].campos}
    textos = _descargar(client, dataset, "csv")[1] + _descargar(client, dataset, "json")[1]
    personas = list(Participante.objects.values_list("nombre", "correo", "cargo"))
    assert personas
    for nombre, correo, _cargo in personas:
        assert nombre not in textos and correo not in textos
    assert "Información muy completa" not in textos  # no free-text comments
    assert datos["oculta"].titulo not in textos  # nor anything of an unpublished session


def test_cifras_de_jornadas(client, datos):
    sesiones = json.loads(_descargar(client, SESIONES, "json")[1])
    assert [(s["registrados"], s["asistentes"], s["encuestas_respondidas"]) for s in sesiones] == [(5, 5, 3)] * 2
    asistencia = json.loads(_descargar(client, ASISTENCIA, "json")[1])
    assert sum(f["asistentes"] for f in asistencia) == 10 and all(f["sesiones"] == 2 for f in asistencia)
    encuestas = json.loads(_descargar(client, ENCUESTAS, "json")[1])
    escala = [f for f in encuestas if f["tipo"] == "escala"]
    assert [f["valor"] for f in escala] == [1, 2, 3, 4, 5]
    assert escala[-1]["conteo"] == 6 and escala[-1]["porcentaje"] == 100.0 and escala[-1]["respondieron"] == 6


@pytest.mark.parametrize("n", [3, 40])
def test_descarga_con_consultas_constantes(client, django_assert_num_queries, n):
    """The counter's UPDATE, then the rows' query twice (the ETag, then the body), whatever their number."""
    b.reconocidas_en_bloque(n)
    _descargar(client, RECONOCIMIENTOS, "csv")  # the day's counter row exists from here on
    with django_assert_num_queries(3):
        _, texto = _descargar(client, RECONOCIMIENTOS, "csv", REMOTE_ADDR=OTRO_CLIENTE)
    assert texto.count("\n") == n + 1


# The counter's UPDATE and the rows' queries twice (the ETag, then the body).
@pytest.mark.parametrize("dataset, consultas", [(CONVOCATORIAS, 3), (SUJETOS, 3), (SESIONES, 3),
                                                (ASISTENCIA, 3), (ENCUESTAS, 7), (CARTAS, 3)])
@pytest.mark.parametrize("escala", [1, 4])
def test_otras_descargas_con_consultas_constantes(client, django_assert_num_queries, dataset, consultas, escala):
    for _ in range(escala):
        b.reconocidas_en_bloque(2)
        bj.ciclo_con_jornadas(jornadas=escala, asistentes=2 * escala, respondieron=escala)
        bc.aceptadas_en_bloque(factories.AutoridadFactory(), [factories.SujetoFactory()], por_sujeto=escala)
    _descargar(client, dataset, "json")
    with django_assert_num_queries(consultas):
        _descargar(client, dataset, "json", REMOTE_ADDR=OTRO_CLIENTE)


def test_descargas_se_cuentan_por_dataset_formato_y_dia(client, datos):
    """Each client once per dataset, channel and day (core.reuso): a second download, in the same
    format or another, by the same client the same day is not a second use."""
    for _ in range(2):
        _descargar(client, RECONOCIMIENTOS, "csv")
    _descargar(client, RECONOCIMIENTOS, "json")
    _descargar(client, RECONOCIMIENTOS, "json", REMOTE_ADDR=OTRO_CLIENTE)
    _descargar_diccionario(client, RECONOCIMIENTOS, "csv")  # the dictionary is not a use of the data
    client.get(reverse("datos:catalogo_dcat"))
    client.get(reverse("api:practica-reconocida-list"))
    usos = {(u.dataset, u.canal, u.formato): u.conteo for u in UsoDataset.objects.all()}
    assert usos == {
        (RECONOCIMIENTOS, "descarga", "csv"): 1,
        (RECONOCIMIENTOS, "descarga", "json"): 1,
        (RECONOCIMIENTOS, "api", "json"): 1,
    }
    assert {f.name for f in UsoDataset._meta.get_fields()} == {"id", "dataset", "formato", "canal", "dia", "conteo"}


def test_contador_concurrente_no_pierde_usos():
    """The first use of the day creates the row; a second writer that finds it made adds to it."""
    da.uso_registrar(dataset=SESIONES, formato="csv", canal="descarga")
    UsoDataset.objects.filter(dataset=SESIONES).update(conteo=41)
    da.uso_registrar(dataset=SESIONES, formato="csv", canal="descarga")
    assert UsoDataset.objects.get(dataset=SESIONES).conteo == 42


def test_pagina_de_datos_abiertos_muestra_diccionarios_descargas_y_usos(client, datos):
    _descargar(client, RECONOCIMIENTOS, "csv")
    for direccion in ("10.0.0.1", OTRO_CLIENTE):  # two clients: two uses
        client.get(reverse("api:practica-reconocida-list"), REMOTE_ADDR=direccion)
    response = client.get(reverse("datos:inicio"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "El portal mide su propia reutilización" in html
    assert re.search(r"1 descarga\s+y 2 consultas a la API", html)
    for ds in da.DATASETS.values():
        assert reverse("datos:descarga", args=[ds.id, "csv"]) in html
        assert reverse("datos:descarga", args=[ds.id, "json"]) in html
        for campo in ds.campos:
            assert f"<code>{campo.nombre}</code>" in html
    assert reverse("datos:catalogo_dcat") in html and reverse("api:docs") in html


@pytest.mark.parametrize("escala", [1, 3])
def test_pagina_de_datos_abiertos_con_consultas_constantes(client, django_assert_num_queries, escala):
    """The portal's authority, the reuse totals and their first day, and one date per dataset."""
    for _ in range(escala):
        b.reconocidas_en_bloque(2 * escala)
        bj.ciclo_con_jornadas(jornadas=escala, asistentes=escala, respondieron=1)
        _descargar(client, SESIONES, "csv")
    with django_assert_num_queries(3 + len(da.DATASETS)):
        assert client.get(reverse("datos:inicio")).status_code == 200


def test_catalogo_dcat(client, datos, autoridad, settings):
    # The instance publishes its catalogue (one instance hosts several authorities), with the whole
    # file and one per authority among each dataset's distributions.
    settings.PORTAL_NOMBRE, settings.PORTAL_CORREO = "Portal de reconocimientos", "datos@portal.ejemplo.mx"
    response = client.get(reverse("datos:catalogo_dcat"))
    assert response.status_code == 200
    catalogo = response.json()
    assert catalogo["@type"] == "dcat:Catalog" and catalogo["conformsTo"].endswith("/v1.1/schema")
    assert len(catalogo["dataset"]) == len(da.DATASETS)
    for entrada in catalogo["dataset"]:
        for campo in ("title", "description", "modified", "publisher", "contactPoint", "license", "distribution",
                      "identifier", "accessLevel", "keyword"):
            assert entrada[campo], campo
        assert entrada["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert entrada["publisher"]["name"] == "Portal de reconocimientos"
        assert entrada["contactPoint"]["hasEmail"] == "mailto:datos@portal.ejemplo.mx"
        assert {d["mediaType"] for d in entrada["distribution"]} == {"text/csv", "application/json"}
        por_autoridad = [d for d in entrada["distribution"] if "?autoridad=" in d["downloadURL"]]
        assert len(por_autoridad) == 2 * AutoridadGarante.objects.count() == len(entrada["distribution"]) - 3
        excel = [d for d in entrada["distribution"] if d["downloadURL"].endswith("?excel=1")]
        assert len(excel) == 1 and excel[0]["mediaType"] == "text/csv" and "BOM" in excel[0]["description"]
        de_esta = [d for d in por_autoridad if d["downloadURL"].endswith(f"?autoridad={autoridad.slug}")]
        assert len(de_esta) == 2 and all(autoridad.nombre in d["description"] for d in de_esta)
        for distribucion in entrada["distribution"]:
            url = distribucion["downloadURL"]
            assert url.startswith(f"{settings.SITE_URL}/datos/")
            assert client.get(url.removeprefix(settings.SITE_URL)).status_code == 200


def test_dataset_o_formato_desconocido_404(client):
    assert client.get("/datos/no-existe.csv").status_code == 404
    assert client.get("/datos/convocatorias.xml").status_code == 404
    assert not UsoDataset.objects.exists()
