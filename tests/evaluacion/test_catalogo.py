"""The public catalogue: filters, ordering, pagination that keeps the filters, the practice and body
pages with their metadata, the home page, and a fixed number of queries whatever the size."""

import json
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from evaluacion import services
from evaluacion.models import Reconocimiento
from tests import factories
from tests.evaluacion import builders_catalogo as bc
from tests.evaluacion import builders_dictamen as bd
from tests.evaluacion.builders_dictamen import fixture_ciclo, fixture_firmado  # noqa: F401

URL = "/practicas-reconocidas/"
MEXICO = ZoneInfo("America/Mexico_City")


def _main(response) -> str:
    texto = response.content.decode()
    return texto[texto.index('<main'):texto.index("</main>")]


@pytest.fixture
def catalogo(autoridad, personal):
    """Three recognised practices: two of a municipality (Metepec), one of a state body."""
    metepec = bc.municipal()
    finanzas = factories.SujetoFactory(nombre="Secretaría de Finanzas", siglas="SF")
    ciclo = bc.ciclo_reconocido(autoridad=autoridad, personal=personal, anio=2033, practicas=[
        {"nombre": "Presupuesto ciudadano", "sujeto": finanzas,
         "descripcion": "El presupuesto explicado con gráficas.", "necesidad_informacion": "Saber en qué se gasta.",
         "url_publicacion": "https://finanzas.edomex.gob.mx/presupuesto-ciudadano",
         "evidencia": "Encuesta de satisfacción a 300 personas."},
        {"nombre": "Mapa de obra pública municipal", "sujeto": metepec,
         "descripcion": "Obras georreferenciadas."},
        {"nombre": "Agenda de cabildo abierto", "sujeto": metepec, "descripcion": "Sesiones y acuerdos."},
    ])
    return {"ciclo": ciclo, "metepec": metepec, "finanzas": finanzas, "despues": bd.antes_y_despues(ciclo)[1]}


def _get(client, catalogo, url, **params):
    with time_machine.travel(catalogo["despues"], tick=False):
        return client.get(url, params)


def _nombres(response):
    return [r.dictamen.practica.nombre for r in response.context["pagina"].object_list]


# --- the catalogue page ----------------------------------------------------------------------------

def test_url_del_catalogo():
    assert reverse("evaluacion:catalogo") == URL


def test_catalogo_lista_las_reconocidas_mas_recientes_primero(client, catalogo):
    response = _get(client, catalogo, URL)
    assert response.status_code == 200
    assert response.context["total"] == 3
    assert sorted(_nombres(response)) == ["Agenda de cabildo abierto", "Mapa de obra pública municipal",
                                          "Presupuesto ciudadano"]
    texto = _main(response)
    assert "3 prácticas reconocidas" in texto
    assert "Vigente" in texto


@pytest.mark.parametrize("params, esperados", [
    ({"orden": "municipal"}, {"Mapa de obra pública municipal", "Agenda de cabildo abierto"}),
    ({"orden": "estatal"}, {"Presupuesto ciudadano"}),
    ({"municipio": "15054"}, {"Mapa de obra pública municipal", "Agenda de cabildo abierto"}),
    ({"anio": "2033"}, {"Presupuesto ciudadano", "Mapa de obra pública municipal", "Agenda de cabildo abierto"}),
    ({"anio": "2034"}, set()),
    ({"vigencia": "vigente"}, {"Presupuesto ciudadano", "Mapa de obra pública municipal",
                               "Agenda de cabildo abierto"}),
    ({"vigencia": "historica"}, set()),
    ({"q": "obra", "orden": "municipal"}, {"Mapa de obra pública municipal"}),
    ({"q": "presupuesto", "orden": "municipal"}, set()),
])
def test_filtros(client, catalogo, params, esperados):
    assert set(_nombres(_get(client, catalogo, URL, **params))) == esperados


def test_filtros_por_convocatoria_y_sujeto(client, catalogo):
    conv = catalogo["ciclo"].convocatoria
    assert len(_nombres(_get(client, catalogo, URL, convocatoria=conv.slug))) == 3
    desconocida = _get(client, catalogo, URL, convocatoria="otra")
    assert desconocida.status_code == 400 and _nombres(desconocida) == []
    response = _get(client, catalogo, URL, sujeto=catalogo["finanzas"].pk)
    assert _nombres(response) == ["Presupuesto ciudadano"]
    assert "Secretaría de Finanzas" in _main(response)
    assert "quitar este filtro" in _main(response)


