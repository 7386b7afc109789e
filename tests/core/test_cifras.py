"""Issue 13, part 7: one way to write each kind of figure (core.cifras) — «1041» next to «1,041»
and «9.433» on one page with «9.43» on another were both seen."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from core import cifras


@pytest.mark.parametrize(("valor", "texto"), [(1041, "1,041"), (0, "0"), (1234567, "1,234,567"), (None, "—"),
                                              ("", "—"), (Decimal("7.5"), "8")])
def test_una_cuenta_agrupa_los_miles(valor, texto):
    assert cifras.cifra(valor) == texto


@pytest.mark.parametrize(("valor", "texto"), [(Decimal("9.433"), "9.43"), (Decimal("9.435"), "9.44"), (10, "10.00"),
                                              (8.1, "8.10"), (None, "—")])
def test_una_calificacion_lleva_dos_decimales(valor, texto):
    assert cifras.calificacion(valor) == texto


@pytest.mark.parametrize(("valor", "texto"), [(37.45, "37.5 %"), (100, "100.0 %"), (0, "0.0 %"), (None, "—")])
def test_un_porcentaje_lleva_un_decimal_y_espacio(valor, texto):
    assert cifras.porcentaje(valor) == texto


def test_los_filtros_escriben_lo_mismo_en_las_plantillas():
    salida = Template("{% load reconoce %}{{ a|cifra }} · {{ b|calificacion }} · {{ c|porcentaje }}").render(
        Context({"a": 1041, "b": Decimal("9.433"), "c": 12.25}))
    assert salida == "1,041 · 9.43 · 12.3 %"


@pytest.mark.django_db
def test_la_lista_de_dictamenes_muestra_la_calificacion_con_dos_decimales(client, autoridad, personal):
    from django.urls import reverse

    from evaluacion.models import Dictamen
    from tests.evaluacion import builders_dictamen as bd

    ciclo = bd.con_dictamenes(autoridad=autoridad, personal=personal)
    Dictamen.objects.filter(pk=ciclo.dictamenes[0].pk).update(puntaje=Decimal("9.433"))
    client.force_login(personal)
    html = client.get(reverse("panel:dictamenes", args=[ciclo.convocatoria.slug])).content.decode()
    assert "9.43</td>" in html and "9.433" not in html
    detalle = client.get(reverse("panel:dictamen", args=[ciclo.dictamenes[0].pk]))
    assert "9.43" in detalle.content.decode() and "9.433" not in detalle.content.decode()
