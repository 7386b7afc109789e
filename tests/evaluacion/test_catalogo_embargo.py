"""The embargo on the public catalogue: one second before the results second nothing reveals a
recognition (search, filters, pages, the body's page, the home page, the sitemap); one second
after, every one of them does."""

import pytest
import time_machine
from django.urls import reverse

from tests.evaluacion import builders_catalogo as bc
from tests.evaluacion import builders_dictamen as bd

NOMBRE = "Mapa de obra pública municipal"
SUJETO = "Ayuntamiento de Metepec"


def _sin_marcas(respuesta) -> str:
    """The page as read: a searched word is highlighted (<mark>), which splits a name in the HTML."""
    return respuesta.content.decode().replace("<mark>", "").replace("</mark>", "")


@pytest.fixture
def reconocido(autoridad, personal):
    sujeto = bc.municipal(nombre=SUJETO)
    ciclo = bc.ciclo_reconocido(autoridad=autoridad, personal=personal, anio=2031, practicas=[
        {"nombre": NOMBRE, "descripcion": "Obras con avance físico y financiero georreferenciado.",
         "sujeto": sujeto, "evidencia": "Consulta ciudadana sobre la información de obras."},
    ])
    antes, despues = bd.antes_y_despues(ciclo)
    return {"ciclo": ciclo, "practica": ciclo.practicas[0], "sujeto": sujeto, "antes": antes, "despues": despues}


def _urls_del_catalogo(r):
    conv, sujeto = r["ciclo"].convocatoria, r["sujeto"]
    catalogo = reverse("evaluacion:catalogo")
    return [
        catalogo,
        f"{catalogo}?q=obra",
        f"{catalogo}?q=georreferenciado",  # description
        f"{catalogo}?q=metepec",  # the body's name
        f"{catalogo}?q=consulta+ciudadana",  # evidence
        f"{catalogo}?anio={conv.anio}",
        f"{catalogo}?convocatoria={conv.slug}",
        f"{catalogo}?sujeto={sujeto.pk}",
        f"{catalogo}?orden=municipal",
        f"{catalogo}?municipio={sujeto.municipio_id}",
        f"{catalogo}?vigencia=vigente",
        f"{catalogo}?q=obra&anio={conv.anio}&orden=municipal&vigencia=vigente&orden_por=nombre",
        reverse("portal:inicio"),
    ]


def _paginas_propias(r):
    conv, practica, sujeto = r["ciclo"].convocatoria, r["practica"], r["sujeto"]
    return [
        reverse("evaluacion:catalogo_practica", args=[practica.pk]),
        reverse("evaluacion:practica_reconocida", args=[conv.slug, practica.pk]),
        reverse("evaluacion:catalogo_sujeto", args=[sujeto.pk]),
    ]


def test_catalogo_un_segundo_antes_no_revela_nada(client, reconocido):
    with time_machine.travel(reconocido["antes"], tick=False):
        for url in _urls_del_catalogo(reconocido):
            response = client.get(url)
            assert response.status_code == 200, url
            texto = _sin_marcas(response)
            assert NOMBRE not in texto, url
            assert SUJETO not in texto, url
            assert "Metepec" not in texto, url  # not even as a municipality to filter by
            assert reconocido["ciclo"].convocatoria.titulo not in texto, url
        for url in _paginas_propias(reconocido):
            assert client.get(url).status_code == 404, url
        sitemap = bc.sitemap_completo(client)
    for url in _paginas_propias(reconocido):
        assert url not in sitemap
    assert reverse("evaluacion:resultados", args=[reconocido["ciclo"].convocatoria.slug]) not in sitemap
    assert reverse("evaluacion:catalogo") in sitemap  # the sitemap itself did answer


def test_catalogo_un_segundo_despues_lo_muestra_todo(client, reconocido):
    with time_machine.travel(reconocido["despues"], tick=False):
        for url in _urls_del_catalogo(reconocido):
            texto = _sin_marcas(client.get(url))
            assert NOMBRE in texto, url
            assert SUJETO in texto, url
        for url in _paginas_propias(reconocido):
            response = client.get(url)
            assert response.status_code == 200, url
            assert NOMBRE in _sin_marcas(response), url
        sitemap = bc.sitemap_completo(client)
    assert reverse("evaluacion:catalogo_practica", args=[reconocido["practica"].pk]) in sitemap
    assert reverse("evaluacion:catalogo_sujeto", args=[reconocido["sujeto"].pk]) in sitemap
    assert reverse("evaluacion:resultados", args=[reconocido["ciclo"].convocatoria.slug]) in sitemap


def test_cifras_de_inicio_cuentan_solo_lo_publicado(client, reconocido):
    with time_machine.travel(reconocido["antes"], tick=False):
        antes = client.get(reverse("portal:inicio")).context["cifras"]
    with time_machine.travel(reconocido["despues"], tick=False):
        despues = client.get(reverse("portal:inicio")).context["cifras"]
    assert (antes["vigentes"], antes["sujetos"]) == (0, 0)
    assert (despues["vigentes"], despues["sujetos"]) == (1, 1)


def test_practica_no_procedente_nunca_aparece(client, autoridad, personal):
    ciclo = bd.con_dictamenes(autoridad=autoridad, personal=personal, puntajes=[9, 5], n_jurado=2)
    bd.firmar_todos(ciclo)
    procedente, no_procedente = ciclo.practicas
    from practicas.models import Practica

    Practica.objects.filter(pk=no_procedente.pk).update(nombre="Práctica no reconocida")
    with time_machine.travel(bd.antes_y_despues(ciclo)[1], tick=False):
        texto = client.get(reverse("evaluacion:catalogo")).content.decode()
        assert client.get(reverse("evaluacion:catalogo_practica", args=[no_procedente.pk])).status_code == 404
        assert client.get(reverse("evaluacion:catalogo_sujeto", args=[no_procedente.sujeto_id])).status_code == 404
        assert client.get(reverse("evaluacion:catalogo_practica", args=[procedente.pk])).status_code == 200
    assert "Práctica no reconocida" not in texto
    assert procedente.nombre in texto