@pytest.mark.parametrize("texto, esperados", [
    ("Ayuntamiento de Metepec", {"Mapa de obra pública municipal", "Agenda de cabildo abierto"}),
    ("metepec", {"Mapa de obra pública municipal", "Agenda de cabildo abierto"}),
    ("SECRETARIA de finanzas", {"Presupuesto ciudadano"}),  # accents and case aside
    ("sf", {"Presupuesto ciudadano"}),  # its abbreviation
    ("Comisión que no existe", set()),
])
def test_filtro_por_nombre_del_sujeto_sin_javascript(client, catalogo, texto, esperados):
    response = _get(client, catalogo, URL, sujeto_nombre=texto)
    assert response.status_code == 200
    assert set(_nombres(response)) == esperados
    assert f'value="{texto}"' in _main(response)  # the text stays in its box


def test_campo_sujeto_con_sugerencias_al_escribir(client, catalogo):
    html = _main(_get(client, catalogo, URL))
    campo = re.search(r'<input type="text" id="id_sujeto_nombre"[^>]*>', html).group()
    assert '<label for="id_sujeto_nombre" class="form-label">Sujeto obligado</label>' in html
    assert 'list="sujetos-sugeridos"' in campo and 'aria-describedby="ayuda-sujeto-nombre"' in campo
    url = reverse("evaluacion:catalogo_sujetos_sugeridos")
    assert f'hx-get="{url}"' in campo and '<datalist id="sujetos-sugeridos"></datalist>' in html
    opciones = _get(client, catalogo, url, sujeto_nombre="secretaria").content.decode()
    assert opciones == '<option value="Secretaría de Finanzas">Secretaría de Finanzas</option>'
    assert _get(client, catalogo, url, sujeto_nombre="").content.decode() == ""
    todos = _get(client, catalogo, url, sujeto_nombre="e").content.decode()
    assert todos.count("<option") == 2 and todos.index("Ayuntamiento") < todos.index("Secretaría")


def test_sugerencias_de_sujetos_solo_con_reconocimientos_publicos(client, catalogo, autoridad, personal):
    """A body whose only recognition is under embargo is neither offered nor found, and a name is
    escaped in its <option>."""
    from convocatorias.models import Convocatoria

    reservado = factories.SujetoFactory(nombre="Comisión Reservada <b>", siglas="ZQX")
    otro = bc.ciclo_reconocido(autoridad=autoridad, personal=personal,
                               practicas=[{"nombre": "Práctica en reserva", "sujeto": reservado}])
    Convocatoria.objects.filter(pk=otro.convocatoria.pk).update(
        fecha_resultados=catalogo["despues"] + timedelta(days=30))
    cache.clear()
    url = reverse("evaluacion:catalogo_sujetos_sugeridos")
    assert _get(client, catalogo, url, sujeto_nombre="reservada").content.decode() == ""
    assert _get(client, catalogo, url, sujeto_nombre="zqx").content.decode() == ""
    assert _nombres(_get(client, catalogo, URL, sujeto_nombre="Comisión Reservada")) == []
    # Once its results are public it is offered, escaped.
    Convocatoria.objects.filter(pk=otro.convocatoria.pk).update(fecha_resultados=catalogo["despues"] - timedelta(seconds=1))
    cache.clear()
    opciones = _get(client, catalogo, url, sujeto_nombre="reservada").content.decode()
    assert opciones == '<option value="Comisión Reservada &lt;b&gt;">Comisión Reservada &lt;b&gt;</option>'


