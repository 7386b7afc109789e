"""The catalogue's cached fragments (evaluacion/cache_catalogo.py): a warm cache never holds a
recognition back past its results second nor shows one before it, and a write the catalogue shows
is visible on the next request."""

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from evaluacion import cache_catalogo, services
from evaluacion.models import Reconocimiento
from practicas.models import SujetoObligado
from tests.evaluacion import builders_catalogo as bc
from tests.evaluacion import builders_dictamen as bd

NOMBRE = "Tablero de abasto de medicamentos"
URLS = [reverse("evaluacion:catalogo"), reverse("evaluacion:catalogo") + "?q=medicamentos", reverse("portal:inicio")]


def _sin_marcas(respuesta) -> str:
    """The page as read: a searched word is highlighted (<mark>), which splits a name in the HTML."""
    return respuesta.content.decode().replace("<mark>", "").replace("</mark>", "")


@pytest.fixture
def reconocido(autoridad, personal):
    ciclo = bc.ciclo_reconocido(autoridad=autoridad, personal=personal, practicas=[{"nombre": NOMBRE}])
    antes, despues = bd.antes_y_despues(ciclo)
    return {"ciclo": ciclo, "antes": antes, "despues": despues}


def test_cache_caliente_antes_no_retiene_la_publicacion(client, reconocido):
    cache.clear()
    with time_machine.travel(reconocido["antes"], tick=False):
        for url in URLS:
            assert NOMBRE not in _sin_marcas(client.get(url)), url
            assert NOMBRE not in _sin_marcas(client.get(url)), url  # from the cache now
    # Two seconds later, no write in between: the key changed with the results second.
    with time_machine.travel(reconocido["despues"], tick=False):
        for url in URLS:
            assert NOMBRE in _sin_marcas(client.get(url)), url


def test_cache_caliente_despues_no_se_sirve_antes(client, reconocido):
    """Even going back in time (tests do), a fragment built after the second is not served before it."""
    cache.clear()
    with time_machine.travel(reconocido["despues"], tick=False):
        for url in URLS:
            assert NOMBRE in _sin_marcas(client.get(url)), url
    with time_machine.travel(reconocido["antes"], tick=False):
        for url in URLS:
            assert NOMBRE not in _sin_marcas(client.get(url)), url


@pytest.mark.django_db(transaction=True)
def test_revocacion_y_cambio_de_nombre_se_ven_en_la_siguiente_peticion(client, reconocido):
    # Each write commits, as in a request: the version is bumped after the commit.
    url = reverse("evaluacion:catalogo")
    with time_machine.travel(reconocido["despues"], tick=False):
        assert "badge text-bg-success\">Vigente<" in _sin_marcas(client.get(url))
        rec = Reconocimiento.objects.get()
        services.reconocimiento_revocar(reconocimiento=rec, usuario=reconocido["ciclo"].personal,
                                        motivo="La práctica dejó de publicarse.")
        texto = _sin_marcas(client.get(url))
        assert "badge text-bg-danger\">Revocado<" in texto and "badge text-bg-success" not in texto
        sujeto = SujetoObligado.objects.get(pk=reconocido["ciclo"].practicas[0].sujeto_id)
        sujeto.nombre = "Instituto de Salud del Estado de México"
        sujeto.save()
        assert "Instituto de Salud del Estado de México" in _sin_marcas(client.get(url))
        assert "Instituto de Salud del Estado de México" in client.get(reverse("portal:inicio")).content.decode()


def test_la_clave_no_depende_del_orden_de_los_parametros(client, reconocido):
    base = reverse("evaluacion:catalogo")
    with time_machine.travel(reconocido["despues"], tick=False):
        client.get(base + "?vigencia=vigente&orden=estatal")
        respuesta = client.get(base + "?orden=estatal&vigencia=vigente")
    assert respuesta.context is None  # the whole page from the cache: no template was rendered
    assert NOMBRE in respuesta.content.decode()


def _token(texto):
    import re

    return re.search(r'"X-CSRFToken": "([^"]*)"', texto).group(1)


