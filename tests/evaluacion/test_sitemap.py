"""The sitemap lists public pages only, and robots.txt points to it. (The embargo on practices,
bodies and results pages: test_catalogo_embargo.py.)"""

import re

import time_machine
from django.urls import reverse

from convocatorias.models import Convocatoria
from tests import factories
from tests.evaluacion import builders_catalogo as bc
from tests.evaluacion import builders_dictamen as bd
from tests.jornadas import builders as jb


def _ubicaciones(client) -> set[str]:
    texto = bc.sitemap_completo(client)
    return {re.sub(r"^https?://[^/]+", "", u) for u in re.findall(r"<loc>(.*?)</loc>", texto)}


def test_sitemap_solo_paginas_publicas(client, autoridad):
    publica = factories.ConvocatoriaFactory(autoridad=autoridad)
    borrador = factories.ConvocatoriaFactory(autoridad=autoridad, estado=Convocatoria.Estado.BORRADOR)
    jornada = jb.jornada(autoridad_=autoridad)
    oculta = jb.jornada(autoridad_=autoridad, publicada=False)
    urls = _ubicaciones(client)
    assert {"/", "/practicas-reconocidas/", "/convocatorias/", "/jornadas/"} <= urls
    assert publica.get_absolute_url() in urls
    assert borrador.get_absolute_url() not in urls
    assert jornada.get_absolute_url() in urls
    assert oculta.get_absolute_url() not in urls
    # A call still open has no results page yet.
    assert reverse("evaluacion:resultados", args=[publica.slug]) not in urls


def test_sitemap_con_practicas_y_sujetos_tras_la_publicacion(client, autoridad, personal):
    sujeto = factories.SujetoFactory(nombre="Secretaría de la Contraloría")
    ciclo = bc.ciclo_reconocido(autoridad=autoridad, personal=personal, practicas=[
        {"nombre": "Declaraciones patrimoniales en datos abiertos", "sujeto": sujeto},
        {"nombre": "Sanciones a servidores públicos", "sujeto": sujeto},
    ])
    with time_machine.travel(bd.antes_y_despues(ciclo)[1], tick=False):
        urls = _ubicaciones(client)
        practicas = client.get(reverse("sitemap_seccion", args=["practicas"])).content.decode()
    for practica in ciclo.practicas:
        assert reverse("evaluacion:catalogo_practica", args=[practica.pk]) in urls
    sujetos = [u for u in urls if u.startswith("/practicas-reconocidas/sujetos/")]
    assert sujetos == [reverse("evaluacion:catalogo_sujeto", args=[sujeto.pk])]  # once, not per practice
    assert reverse("evaluacion:resultados", args=[ciclo.convocatoria.slug]) in urls
    assert "<lastmod>" in practicas
    assert "/sitemap-practicas.xml" in urls and "/sitemap-sujetos.xml" in urls  # the index lists the sections


def test_robots_txt_apunta_al_sitemap(client, settings):
    settings.SITE_URL = "https://reconoce.infoem.org.mx/"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    texto = response.content.decode()
    assert "Sitemap: https://reconoce.infoem.org.mx/sitemap.xml" in texto.splitlines()
    assert "Disallow: /panel/" in texto and "Disallow: /admin/" in texto