def test_valores_invalidos_responden_400_con_el_error_en_su_campo(client, catalogo):
    """Never silently ignored: no results, each error by its field, the valid values kept."""
    response = _get(client, catalogo, URL, q="obra", anio="dos mil", orden="federal", vigencia="x", orden_por="y")
    assert response.status_code == 400
    assert response.context["total"] == 0
    texto = _main(response)
    assert 'role="alert"' in texto and "Sin resultados: corrija los valores marcados" in texto
    for campo in ("anio", "orden", "vigencia", "orden_por"):
        assert f'aria-invalid="true" aria-describedby="error-{campo}"' in texto, campo
        assert f'id="error-{campo}"' in texto, campo
    assert "Seleccione una opción válida" in texto and "Introduzca un número" in texto
    assert 'value="obra"' in texto
    assert _get(client, catalogo, URL, q="obra").status_code == 200  # the invalid answer was not cached


def test_vigencia_historica_tras_el_vencimiento(client, catalogo):
    rec = Reconocimiento.objects.get(dictamen__practica__nombre="Agenda de cabildo abierto")
    services.reconocimiento_revocar(reconocimiento=rec, usuario=catalogo["ciclo"].personal,
                                    motivo="La práctica dejó de publicarse.")
    historicas = _get(client, catalogo, URL, vigencia="historica")
    assert _nombres(historicas) == ["Agenda de cabildo abierto"]
    assert "Revocado" in _main(historicas)
    assert "Agenda de cabildo abierto" not in _nombres(_get(client, catalogo, URL, vigencia="vigente"))
    # A year and a day later every one of them is historic.
    al_dia_siguiente = datetime.combine(rec.vigente_hasta + timedelta(days=1), time(12), tzinfo=MEXICO)
    with time_machine.travel(al_dia_siguiente, tick=False):
        response = client.get(URL, {"vigencia": "historica"})
    assert response.context["total"] == 3


def test_orden_por_nombre(client, catalogo):
    assert _nombres(_get(client, catalogo, URL, orden_por="nombre")) == [
        "Agenda de cabildo abierto", "Mapa de obra pública municipal", "Presupuesto ciudadano"]


def test_formulario_accesible_y_con_el_estado_en_la_url(client, catalogo):
    texto = _main(_get(client, catalogo, URL, q="obra", orden="municipal", municipio="15054"))
    assert 'method="get"' in texto and 'role="search"' in texto
    for campo in ("q", "anio", "convocatoria", "orden", "municipio", "vigencia", "orden_por"):
        assert f'<label for="id_{campo}"' in texto, campo
        assert f'id="id_{campo}" name="{campo}"' in texto, campo
    assert re.search(r'role="status" aria-live="polite"[^>]*>\s*1 práctica reconocida', texto)
    assert '<option value="municipal" selected>' in texto
    assert '<option value="15054" selected>Metepec, México</option>' in texto  # with its state
    assert 'value="obra"' in texto


def test_paginacion_conserva_los_filtros(client, catalogo, monkeypatch):
    monkeypatch.setattr("evaluacion.views_catalogo.POR_PAGINA", 2)
    pagina1 = _get(client, catalogo, URL, vigencia="vigente", orden_por="nombre")
    texto = _main(pagina1)
    assert pagina1.context["total"] == 3
    assert "página 1 de 2" in texto
    assert 'href="?vigencia=vigente&amp;orden_por=nombre&amp;pagina=2"' in texto
    pagina2 = _get(client, catalogo, URL, vigencia="vigente", orden_por="nombre", pagina="2")
    assert _nombres(pagina2) == ["Presupuesto ciudadano"]
    assert 'href="?vigencia=vigente&amp;orden_por=nombre&amp;pagina=1"' in _main(pagina2)
    assert _get(client, catalogo, URL, pagina="99").context["pagina"].number == 2  # out of range: the last


@pytest.mark.parametrize("pagina, numero", [
    (None, 1), ("1", 1), ("2", 2), ("99", 2), ("0", 2), ("-1", 2), ("dos", 1), ("2.0", 1), ("", 1),
])
def test_paginacion_de_una_busqueda_cuenta_con_la_misma_consulta(client, catalogo, monkeypatch, pagina, numero):
    """A search counts its matches with the page's query (a window); the page chosen for a number out
    of range or not a number is still Paginator.get_page's (the last, or the first)."""
    monkeypatch.setattr("evaluacion.views_catalogo.POR_PAGINA", 1)
    params = {"q": "Metepec", "orden_por": "nombre"} | ({} if pagina is None else {"pagina": pagina})
    respuesta = _get(client, catalogo, URL, **params)
    assert respuesta.status_code == 200
    assert respuesta.context["total"] == 2
    assert respuesta.context["pagina"].number == numero
    assert _nombres(respuesta) == [["Agenda de cabildo abierto"], ["Mapa de obra pública municipal"]][numero - 1]
    assert f"página {numero} de 2" in _main(respuesta)


