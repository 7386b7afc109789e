"""HTTP validators of the open-data downloads (ETag, Last-Modified), taken from the bytes actually
served, so a reuser's harvester can ask "has it changed?" and get a 304 without the file.

A dataset's `modificado` says when its source last changed in the large (a call's results, a
session), not when a row's derived value did (a recognition that expired overnight, a body renamed,
one authority's slice). So the ETag is the SHA-256 of the exact content (header, rows, BOM if any),
computed by running the rows once without keeping them: constant memory whatever the size. The
Last-Modified is the moment this portal first served that ETag, remembered in the cache; if the
cache forgot it, "now" is said, which may cost a client one download but never makes it keep a
stale file (a 304 is only ever given for the very same bytes).
"""

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

# How long the cache remembers when a content was first served (it is refreshed on every request).
RECUERDO = 60 * 60 * 24 * 90


def huella(partes: Iterable[str]) -> str:
    """SHA-256 of the UTF-8 text `partes` make, read once and not kept."""
    suma = hashlib.sha256()
    for parte in partes:
        suma.update(parte.encode("utf-8"))
    return suma.hexdigest()


def desde(clave: str, etag: str, ahora: datetime) -> datetime:
    """When `etag` was first served under `clave` (a dataset, format and filter), to the second."""
    ahora = ahora.replace(microsecond=0)
    llave = f"datos:validador:{hashlib.sha256(clave.encode()).hexdigest()}"
    guardado = cache.get(llave)
    if guardado and guardado[0] == etag:
        cache.touch(llave, RECUERDO)
        return guardado[1]
    cache.set(llave, (etag, ahora), RECUERDO)
    return ahora


def condicional(request, *, clave: str, contenido: Callable[[], Iterable[str]], ahora: datetime | None = None):
    """(304 response or None, etag, last_modified): the answer to If-None-Match / If-Modified-Since
    (Django's rules: If-None-Match wins when both are sent), and the validators for a 200."""
    ahora = ahora or timezone.now()
    etag = quote_etag(huella(contenido()))
    modificado = desde(clave, etag, ahora)
    respuesta = get_conditional_response(request, etag=etag, last_modified=int(modificado.timestamp()))
    return respuesta, etag, modificado


def poner(respuesta, etag: str, modificado: datetime):
    """The validators on a response, and "ask again each time" so caches revalidate instead of guessing."""
    respuesta["ETag"] = etag
    respuesta["Last-Modified"] = http_date(modificado.timestamp())
    respuesta["Cache-Control"] = "no-cache"
    return respuesta
