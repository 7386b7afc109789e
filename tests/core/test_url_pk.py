"""{% url_pk %}: the address {% url %} writes for a route of one integer, with one reverse() per route."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.templatetags.reconoce import _molde, url_pk

RUTAS = ["evaluacion:catalogo_practica", "evaluacion:catalogo_sujeto"]


@pytest.fixture(autouse=True)
def _prefijo():
    _molde.cache_clear()
    yield
    set_script_prefix("/")
    _molde.cache_clear()


@pytest.mark.parametrize("nombre", RUTAS)
@pytest.mark.parametrize("pk", [1, 7, 10, 9876543210, 12345678901234])
def test_escribe_lo_que_escribe_url(nombre, pk):
    assert url_pk(nombre, pk) == reverse(nombre, args=[pk])


def test_en_una_plantilla_como_la_etiqueta_url():
    plantilla = engines["django"].from_string(
        "{% load reconoce %}{% url_pk 'evaluacion:catalogo_sujeto' n %}|{% url 'evaluacion:catalogo_sujeto' n %}")
    a, b = plantilla.render({"n": 42}).split("|")
    assert a == b == "/practicas-reconocidas/sujetos/42/"


def test_sigue_el_prefijo_del_script():
    assert url_pk(RUTAS[0], 5) == "/practicas-reconocidas/5/"
    set_script_prefix("/portal/")
    assert url_pk(RUTAS[0], 5) == reverse(RUTAS[0], args=[5]) == "/portal/practicas-reconocidas/5/"


def test_una_ruta_sin_argumentos_es_el_error_de_url():
    with pytest.raises(NoReverseMatch):
        url_pk("evaluacion:catalogo", 1)