@pytest.mark.parametrize("pagina", [None, "3"])
def test_busqueda_sin_coincidencias_en_cualquier_pagina(client, catalogo, pagina):
    params = {"q": "inexistentisima"} | ({} if pagina is None else {"pagina": pagina})
    respuesta = _get(client, catalogo, URL, **params)
    assert respuesta.context["total"] == 0
    assert respuesta.context["pagina"].number == 1
    assert "0 prácticas reconocidas" in _main(respuesta)


# --- the practice page -----------------------------------------------------------------------------

def test_pagina_de_la_practica(client, catalogo):
    practica = catalogo["ciclo"].practicas[0]
    response = _get(client, catalogo, reverse("evaluacion:catalogo_practica", args=[practica.pk]))
    assert response.status_code == 200
    texto = response.content.decode()
    for esperado in ("Presupuesto ciudadano", "Secretaría de Finanzas", "El presupuesto explicado con gráficas.",
                     "Saber en qué se gasta.", 'href="https://finanzas.edomex.gob.mx/presupuesto-ciudadano"',
                     "Encuesta de satisfacción a 300 personas.", "Dictamen del Jurado Calificador",
                     "Vigente", "Los PDF se están generando."):
        assert esperado in texto, esperado
    rec = Reconocimiento.objects.get(dictamen__practica=practica)
    assert rec.documento.folio in texto
    assert reverse("evaluacion:catalogo_sujeto", args=[practica.sujeto_id]) in texto


def test_pagina_de_la_practica_enlaza_los_pdf_listos(client, firmado):
    practica = firmado.practicas[0]
    with time_machine.travel(bd.antes_y_despues(firmado)[1], tick=False):
        texto = client.get(reverse("evaluacion:catalogo_practica", args=[practica.pk])).content.decode()
    rec = Reconocimiento.objects.select_related("documento", "dictamen__documento").get(dictamen__practica=practica)
    assert rec.documento.estado_pdf == rec.dictamen.documento.estado_pdf == "lista"
    assert reverse("core:documento", args=[rec.documento.codigo]) in texto
    assert reverse("core:documento", args=[rec.dictamen.documento.codigo]) in texto
    assert "Los PDF se están generando." not in texto


def test_open_graph_json_ld_y_canonica(client, catalogo, settings):
    settings.SITE_URL = "https://reconoce.infoem.org.mx"
    practica = catalogo["ciclo"].practicas[0]
    canonica = f"https://reconoce.infoem.org.mx/practicas-reconocidas/{practica.pk}/"
    # The same page at the results page's old address names the catalogue's as canonical.
    for url in (reverse("evaluacion:catalogo_practica", args=[practica.pk]),
                reverse("evaluacion:practica_reconocida", args=[practica.convocatoria.slug, practica.pk])):
        texto = _get(client, catalogo, url).content.decode()
        cabeza = texto[:texto.index("</head>")]
        assert f'<link rel="canonical" href="{canonica}">' in cabeza
        assert '<meta property="og:title" content="Presupuesto ciudadano">' in cabeza
        assert '<meta property="og:type" content="article">' in cabeza
        assert f'<meta property="og:url" content="{canonica}">' in cabeza
        assert '<meta property="og:description" content="El presupuesto explicado con gráficas.">' in cabeza
        datos = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', cabeza, re.S).group(1))
        assert datos["@type"] == "CreativeWork" and datos["url"] == canonica
        assert datos["name"] == "Presupuesto ciudadano"
        assert datos["creator"]["name"] == "Secretaría de Finanzas"
        assert datos["award"] == "Reconocimiento de Práctica de Transparencia Proactiva 2033"


