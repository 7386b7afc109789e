"""The public catalogue with two authorities on one instance: cards and practice pages name the
granting authority, municipalities carry their state, the catalogue filters by authority (an
unknown one is a 400 with the error by its field), the call filter and the call lists say whose each
call is, the practice page wears its authority's face, and the query counts stay put."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from convocatorias.models import Convocatoria
from tests import factories
from tests.api import builders as b

pytestmark = pytest.mark.django_db

URL = "/practicas-reconocidas/"


@pytest.fixture(autouse=True)
def _cache_limpia():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def escena():
    return b.dos_autoridades(n_infoem=3, n_cotai=2, jornadas=False)


def _main(response) -> str:
    texto = response.content.decode()
    return texto[texto.index("<main"):texto.index("</main>")]


def _sujetos(response) -> list[str]:
    return [r.dictamen.practica.sujeto.nombre for r in response.context["pagina"].object_list]


def _abbr(autoridad) -> str:
    return f'<abbr title="{autoridad.nombre}">{autoridad.siglas}</abbr>'


# --- the catalogue page ----------------------------------------------------------------------------

def test_tarjetas_nombran_la_autoridad_y_el_estado_del_municipio(client, escena):
    response = client.get(URL)
    assert response.status_code == 200 and response.context["total"] == 5
    texto = _main(response)
    assert texto.count(f"Otorga: {_abbr(escena['infoem'])}") == 3
    assert texto.count(f"Otorga: {_abbr(escena['cotai'])}") == 2
    assert "Ayuntamiento de Monterrey</a> · Monterrey, Nuevo León" in texto
    assert "Ayuntamiento de Metepec</a> · Metepec, México" in texto


def test_filtro_por_autoridad(client, escena):
    cotai = client.get(URL, {"autoridad": "cotai"})
    assert cotai.status_code == 200
    assert sorted(_sujetos(cotai)) == ["Ayuntamiento de Monterrey", "Secretaría de Finanzas de Nuevo León"]
    texto = _main(cotai)
    assert '<label for="id_autoridad" class="form-label">Autoridad garante</label>' in texto
    assert 'id="id_autoridad" name="autoridad"' in texto
    assert f'<option value="cotai" selected>COTAI — {escena["cotai"].nombre}</option>' in texto
    assert f'<option value="infoem">INFOEM — {escena["infoem"].nombre}</option>' in texto
    # With the other filters.
    infoem = client.get(URL, {"autoridad": "infoem", "orden": "municipal"})
    assert set(_sujetos(infoem)) == {"Ayuntamiento de Metepec"}
    # The municipalities of both states, each with its state.
    assert '<option value="19039">Monterrey, Nuevo León</option>' in texto
    assert '<option value="15054">Metepec, México</option>' in texto


def test_una_sola_autoridad_no_ofrece_el_filtro_pero_lo_acepta(client):
    conv = b.reconocidas_en_bloque(2, autoridad=factories.AutoridadFactory())
    texto = _main(client.get(URL))
    assert 'name="autoridad"' not in texto
    response = client.get(URL, {"autoridad": conv.autoridad.slug})
    assert response.status_code == 200 and response.context["total"] == 2
    assert 'name="autoridad"' in _main(response)  # the filter in use is shown, so it can be removed


def test_autoridad_desconocida_responde_400_con_el_error_en_su_campo(client, escena):
    response = client.get(URL, {"autoridad": "no-existe", "orden": "municipal"})
    assert response.status_code == 400
    assert response.context["total"] == 0
    texto = _main(response)
    assert 'aria-invalid="true" aria-describedby="error-autoridad"' in texto
    assert re.search(r'id="error-autoridad">Seleccione una opción válida\.', texto)
    assert "Autoridad garante: Seleccione una opción válida." in texto  # the summary above the form
    assert '<option value="municipal" selected>' in texto  # the valid values are kept
    convocatoria = client.get(URL, {"convocatoria": "no-existe"})
    assert convocatoria.status_code == 400
    assert 'aria-describedby="error-convocatoria"' in _main(convocatoria)


def test_opciones_de_convocatoria_dicen_su_autoridad(client, escena):
    """Two calls with the same title and year: the options tell them apart."""
    texto = _main(client.get(URL))
    titulo = b.TITULO_COMUN
    assert f'<option value="{escena["conv_infoem"].slug}">{titulo} (INFOEM)</option>' in texto
    assert f'<option value="{escena["conv_cotai"].slug}">{titulo} (COTAI)</option>' in texto
    elegida = _main(client.get(URL, {"convocatoria": escena["conv_cotai"].slug}))
    assert f'<option value="{escena["conv_cotai"].slug}" selected>{titulo} (COTAI)</option>' in elegida


# --- the practice and body pages -------------------------------------------------------------------

def test_pagina_de_la_practica_nombra_la_autoridad_y_lleva_su_cara(client, escena):
    rec = escena["conv_cotai"].practicas.get(sujeto__nombre="Ayuntamiento de Monterrey")
    response = client.get(reverse("evaluacion:catalogo_practica", args=[rec.pk]))
    assert response.status_code == 200
    texto = _main(response)
    cotai = escena["cotai"]
    assert (f'Otorga el reconocimiento: <a href="{URL}?autoridad=cotai">{cotai.nombre}</a> (COTAI)') in texto
    assert "Ayuntamiento de Monterrey</a> · Monterrey, Nuevo León" in texto
    assert response.context["cara"].autoridad == cotai  # core.cara.mostrar_autoridad
    html = response.content.decode()
    assert re.search(r"<title>[^<]*· COTAI</title>", html)
    # At the results page's address too.
    otra = client.get(reverse("evaluacion:practica_reconocida", args=[escena["conv_cotai"].slug, rec.pk]))
    assert otra.context["cara"].autoridad == cotai


def test_pagina_del_sujeto_nombra_la_autoridad_de_cada_practica(client, escena):
    monterrey = escena["sujetos"]["cotai"][1]
    texto = _main(client.get(reverse("evaluacion:catalogo_sujeto", args=[monterrey.pk])))
    assert "Monterrey, Nuevo León" in texto
    assert f"Otorga: {_abbr(escena['cotai'])}" in texto


# --- the calls' public list ------------------------------------------------------------------------

def test_lista_de_convocatorias_dice_la_autoridad_de_cada_una(client, escena):
    ahora = timezone.now()
    abierta = factories.ConvocatoriaFactory(autoridad=escena["cotai"], titulo="Convocatoria 2025")
    proxima = factories.ConvocatoriaFactory(autoridad=escena["infoem"], titulo="Convocatoria 2026",
                                            fecha_apertura=ahora + timedelta(days=3),
                                            fecha_cierre=ahora + timedelta(days=30),
                                            fecha_resultados=ahora + timedelta(days=60))
    texto = _main(client.get(reverse("convocatorias:lista")))
    assert re.search(rf'{abierta.titulo}</a></h3>\s*<p class="mb-1 text-body-secondary">{_abbr(escena["cotai"])}',
                     texto)
    assert f'{proxima.titulo}</a> ({_abbr(escena["infoem"])})' in texto
    archivo = texto[texto.index('id="archivo"'):]
    assert archivo.count(b.TITULO_COMUN) == 2  # the same title, told apart by the authority column
    assert f"<td>{_abbr(escena['infoem'])}</td>" in archivo and f"<td>{_abbr(escena['cotai'])}</td>" in archivo
    assert Convocatoria.objects.count() == 4


# --- queries ---------------------------------------------------------------------------------------

@pytest.fixture(params=[2, 23], ids=["2", "23"])
def de_tamano(request):
    return b.dos_autoridades(n_infoem=request.param, n_cotai=request.param, jornadas=False)


@pytest.mark.parametrize("params, consultas", [
    # A miss: the instance's authorities (frame), the cached results dates, count, ids, rows, calls
    # with results (and their authority, joined), municipalities.
    ({}, 7),
    # The same, plus the lookup of the authority's slug.
    ({"autoridad": "cotai"}, 8),
    ({"autoridad": "infoem", "convocatoria": "__infoem__"}, 9),  # and of the call's
])
def test_catalogo_con_dos_autoridades_consultas_constantes(client, de_tamano, django_assert_num_queries, params,
                                                           consultas):
    params = {k: (de_tamano["conv_infoem"].slug if v == "__infoem__" else v) for k, v in params.items()}
    client.get(URL, params)
    cache.clear()
    with django_assert_num_queries(consultas):
        response = client.get(URL, params)
    with django_assert_num_queries(0):
        client.get(URL, params)
    n = len(de_tamano["conv_infoem"].practicas.all())
    assert response.context["total"] == (2 * n if not params else n)


def test_pagina_de_practica_con_dos_autoridades_consultas_constantes(client, de_tamano, django_assert_num_queries):
    """The recognition with its joins (the authority among them: the frame needs nothing else),
    reasons, evidence, links."""
    practica = de_tamano["conv_cotai"].practicas.order_by("pk").last()
    with django_assert_num_queries(4):
        assert client.get(reverse("evaluacion:catalogo_practica", args=[practica.pk])).status_code == 200
