"""Each authority's own face (issue 9): a page of one authority's call, practice, results, document or
session shows that authority in its header, <title>, og:site_name and footer; the other pages show the
instance's identity (settings PORTAL_*) with the authorities it hosts."""

import re

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def cotai(otra_autoridad):
    otra_autoridad.domicilio = "Monterrey, Nuevo León"
    otra_autoridad.correo_contacto = "contacto@cotai.ejemplo.mx"
    otra_autoridad.color_primario = "#00594f"
    otra_autoridad.save()
    return otra_autoridad


def _marco(html: str) -> dict:
    cabecera = re.search(r"<header.*?</header>", html, re.S).group(0)
    pie = re.search(r"<footer.*?</footer>", html, re.S).group(0)
    titulo = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    return {"cabecera": cabecera, "pie": pie, "titulo": titulo}


def test_la_convocatoria_de_otra_autoridad_muestra_su_cara_y_no_la_de_la_primera(client, autoridad, cotai):
    conv = factories.ConvocatoriaFactory(autoridad=cotai, slug="cotai-2026", prefijo_folio="COTAI-TP")
    marco = _marco(client.get(conv.get_absolute_url()).content.decode())
    assert marco["titulo"].endswith("· COTAI")
    assert "COTAI" in marco["cabecera"] and autoridad.siglas not in marco["cabecera"]
    assert cotai.nombre in marco["pie"] and "Monterrey, Nuevo León" in marco["pie"]
    assert "contacto@cotai.ejemplo.mx" in marco["pie"]
    assert autoridad.nombre not in marco["pie"] and autoridad.correo_contacto not in marco["pie"]
    assert "--color-institucional:#00594f" in client.get(conv.get_absolute_url()).content.decode()


def test_las_paginas_sin_autoridad_muestran_la_identidad_del_portal_y_las_autoridades(client, autoridad, cotai,
                                                                                      settings):
    settings.PORTAL_NOMBRE, settings.PORTAL_CORREO = "Red de Transparencia Proactiva", "red@portal.ejemplo.mx"
    marco = _marco(client.get(reverse("portal:inicio")).content.decode())
    assert marco["titulo"].endswith("· Red de Transparencia Proactiva")
    assert "Red de Transparencia Proactiva" in marco["cabecera"]
    assert "red@portal.ejemplo.mx" in marco["pie"]
    assert f'<abbr title="{autoridad.nombre}">{autoridad.siglas}</abbr>' in marco["pie"]
    assert f'<abbr title="{cotai.nombre}">COTAI</abbr>' in marco["pie"]


def test_la_practica_y_los_resultados_muestran_la_autoridad_de_su_convocatoria(client, cotai):
    conv = factories.ConvocatoriaFactory(autoridad=cotai, slug="cotai-2027", prefijo_folio="COTAI2-TP")
    sujeto = factories.SujetoFactory(nombre="Secretaría de Economía", entidad_clave="19")
    enlace = factories.EnlaceFactory(sujeto=sujeto, usuario__email="e@economia.nl.gob.mx").usuario
    practica = factories.PracticaFactory(convocatoria=conv, sujeto=sujeto, creada_por=enlace)
    client.force_login(enlace)
    assert _marco(client.get(reverse("practicas:detalle", args=[practica.pk])).content.decode())[
        "titulo"].endswith("· COTAI")
    assert _marco(client.get(reverse("evaluacion:resultados", args=[conv.slug])).content.decode())[
        "titulo"].endswith("· COTAI")