def test_json_ld_no_se_puede_cerrar_desde_los_datos(client, catalogo):
    practica = catalogo["ciclo"].practicas[1]
    from practicas.models import Practica

    Practica.objects.filter(pk=practica.pk).update(descripcion="</script><script>alert(1)</script>")
    texto = _get(client, catalogo, reverse("evaluacion:catalogo_practica", args=[practica.pk])).content.decode()
    assert "<script>alert(1)" not in texto
    bloque = re.search(r'<script type="application/ld\+json">(.*?)</script>', texto, re.S).group(1)
    assert json.loads(bloque)["description"] == "</script><script>alert(1)</script>"


def test_pagina_de_practica_inexistente(client, catalogo):
    assert _get(client, catalogo, reverse("evaluacion:catalogo_practica", args=[999999])).status_code == 404
    conv_ajena = factories.ConvocatoriaFactory(autoridad=catalogo["ciclo"].convocatoria.autoridad)
    practica = catalogo["ciclo"].practicas[0]
    assert _get(client, catalogo, reverse("evaluacion:practica_reconocida",
                                          args=[conv_ajena.slug, practica.pk])).status_code == 404


# --- the body page ---------------------------------------------------------------------------------

def test_pagina_del_sujeto_lista_sus_practicas_por_anio(client, autoridad, personal, catalogo):
    metepec = catalogo["metepec"]
    # A second year for the same body.
    otro = bc.ciclo_reconocido(autoridad=autoridad, personal=personal, anio=2034, practicas=[
        {"nombre": "Padrón de beneficiarios de programas sociales", "sujeto": metepec}])
    with time_machine.travel(bd.antes_y_despues(otro)[1], tick=False):
        response = client.get(reverse("evaluacion:catalogo_sujeto", args=[metepec.pk]))
    assert response.status_code == 200
    texto = _main(response)
    assert "Ayuntamiento de Metepec" in texto
    assert "3 prácticas reconocidas" in texto
    assert texto.index("Convocatoria 2034") < texto.index("Convocatoria 2033")
    assert texto.index("Padrón de beneficiarios") < texto.index("Agenda de cabildo abierto")
    assert "Presupuesto ciudadano" not in texto
    assert f"?sujeto={metepec.pk}" in texto
    cabeza = response.content.decode().split("</head>")[0]
    assert "og:title" in cabeza and "application/ld+json" in cabeza


def test_pagina_de_sujeto_sin_reconocimientos_es_404(client, catalogo):
    sin_nada = factories.SujetoFactory(nombre="Sujeto sin prácticas")
    assert _get(client, catalogo, reverse("evaluacion:catalogo_sujeto", args=[sin_nada.pk])).status_code == 404


# --- the home page ---------------------------------------------------------------------------------

def test_inicio_cifras_recientes_y_buscador(client, catalogo):
    from tests.jornadas import builders as jb

    autoridad = catalogo["ciclo"].convocatoria.autoridad
    abierta = factories.ConvocatoriaFactory(autoridad=autoridad, fecha_cierre=catalogo["despues"] + timedelta(days=9),
                                            fecha_resultados=catalogo["despues"] + timedelta(days=40))
    jb.jornada_con_asistentes(2, ausentes=1, autoridad_=autoridad)
    jb.jornada(autoridad_=autoridad, inicio=catalogo["despues"] + timedelta(days=7), fin=None)  # not held yet
    jb.jornada(autoridad_=autoridad, pasada=True, publicada=False)  # not public
    response = _get(client, catalogo, "/")
    texto = _main(response)
    assert response.context["cifras"] == {"vigentes": 3, "sujetos": 2, "sesiones": 1, "capacitadas": 2}
    assert "Presupuesto ciudadano" in texto and "Mapa de obra pública municipal" in texto
    assert f'action="{URL}"' in texto and 'name="q"' in texto
    assert abierta.titulo in texto  # the open call, with its countdown
    assert "data-deadline" in texto


# --- queries ---------------------------------------------------------------------------------------

@pytest.fixture(params=[2, 23], ids=["2", "23"])
def de_tamano(request, autoridad, personal):
    n = request.param
    metepec = bc.municipal()
    ciclo = bc.ciclo_reconocido(autoridad=autoridad, personal=personal, practicas=[
        {"nombre": f"Presupuesto participativo {i}", "sujeto": metepec if i % 2 else factories.SujetoFactory()}
        for i in range(n)
    ])
    return {"ciclo": ciclo, "despues": bd.antes_y_despues(ciclo)[1], "n": n, "metepec": metepec}


