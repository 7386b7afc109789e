"""Reuse counters: one client once per dataset, channel and day, known robots never, and nothing
kept that names the client (core.reuso)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core import reuso
from core.models import UsoDataset
from tests.api import builders as b

pytestmark = pytest.mark.django_db

SESIONES = "jornadas-sesiones"
RECONOCIMIENTOS = "practicas-reconocidas"


def _peticion(direccion="198.51.100.4", agente="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"):
    return RequestFactory().get("/datos/x.csv", REMOTE_ADDR=direccion, HTTP_USER_AGENT=agente)


def _conteo(dataset=SESIONES) -> int:
    return sum(UsoDataset.objects.filter(dataset=dataset).values_list("conteo", flat=True))


def test_un_cliente_cuenta_una_vez_por_dataset_y_dia():
    ahora = timezone.now()
    for _ in range(3):
        reuso.contar(_peticion(), dataset=SESIONES, formato="csv", canal="descarga", ahora=ahora)
    assert _conteo() == 1
    # Another dataset, another channel, another address or another browser: each a use.
    reuso.contar(_peticion(), dataset=RECONOCIMIENTOS, formato="csv", canal="descarga", ahora=ahora)
    reuso.contar(_peticion(), dataset=SESIONES, formato="json", canal="api", ahora=ahora)
    reuso.contar(_peticion("198.51.100.5"), dataset=SESIONES, formato="csv", canal="descarga", ahora=ahora)
    reuso.contar(_peticion(agente="curl/8.5.0"), dataset=SESIONES, formato="csv", canal="descarga", ahora=ahora)
    assert _conteo(RECONOCIMIENTOS) == 1
    assert _conteo() == 4


def test_al_dia_siguiente_el_mismo_cliente_vuelve_a_contar():
    hoy = timezone.now()
    assert reuso.contar(_peticion(), dataset=SESIONES, formato="csv", canal="descarga", ahora=hoy)
    manana = hoy + timedelta(days=1)
    assert reuso.contar(_peticion(), dataset=SESIONES, formato="csv", canal="descarga", ahora=manana)
    assert not reuso.contar(_peticion(), dataset=SESIONES, formato="csv", canal="descarga", ahora=manana)
    assert sorted(UsoDataset.objects.values_list("conteo", flat=True)) == [1, 1]  # one row per day


@pytest.mark.parametrize("agente", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; YandexBot/3.0)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
])
def test_los_robots_no_cuentan(client, agente):
    b.reconocidas_en_bloque(1)
    assert client.get(reverse("datos:descarga", args=[RECONOCIMIENTOS, "csv"]), HTTP_USER_AGENT=agente).status_code == 200
    assert client.get(reverse("api:practica-reconocida-list"), HTTP_USER_AGENT=agente).status_code == 200
    assert not UsoDataset.objects.exists()


@pytest.mark.parametrize("agente", ["curl/8.5.0", "python-requests/2.32.3", "Wget/1.21.4", "R (4.4.1)", ""])
def test_los_programas_de_quien_reutiliza_si_cuentan(agente):
    assert not reuso.es_robot(agente)


def test_nada_de_lo_guardado_nombra_al_cliente():
    """The cache holds the day's secret and keyed hashes; neither the address nor the agent, in clear
    or as a plain (unkeyed) hash, appears in any key or value."""
    import hashlib

    direccion, agente = "203.0.113.77", "Navegador-de-prueba/1.0"
    reuso.contar(_peticion(direccion, agente), dataset=SESIONES, formato="csv", canal="descarga")
    claves = list(cache._cache.keys())  # locmem: the test settings' cache
    assert any("reuso:marca:" in c for c in claves) and any("reuso:secreto:" in c for c in claves)
    volcado = repr(claves) + repr([cache._cache[c] for c in claves])
    for prohibido in (direccion, agente, hashlib.sha256(direccion.encode()).hexdigest(),
                      hashlib.sha256(f"{direccion}\x1f{agente}".encode()).hexdigest()):
        assert prohibido not in volcado
    assert {f.name for f in UsoDataset._meta.get_fields()} == {"id", "dataset", "formato", "canal", "dia", "conteo"}


def test_cada_dia_tiene_su_secreto_que_caduca_a_medianoche():
    hoy = timezone.now()
    secreto_hoy = reuso._secreto_del_dia(hoy)
    assert secreto_hoy == reuso._secreto_del_dia(hoy) and len(secreto_hoy) == 32
    assert reuso._secreto_del_dia(hoy + timedelta(days=1)) != secreto_hoy
    assert 0 < reuso._segundos_hasta_medianoche(hoy) <= 24 * 3600


def test_sin_cache_se_cuenta_igual(settings):
    """An outage of the cache loses no use (it may count a client twice that day)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    from django.core.cache import caches

    caches._settings = None  # re-read the setting
    try:
        for _ in range(2):
            reuso.contar(_peticion(), dataset=SESIONES, formato="csv", canal="descarga")
    finally:
        del caches._connections.default
    assert _conteo() == 2
