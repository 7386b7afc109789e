"""Articles before institution names (core.articulos): «del Ayuntamiento de Metepec», «de la Secretaría
del Campo», and none where Spanish puts none (an acronym, a proper name)."""

import pytest
from django.template import Context, Template

from core import articulos


@pytest.mark.parametrize("nombre, de, a", [
    ("Ayuntamiento de Metepec", "del Ayuntamiento de Metepec", "al Ayuntamiento de Metepec"),
    ("Secretaría del Campo", "de la Secretaría del Campo", "a la Secretaría del Campo"),
    ("SECRETARIA DE FINANZAS", "de la SECRETARIA DE FINANZAS", "a la SECRETARIA DE FINANZAS"),
    ("Instituto Estatal de Cultura Física y Deporte", "del Instituto Estatal de Cultura Física y Deporte",
     "al Instituto Estatal de Cultura Física y Deporte"),
    ("Universidad Autónoma del Estado de México", "de la Universidad Autónoma del Estado de México",
     "a la Universidad Autónoma del Estado de México"),
    ("Servicios de Salud del Estado", "de los Servicios de Salud del Estado", "a los Servicios de Salud del Estado"),
    ("INFOEM", "de INFOEM", "a INFOEM"),
    ("El Colegio Mexiquense", "de El Colegio Mexiquense", "a El Colegio Mexiquense"),
])
def test_de_y_a_con_su_articulo(nombre, de, a):
    assert articulos.de(nombre) == de
    assert articulos.a(nombre) == a


def test_filtros_de_plantilla():
    html = Template("{% load reconoce %}{{ s|de_institucion }} · {{ s|a }} · {{ s|con_articulo }} · {{ s|a_articulo }}"
                    ).render(Context({"s": "Ayuntamiento de Metepec"}))
    assert html == "del Ayuntamiento de Metepec · al Ayuntamiento de Metepec · el Ayuntamiento de Metepec · al"
