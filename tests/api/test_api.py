"""The read-only API: what it lists, with the catalogue's filters, at a fixed query count, counted
per dataset and day, and rate-limited for anonymous clients."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from core.models import UsoDataset
from evaluacion.catalogo import reconocimientos_publicos
from evaluacion.filtros import CatalogoFilter
from practicas.models import SujetoObligado
from tests.api import builders as b
from tests.jornadas import builders as bj

pytestmark = pytest.mark.django_db


OTRO_CLIENTE = {"REMOTE_ADDR": "192.0.2.7"}  # the test client is 127.0.0.1; a use counts once per client a day


def _lista(client, nombre, meta=None, **params):
    response = client.get(reverse(f"api:{nombre}-list"), params, **(meta or {}))
    assert response.status_code == 200, response.content
    return response.json()


def test_practicas_reconocidas_lista_los_campos_del_diccionario(client):
    conv = b.reconocidas_en_bloque(3)
    datos = _lista(client, "practica-reconocida")
    assert datos["count"] == 3
    fila = datos["results"][0]
    from evaluacion.datos_abiertos import CAMPOS_RECONOCIMIENTOS

    # The dictionary's fields, with the authority's three columns as one object where they stand.
    esperados = [c.nombre for c in CAMPOS_RECONOCIMIENTOS if c.nombre not in ("autoridad", "autoridad_slug")]
    assert list(fila) == [("autoridad" if n == "autoridad_siglas" else n) for n in esperados]
    assert fila["autoridad"] == {"siglas": conv.autoridad.siglas, "nombre": conv.autoridad.nombre,
                                 "slug": conv.autoridad.slug}
    assert fila["convocatoria_slug"] == conv.slug
    assert fila["estado_vigencia"] == "vigente"
    assert fila["url_practica"] == f"{settings.SITE_URL}/practicas-reconocidas/{fila['id']}/"
    assert client.get(fila["url_practica"].removeprefix(settings.SITE_URL)).status_code == 200
    assert "contacto_correo" not in fila and "contacto@ejemplo.gob.mx" not in str(datos)


def test_practica_reconocida_detalle_por_id_de_practica(client):
    b.reconocidas_en_bloque(2)
    rec = reconocimientos_publicos().first()
    practica_id = rec.dictamen.practica_id
    response = client.get(reverse("api:practica-reconocida-detail", args=[practica_id]))
    assert response.status_code == 200
    assert response.json()["folio"] == rec.documento.folio
    assert client.get(reverse("api:practica-reconocida-detail", args=[practica_id + 10_000])).status_code == 404


@pytest.mark.parametrize("parametros", [
    {"orden": "municipal"}, {"orden": "estatal"}, {"vigencia": "vigente"}, {"vigencia": "historica"},
    {"orden_por": "nombre"}, {"anio": "2001"},
])
def test_filtros_de_la_api_son_los_del_catalogo(client, parametros):
    b.reconocidas_en_bloque(4, anio=2001)
    b.reconocidas_en_bloque(3, anio=2002)
    esperado = [r.dictamen.practica_id for r in CatalogoFilter(parametros, queryset=reconocimientos_publicos()).qs]
    datos = _lista(client, "practica-reconocida", **parametros)
    assert [f["id"] for f in datos["results"]] == esperado
    assert datos["count"] == len(esperado)


def test_filtro_por_sujeto_y_municipio(client):
    sujetos = b.sujetos_mixtos(2)
    b.reconocidas_en_bloque(4, sujetos=sujetos)
    estatal, municipal = sujetos
    assert {f["sujeto_id"] for f in _lista(client, "practica-reconocida", sujeto=estatal.pk)["results"]} == {estatal.pk}
    filas = _lista(client, "practica-reconocida", municipio=municipal.municipio_id)["results"]
    assert len(filas) == 2 and {f["municipio_cvegeo"] for f in filas} == {municipal.municipio_id}


def test_filtro_invalido_responde_400(client):
    response = client.get(reverse("api:practica-reconocida-list"), {"vigencia": "para-siempre"})
    assert response.status_code == 400
    assert "vigencia" in response.json()


def test_paginacion(client):
    b.reconocidas_en_bloque(5)
    datos = _lista(client, "practica-reconocida", por_pagina=2, pagina=3)
    assert datos["count"] == 5 and len(datos["results"]) == 1 and datos["next"] is None
    assert client.get(reverse("api:practica-reconocida-list"), {"pagina": 9}).status_code == 404


@pytest.mark.parametrize("n", [3, 30])
def test_lista_de_practicas_con_consultas_constantes(client, django_assert_num_queries, n):
    """count, page, and the reuse counter's UPDATE (the day's row already exists): the same at both sizes."""
    b.reconocidas_en_bloque(n)
    client.get(reverse("api:practica-reconocida-list"))  # creates today's counter row
    with django_assert_num_queries(3):
        datos = _lista(client, "practica-reconocida", OTRO_CLIENTE, por_pagina=50)
    assert len(datos["results"]) == n


@pytest.mark.parametrize("n", [3, 30])
def test_otras_listas_con_consultas_constantes(client, django_assert_num_queries, n):
    b.reconocidas_en_bloque(n)
    for i in range(2 if n == 3 else 6):
        bj.jornada_con_asistentes(n // 3 + i, respondieron=n // 3)
    for nombre in ("convocatoria", "sujeto", "sesion", "asistencia-sujeto"):
        client.get(reverse(f"api:{nombre}-list"))
        with django_assert_num_queries(3):
            _lista(client, nombre, OTRO_CLIENTE)
    client.get(reverse("api:resultado-encuesta-list"))
    with django_assert_num_queries(4):  # questions, counts, answered per question; counter
        _lista(client, "resultado-encuesta", OTRO_CLIENTE)


def test_convocatorias_publicas_sin_borradores(client, autoridad):
    from convocatorias.models import Convocatoria
    from tests import factories

    borrador = factories.ConvocatoriaFactory(autoridad=autoridad, estado=Convocatoria.Estado.BORRADOR)
    abierta = factories.ConvocatoriaFactory(autoridad=autoridad)
    slugs = {f["slug"] for f in _lista(client, "convocatoria")["results"]}
    assert abierta.slug in slugs and borrador.slug not in slugs
    assert client.get(reverse("api:convocatoria-detail", args=[borrador.slug])).status_code == 404
    fila = client.get(reverse("api:convocatoria-detail", args=[abierta.slug])).json()
    assert fila["estado"] == "abierta" and fila["practicas_reconocidas"] == 0


def test_sujetos_activos_y_los_inactivos_con_reconocimientos(client):
    activo = b.sujetos_mixtos(1)[0]
    inactivo_sin = SujetoObligado.objects.create(nombre="Extinto sin prácticas", orden="estatal", tipo="otro",
                                                 activo=False)
    inactivo_con = SujetoObligado.objects.create(nombre="Extinto con prácticas", orden="estatal", tipo="otro",
                                                 activo=False)
    b.reconocidas_en_bloque(3, sujetos=[inactivo_con])
    filas = {f["id"]: f for f in _lista(client, "sujeto", por_pagina=500)["results"]}
    assert activo.pk in filas and inactivo_con.pk in filas and inactivo_sin.pk not in filas
    assert filas[inactivo_con.pk]["practicas_reconocidas"] == 3
    assert filas[activo.pk]["practicas_reconocidas"] == 0
    assert filas[activo.pk]["url"] is None  # no catalogue page without a public recognition
    assert client.get(filas[inactivo_con.pk]["url"].removeprefix(settings.SITE_URL)).status_code == 200
    assert [f["id"] for f in _lista(client, "sujeto", q="extinto con")["results"]] == [inactivo_con.pk]


def test_jornadas_solo_cifras_agregadas(client):
    jornada = bj.jornada_con_asistentes(6, respondieron=5, ausentes=2)  # 5: the smallest group published
    oculta = bj.jornada_con_asistentes(3, publicada=False)
    personas = list(jornada.registros.select_related("participante")) + list(oculta.registros.select_related(
        "participante"))
    sesiones = _lista(client, "sesion")["results"]
    assert [s["slug"] for s in sesiones] == [jornada.slug]
    assert (sesiones[0]["registrados"], sesiones[0]["asistentes"], sesiones[0]["encuestas_respondidas"]) == (8, 6, 5)
    asistencia = _lista(client, "asistencia-sujeto")["results"]
    assert sum(f["asistentes"] for f in asistencia) == 6
    encuestas = _lista(client, "resultado-encuesta")["results"]
    assert encuestas and {f["tipo"] for f in encuestas} <= {"unica", "multiple", "escala"}
    todo = str(sesiones) + str(asistencia) + str(encuestas)
    for r in personas:
        assert r.participante.nombre not in todo and r.participante.correo not in todo
    assert "Información muy completa" not in todo  # free-text comments are left out
    assert client.get(reverse("api:sesion-detail", args=[oculta.slug])).status_code == 404


def test_uso_de_la_api_se_cuenta_por_cliente_dataset_y_dia(client):
    """A client paging through a dataset is one use of it that day; another client is another."""
    b.reconocidas_en_bloque(1)
    for _ in range(3):
        client.get(reverse("api:practica-reconocida-list"))
    client.get(reverse("api:practica-reconocida-list"), REMOTE_ADDR="192.0.2.7")
    client.get(reverse("api:sesion-list"))
    client.get(reverse("api:practica-reconocida-list"), {"vigencia": "mal"}, REMOTE_ADDR="192.0.2.8")  # 400
    usos = {(u.dataset, u.canal, u.formato): u.conteo for u in UsoDataset.objects.all()}
    assert usos == {("practicas-reconocidas", "api", "json"): 2, ("jornadas-sesiones", "api", "json"): 1}


@override_settings(API_LIMITE_ANONIMO="3/min")
def test_limite_para_clientes_anonimos(client):
    url = reverse("api:convocatoria-list")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    # Another address has its own allowance; a forged X-Forwarded-For is not another address.
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_cualquier_sitio_puede_leer_la_api(client):
    response = client.get(reverse("api:convocatoria-list"))
    assert response["Access-Control-Allow-Origin"] == "*"
