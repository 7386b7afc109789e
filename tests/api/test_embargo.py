"""The embargo through the API and the downloads: one second before the results second no endpoint
or file reveals a recognition (not even a count); one second after, all do."""

import json

import pytest
import time_machine
from django.urls import reverse

from evaluacion import busqueda
from tests.evaluacion.builders_dictamen import antes_y_despues, fixture_ciclo, fixture_firmado  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def momentos(firmado):
    # Every signed practice in the search index from the start: the worst case, so only the embargo
    # in the queryset can keep a search from finding it.
    busqueda.indexar()
    antes, despues = antes_y_despues(firmado)
    return {"antes": antes, "despues": despues}


def _todo(client, firmado) -> dict:
    """Every public answer that could mention the recognised practice."""
    procedente = firmado.practicas[0]
    conv = firmado.convocatoria
    respuestas = {
        "lista": client.get(reverse("api:practica-reconocida-list")),
        "busqueda": client.get(reverse("api:practica-reconocida-list"), {"q": procedente.nombre}),
        "filtro": client.get(reverse("api:practica-reconocida-list"), {"sujeto": procedente.sujeto_id,
                                                                       "convocatoria": conv.slug}),
        "detalle": client.get(reverse("api:practica-reconocida-detail", args=[procedente.pk])),
        "convocatoria": client.get(reverse("api:convocatoria-detail", args=[conv.slug])),
        "sujeto": client.get(reverse("api:sujeto-detail", args=[procedente.sujeto_id])),
    }
    for formato in ("csv", "json"):
        for dataset in ("practicas-reconocidas", "convocatorias", "sujetos-obligados"):
            respuestas[f"{dataset}.{formato}"] = client.get(reverse("datos:descarga", args=[dataset, formato]))
    return respuestas


def _texto(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_un_segundo_antes_nada_revela_el_reconocimiento(client, firmado, momentos):
    procedente, no_procedente = firmado.practicas
    with time_machine.travel(momentos["antes"], tick=False):
        respuestas = _todo(client, firmado)
        textos = {k: _texto(r) for k, r in respuestas.items()}
    assert respuestas["detalle"].status_code == 404
    for clave in ("lista", "busqueda", "filtro"):
        assert respuestas[clave].json()["count"] == 0, clave
    assert respuestas["convocatoria"].json()["practicas_reconocidas"] == 0
    assert respuestas["sujeto"].json()["practicas_reconocidas"] == 0
    assert respuestas["sujeto"].json()["url"] is None  # not even a link to a body page that would 404
    assert json.loads(textos["practicas-reconocidas.json"]) == []
    assert textos["practicas-reconocidas.csv"].count("\n") == 1  # the header only
    for clave, texto in textos.items():
        for practica in (procedente, no_procedente):
            assert practica.nombre not in texto, clave
            assert practica.folio not in texto, clave


def test_un_segundo_despues_todo_lo_muestra(client, firmado, momentos):
    procedente, no_procedente = firmado.practicas
    with time_machine.travel(momentos["despues"], tick=False):
        respuestas = _todo(client, firmado)
        textos = {k: _texto(r) for k, r in respuestas.items()}
    assert respuestas["detalle"].status_code == 200
    assert respuestas["detalle"].json()["practica"] == procedente.nombre
    for clave in ("lista", "busqueda", "filtro"):
        assert [f["id"] for f in respuestas[clave].json()["results"]] == [procedente.pk], clave
    assert respuestas["convocatoria"].json()["practicas_reconocidas"] == 1
    assert respuestas["sujeto"].json()["practicas_reconocidas"] == 1
    with time_machine.travel(momentos["despues"], tick=False):
        assert client.get(respuestas["sujeto"].json()["url"]).status_code == 200
        assert client.get(respuestas["detalle"].json()["url_practica"]).status_code == 200
    assert [f["id"] for f in json.loads(textos["practicas-reconocidas.json"])] == [procedente.pk]
    assert procedente.nombre in textos["practicas-reconocidas.csv"]
    for texto in textos.values():
        assert no_procedente.nombre not in texto  # never: its ruling was unfavourable
