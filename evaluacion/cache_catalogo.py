"""A cache for the public catalogue's rendered fragments (the listing, the home page's figures and
latest recognitions), so a busy catalogue costs about what a static page costs.

A fragment is keyed by what it shows and by the catalogue's *version*:

- a counter bumped on every save or delete of what the catalogue shows (signals below);
- the number of calls whose results second has already passed, computed at every request from
  the (cached) results dates: the second an embargo ends, the key changes and the fragment is
  built again from the database;
- today's date (validity turns "vencido" at midnight).

Content always comes from `reconocimientos_publicos(ahora)` when it is built, so a cached fragment
can only be *older* than the database, never ahead of the embargo: the worst a missed signal (a
bulk `update()`, another process's local-memory cache) can do is show a change late, for at most
TTL seconds. With a shared cache (Redis, CACHE_URL) every worker sees the same counter.
"""

import bisect
import hashlib
import logging
import threading
import uuid
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

from convocatorias.models import Convocatoria
from core.models import AutoridadGarante, DocumentoVerificable
from practicas.models import Evidencia, Municipio, Practica, Soporte, SujetoObligado

from .models import Dictamen, MotivoDictamen, Reconocimiento

logger = logging.getLogger(__name__)

TTL = 300  # seconds: the bound on staleness when a change escapes the signals
_VERSION = "catalogo:version"
_FECHAS = "catalogo:fechas_resultados"


def _fechas_de_resultados() -> list[datetime]:
    fechas = cache.get(_FECHAS)
    if fechas is None:
        fechas = sorted(Convocatoria.objects.filter(
            estado__in=[Convocatoria.Estado.EN_EVALUACION, Convocatoria.Estado.RESULTADOS_PUBLICADOS],
        ).values_list("fecha_resultados", flat=True))
        cache.set(_FECHAS, fechas, TTL)
    return fechas


def version(ahora: datetime) -> str:
    if _pendiente.is_set():
        invalidar()
    contador = cache.get(_VERSION)
    if contador is None:
        contador = uuid.uuid4().hex  # a fresh cache never reuses an old key
        cache.add(_VERSION, contador, None)
        contador = cache.get(_VERSION, contador)
    publicadas = bisect.bisect_right(_fechas_de_resultados(), ahora)
    return f"{contador}:{publicadas}:{timezone.localdate(ahora).isoformat()}"


def clave(nombre: str, parametros, ahora: datetime) -> str:
    """`parametros`: a QueryDict or dict; their order does not matter."""
    items = sorted((k, v) for k in parametros for v in (parametros.getlist(k) if hasattr(parametros, "getlist")
                                                        else [parametros[k]]))
    huella = hashlib.sha256(repr(items).encode()).hexdigest()[:32]
    return f"catalogo:{nombre}:{translation.get_language()}:{version(ahora)}:{huella}"


# A bump the cache never got (it was down: the fail-safe cache drops writes). This process repeats it
# before it next reads the version, so a fragment built before the change is not served once the
# cache is back with its old contents; until then every read misses and comes from the database.
_pendiente = threading.Event()


def invalidacion_pendiente() -> bool:
    return _pendiente.is_set()


def invalidar(**kwargs) -> None:
    nuevo = uuid.uuid4().hex
    cache.set(_VERSION, nuevo, None)
    cache.delete(_FECHAS)
    if cache.get(_VERSION) == nuevo:
        _pendiente.clear()
    else:
        if not _pendiente.is_set():
            logger.warning("El cache no recibió la invalidación del catálogo; se repetirá cuando responda.")
        _pendiente.set()


def al_escribir(**kwargs) -> None:
    """The signal receiver: bump once the write commits, once per transaction. Bumping before the
    commit would let another request rebuild a fragment from the old rows under the new version
    (and would cost the cache's round trips inside the writer's locks, e.g. a submission's folio)."""
    conexion = transaction.get_connection()
    if not conexion.in_atomic_block:
        invalidar()
        return
    # One already registered at this level or an outer one still open runs with this write's commit
    # (one registered inside a savepoint since rolled back was discarded with it).
    abiertos = set(conexion.savepoint_ids)
    if not any(funcion is invalidar and sids <= abiertos for sids, funcion, _robusto in conexion.run_on_commit):
        transaction.on_commit(invalidar)


def conectar() -> None:
    """Bump the version whenever something the catalogue shows is written (AppConfig.ready; the
    portal adds what only its home page shows, the jornadas' figures)."""
    for modelo in (Convocatoria, Practica, Evidencia, Soporte, SujetoObligado, Municipio, Dictamen, MotivoDictamen,
                   Reconocimiento, DocumentoVerificable, AutoridadGarante):
        post_save.connect(al_escribir, sender=modelo, dispatch_uid=f"catalogo_{modelo.__name__}_save")
        post_delete.connect(al_escribir, sender=modelo, dispatch_uid=f"catalogo_{modelo.__name__}_delete")