# A miss (cache cleared): the authority (frame), the cached results dates, count, the page's ids,
# its rows, calls with results, municipalities (and the body's name when filtering by one).
# Filtering by authority or call adds the lookup of its slug (an unknown one is a 400).
# A hit: none (the whole page is cached for visitors without a session). The practice page (not
# cached): the recognition with its joins, reasons, evidence, links (its frame shows the call's
# authority, already joined, not the instance's list of authorities). The body page: authority, its recognitions. The home page, miss:
# authority, results dates, 2 aggregates, ids, rows, open calls; hit: authority, open calls.
@pytest.mark.parametrize("params, consultas, solo_metepec", [
    ({}, 7, False),
    ({"q": "presupuesto"}, 6, False),  # a search counts with its page's query
    ({"q": "presupuestos participativos", "orden": "municipal", "vigencia": "vigente", "orden_por": "nombre"},
     6, True),
    ({"sujeto": "__metepec__"}, 8, True),
    ({"sujeto_nombre": "Ayuntamiento de Metepec"}, 8, True),  # the bodies' names are one query
    ({"autoridad": "infoem", "orden": "municipal"}, 8, True),
])
def test_catalogo_consultas_constantes(client, de_tamano, django_assert_num_queries, params, consultas,
                                       solo_metepec):
    params = {k: (str(de_tamano["metepec"].pk) if v == "__metepec__" else v) for k, v in params.items()}
    with time_machine.travel(de_tamano["despues"], tick=False):
        client.get(URL, params)
        cache.clear()
        with django_assert_num_queries(consultas):
            response = client.get(URL, params)
        with django_assert_num_queries(0):  # the whole page from the cache (no session: the same for all)
            otra_vez = client.get(URL, params)
    n = de_tamano["n"]
    assert response.context["total"] == (n // 2 if solo_metepec else n)
    assert len(response.context["pagina"].object_list) == min(response.context["total"], 20)
    assert _main(otra_vez) == _main(response)
    if params.get("q"):  # the words found are marked, without a query of their own
        assert "<mark>Presupuesto</mark>" in _main(response)


def test_paginas_de_practica_sujeto_e_inicio_consultas_constantes(client, de_tamano, django_assert_num_queries):
    practica = de_tamano["ciclo"].practicas[-1]
    with time_machine.travel(de_tamano["despues"], tick=False):
        with django_assert_num_queries(4):
            assert client.get(reverse("evaluacion:catalogo_practica", args=[practica.pk])).status_code == 200
        with django_assert_num_queries(2):
            assert client.get(reverse("evaluacion:catalogo_sujeto",
                                      args=[de_tamano["metepec"].pk])).status_code == 200
        cache.clear()
        with django_assert_num_queries(7):  # no open call here, so no criteria to prefetch
            assert client.get("/").status_code == 200
        with django_assert_num_queries(2):
            assert client.get("/").status_code == 200


def test_busqueda_marca_tambien_el_nombre_del_sujeto(client, catalogo):
    html = _main(_get(client, catalogo, URL, q="finanzas"))
    assert "Secretaría de <mark>Finanzas</mark></a>" in html


def test_sugerencias_de_sujetos_consultas_constantes(client, de_tamano, django_assert_num_queries):
    url = reverse("evaluacion:catalogo_sujetos_sugeridos")
    with time_machine.travel(de_tamano["despues"], tick=False):
        client.get(url, {"sujeto_nombre": "metepec"})  # warm up (the first request of a test reads more)
        cache.clear()
        with django_assert_num_queries(2):  # the results dates, the bodies with something public
            respuesta = client.get(url, {"sujeto_nombre": "Metepec"})
        with django_assert_num_queries(0):  # kept per text (accents and case aside) and catalogue version
            assert client.get(url, {"sujeto_nombre": "METEPEC"}).content == respuesta.content
    assert respuesta.content.decode() == '<option value="Ayuntamiento de Metepec">Ayuntamiento de Metepec</option>'