def test_cada_respuesta_lleva_su_propio_token_csrf(reconocido):
    from django.test import Client

    url = reverse("evaluacion:catalogo")
    with time_machine.travel(reconocido["despues"], tick=False):
        primera, segunda = Client().get(url), Client().get(url)
    assert primera.context is not None and segunda.context is None  # the second from the cache
    assert _token(primera.content.decode()) != _token(segunda.content.decode())
    assert "__reconoce_csrf" not in segunda.content.decode()
    assert segunda.cookies["csrftoken"].value  # and its cookie, as any rendered page would set


def test_la_pagina_de_quien_inicio_sesion_no_se_guarda_ni_se_comparte(client, reconocido, enlace_a):
    from django.test import Client

    url = reverse("evaluacion:catalogo")
    with time_machine.travel(reconocido["despues"], tick=False):
        client.force_login(enlace_a)  # inside: a session from a month before would have expired
        propia = _sin_marcas(client.get(url))
        otra_vez = client.get(url)
        anonima = _sin_marcas(Client().get(url))
    assert enlace_a.get_full_name() in propia and "Cerrar sesión" in propia
    assert otra_vez.context is not None  # rendered for them each time
    assert enlace_a.get_full_name() not in anonima and "Cerrar sesión" not in anonima
    assert NOMBRE in anonima


@pytest.fixture
def bumps(monkeypatch):
    """Counts the catalogue's version bumps (the receiver looks the function up at each write)."""
    llamadas = []
    original = cache_catalogo.invalidar

    def contar(**kwargs):
        llamadas.append(1)
        original(**kwargs)

    monkeypatch.setattr(cache_catalogo, "invalidar", contar)
    return llamadas


@pytest.mark.django_db(transaction=True)
def test_la_version_cambia_al_confirmar_la_escritura_una_vez_por_transaccion(reconocido, bumps):
    ahora = reconocido["despues"]
    antes = cache_catalogo.version(ahora)
    bumps.clear()
    with transaction.atomic():
        for sujeto in SujetoObligado.objects.all()[:3]:
            sujeto.save()
        assert cache_catalogo.version(ahora) == antes and bumps == []  # not before the commit
    assert bumps == [1]  # once for the three writes
    assert cache_catalogo.version(ahora) != antes


@pytest.mark.django_db(transaction=True)
def test_una_escritura_tras_un_savepoint_deshecho_vuelve_a_programar_la_invalidacion(reconocido, bumps):
    sujeto = SujetoObligado.objects.first()
    bumps.clear()
    with transaction.atomic():
        try:
            with transaction.atomic():
                sujeto.save()
                raise RuntimeError("se deshace")
        except RuntimeError:
            pass
        sujeto.save()
    assert bumps == [1]


def test_la_pagina_en_cache_lleva_el_nonce_de_su_propia_cabecera_csp(reconocido, autoridad):
    """The page kept for visitors without a session holds the authority colour's inline <style>: its
    nonce is each response's, the one its Content-Security-Policy allows, or the browser refuses the
    style (seen in Chromium on the embedded default's catalogue, from the second visit on)."""
    import re

    from django.test import Client

    type(autoridad).objects.filter(pk=autoridad.pk).update(color_primario="#1f4e79")
    cache.clear()
    url = reverse("evaluacion:catalogo")
    with time_machine.travel(reconocido["despues"], tick=False):
        respuestas = [Client().get(url), Client().get(url)]
    assert respuestas[0].context is not None and respuestas[1].context is None  # the second from the cache
    nonces = []
    for r in respuestas:
        html = r.content.decode()
        en_pagina = re.search(r'<style nonce="([^"]+)">:root\{--color-institucional', html).group(1)
        estilo = next(d for d in r["Content-Security-Policy"].split(";") if d.strip().startswith("style-src"))
        assert f"'nonce-{en_pagina}'" in estilo, (en_pagina, estilo)
        assert "__reconoce_nonce" not in html
        nonces.append(en_pagina)
    assert nonces[0] != nonces[1]
