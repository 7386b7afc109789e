"""The cache fails safe: with the cache on a real Redis that the test stops mid-way, the public pages
and the API keep answering from the database, a submission is saved and acknowledged, rate limits let
requests through, and an invalidation the cache never got is repeated once it is back (a cached
catalogue fragment is never shown after the change it predates)."""

import logging

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from config.settings.base import cache_desde_url
from core.limites import limite_excedido
from evaluacion import cache_catalogo
from practicas.models import Acuse, Practica
from tests import factories
from tests.evaluacion import builders_catalogo as bc
from tests.evaluacion import builders_dictamen as bd
from tests.fallas import fixture_redis_efimero  # noqa: F401

PAGINAS = ["/", "/practicas-reconocidas/", "/api/v1/", "/api/v1/practicas-reconocidas/"]


@pytest.fixture
def cache_en_redis(redis_efimero, settings):
    settings.CACHES = {"default": cache_desde_url(redis_efimero.url(1))}
    cache.clear()
    return redis_efimero


@pytest.fixture
def catalogo(autoridad, personal):
    ciclo = bc.ciclo_reconocido(autoridad=autoridad, personal=personal, anio=2033, practicas=[
        {"nombre": "Presupuesto ciudadano", "descripcion": "El presupuesto explicado."},
        {"nombre": "Agenda de cabildo abierto", "descripcion": "Sesiones y acuerdos."},
    ])
    return {"ciclo": ciclo, "despues": bd.antes_y_despues(ciclo)[1]}


def test_la_configuracion_usa_django_redis_con_las_fallas_ignoradas():
    config = cache_desde_url("redis://127.0.0.1:6379/1")
    assert config["BACKEND"] == "django_redis.cache.RedisCache"
    assert config["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert config["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 1
    assert cache_desde_url("locmemcache://")["BACKEND"].endswith("LocMemCache")


@pytest.mark.django_db
def test_las_paginas_publicas_responden_con_redis_caido(client, cache_en_redis, catalogo, caplog):
    with time_machine.travel(catalogo["despues"], tick=False):
        for url in PAGINAS:  # warm: fragments now live in Redis
            assert client.get(url).status_code == 200, url
        assert cache.get(cache_catalogo._VERSION) is not None

        cache_en_redis.detener()
        for filtro in logging.getLogger("core.cache").filters:  # a fresh "once every so often" window
            filtro._ultimo = float("-inf")
        with caplog.at_level(logging.WARNING, logger="core.cache"):
            for url in PAGINAS:
                resp = client.get(url)
                assert resp.status_code == 200, url
            catalogo_html = client.get("/practicas-reconocidas/").content.decode()
        assert "Presupuesto ciudadano" in catalogo_html  # from the database, not from the cache
        assert any("El cache no responde" in r.getMessage() for r in caplog.records), \
            "la falla del cache no quedó en el registro"


@pytest.mark.django_db
def test_un_envio_con_redis_caido_se_guarda_y_se_confirma(client, cache_en_redis):
    practica, _soporte, usuario = factories.borrador_enviable()
    client.force_login(usuario)

    cache_en_redis.detener()
    resp = client.post(reverse("practicas:enviar", args=[practica.pk]), follow=True)

    assert resp.status_code == 200
    practica.refresh_from_db()
    assert practica.estado == Practica.Estado.ENVIADA and practica.folio
    assert f"Práctica recibida con el folio {practica.folio}" in resp.content.decode()
    assert Acuse.objects.filter(practica=practica).exists()


@pytest.mark.django_db
def test_los_limites_dejan_pasar_mientras_no_pueden_contar(rf, cache_en_redis):
    peticion = rf.post("/", REMOTE_ADDR="203.0.113.9")
    assert not limite_excedido(peticion, ambito="prueba", limite=1)
    assert limite_excedido(peticion, ambito="prueba", limite=1)  # counting while Redis is up
    cache_en_redis.detener()
    assert not limite_excedido(peticion, ambito="prueba", limite=1)


@pytest.mark.django_db
def test_una_invalidacion_perdida_se_repite_al_volver_el_cache(cache_en_redis):
    ahora = cache_catalogo.timezone.now()
    antes = cache_catalogo.version(ahora)

    cache_en_redis.detener()
    cache_catalogo.invalidar()  # a write while the cache is down: the bump never reaches Redis
    assert cache_catalogo.invalidacion_pendiente()

    cache_en_redis.iniciar()  # back with what it held (AOF): the old version is still there
    assert cache.get(cache_catalogo._VERSION) is not None
    despues = cache_catalogo.version(ahora)  # the next read repeats the lost bump first
    assert despues != antes
    assert not cache_catalogo.invalidacion_pendiente()
