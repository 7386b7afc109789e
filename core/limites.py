"""Rate limits for public forms: a fixed window per client address (or per another key, such as an
e-mail address), counted in the shared cache (Redis in production, see CACHE_URL)."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def ip_cliente(request) -> str:
    """The client's address. Behind N trusted proxies (API_NUM_PROXIES) it is the N-th address from
    the right of X-Forwarded-For, which the client cannot forge; otherwise REMOTE_ADDR."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    xff = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and xff:
        direcciones = [d.strip() for d in xff.split(",") if d.strip()]
        if direcciones:
            return direcciones[-min(proxies, len(direcciones))]
    return request.META.get("REMOTE_ADDR", "") or "desconocida"


def limite_excedido(request, *, ambito: str, limite: int, ventana: int = 3600, clave: str | None = None) -> bool:
    """Count this request against the window; True beyond the limit. The window counts per client
    address, or per `clave` when given (an e-mail address: stored hashed, the cache keeps no address)."""
    quien = hashlib.sha256(clave.encode()).hexdigest() if clave is not None else ip_cliente(request)
    llave = f"limite:{ambito}:{quien}:{int(time.time() // ventana)}"
    cache.add(llave, 0, ventana)
    try:
        n = cache.incr(llave)
    except ValueError:  # evicted between add and incr
        cache.set(llave, 1, ventana)
        n = 1
    # None: the fail-safe cache could not count (it is down). The form stays open rather than shut
    # for everyone; the outage is logged by the cache (core.cache).
    return n is not None and n > limite
