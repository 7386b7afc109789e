"""Which requests count as a reuse of an open dataset: one client once per dataset, channel and day,
and no known crawler or monitor. The counters themselves (core.datos_abiertos.uso_registrar) hold
numbers only.

To know that a client was already counted today without knowing who the client is, each request
leaves a mark in the cache: HMAC-SHA256 under the day's secret of (address, User-Agent, dataset,
channel). Why no mark links back to a person:

- the day's secret is 32 random bytes made in the cache the first time it is needed that day, never
  written to the database, a file or a log, and it expires with its marks at the end of the day;
  tomorrow's is a new one, so no mark can be compared with another day's (no tracking over days);
- a mark is a keyed hash: without the secret, nobody (an administrator reading the cache included)
  can test a known address against it, not even by trying every IPv4 address; once the secret is
  gone, not even the portal can;
- marks carry no value beyond "seen", expire at midnight with the secret, and are never counted,
  listed or copied anywhere: the database keeps only how many (UsoDataset), as before.

Should the cache not answer (an outage), the request is counted: a day's figure may then run high,
but no use is lost and nothing is kept elsewhere instead.
"""

import hashlib
import hmac
import re
import secrets
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from . import datos_abiertos

# Crawlers, link previews, archivers and uptime monitors: automated visits that are no reuse. Scripts
# (curl, wget, python-requests, R, pandas) are how data is reused, so they count.
ROBOTS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|mediapartners|facebookexternalhit|bingpreview|ia_archiver|"
    r"archive\.org|yandex|baiduspider|duckduckgo|petalbot|semrush|ahrefs|mj12|dotbot|uptimerobot|"
    r"pingdom|statuscake|site24x7|monitor|linkcheck|check_http|headlesschrome|lighthouse|preview",
    re.IGNORECASE)

_SECRETO = "reuso:secreto:{dia}"
_MARCA = "reuso:marca:{huella}"


def es_robot(agente: str) -> bool:
    return bool(ROBOTS.search(agente or ""))


def _segundos_hasta_medianoche(ahora: datetime) -> int:
    local = timezone.localtime(ahora)
    manana = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time.min))
    return max(1, int((manana - local).total_seconds()))


def _secreto_del_dia(ahora: datetime) -> bytes | None:
    clave = _SECRETO.format(dia=timezone.localdate(ahora).isoformat())
    cache.add(clave, secrets.token_bytes(32), timeout=_segundos_hasta_medianoche(ahora))
    return cache.get(clave)


def primera_vez_hoy(request, *, dataset: str, canal: str, ahora: datetime) -> bool:
    """Whether this client has not yet used this dataset through this channel today (see the module)."""
    secreto = _secreto_del_dia(ahora)
    if secreto is None:
        return True  # no cache: count rather than lose the use
    direccion = BaseThrottle().get_ident(request) or ""
    agente = request.META.get("HTTP_USER_AGENT", "")
    mensaje = "\x1f".join((direccion, agente, dataset, canal)).encode()
    huella = hmac.new(secreto, mensaje, hashlib.sha256).hexdigest()
    marcada = cache.add(_MARCA.format(huella=huella), 1, timeout=_segundos_hasta_medianoche(ahora))
    # cache.add is False when the mark exists, and also when the cache failed to store it: tell them apart.
    return marcada or cache.get(_MARCA.format(huella=huella)) is None


def contar(request, *, dataset: str, formato: str, canal: str, ahora: datetime | None = None) -> bool:
    """Count one use of `dataset` if it is this client's first today and no robot's; True if counted."""
    ahora = ahora or timezone.now()
    if es_robot(request.META.get("HTTP_USER_AGENT", "")):
        return False
    if not primera_vez_hoy(request, dataset=dataset, canal=canal, ahora=ahora):
        return False
    datos_abiertos.uso_registrar(dataset=dataset, formato=formato, canal=canal, ahora=ahora)
    return True
