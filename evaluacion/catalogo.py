"""The public catalogue of recognised practices: the one queryset that pages, search, API,
downloads and the sitemap share, so the embargo is applied in SQL in exactly one place."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from convocatorias.models import Convocatoria
from practicas.models import SujetoObligado

from .busqueda import normalizar
from .models import Dictamen, Reconocimiento


def filtro_embargo(ahora: datetime, prefijo: str = "") -> Q:
    """Rulings whose call's results second has passed (the embargo), as a Q over `prefijo`
    (the path from the queried model to Dictamen, e.g. "dictamen__")."""
    return Q(**{f"{prefijo}estado": Dictamen.Estado.FIRMADO}) & Convocatoria.q_resultados_visibles(
        ahora, f"{prefijo}practica__convocatoria__")


def reconocimientos_publicos(ahora: datetime | None = None) -> QuerySet[Reconocimiento]:
    """Every recognition the public may see now, with its status of validity as of today
    (`estado_vigencia`: vigente, vencido or revocado; the daily task records expiries, but the
    catalogue never waits for it)."""
    ahora = ahora or timezone.now()
    hoy = timezone.localdate(ahora)
    return (
        Reconocimiento.objects.filter(filtro_embargo(ahora, "dictamen__"),
                                      dictamen__decision=Dictamen.Decision.PROCEDENTE)
        .select_related(
            "documento", "dictamen__documento", "dictamen__practica__sujeto__municipio",
            "dictamen__practica__convocatoria__autoridad",
        )
        .annotate(estado_vigencia=Reconocimiento.q_estado_efectivo(hoy))
    )


# What a card ({% tarjetas %}, evaluacion/templatetags/tarjetas.py) prints, and the keys that join it. A
# page of cards reads 20 rows of eight joined tables; without this, every column of each (the
# practice's long texts, the ruling's, two documents) is read and turned into objects per request.
CAMPOS_TARJETA = (
    "dictamen__practica__nombre", "dictamen__practica__descripcion",
    "dictamen__practica__sujeto__nombre", "dictamen__practica__sujeto__municipio__nombre",
    "dictamen__practica__sujeto__municipio__entidad", "dictamen__practica__convocatoria__anio",
    "dictamen__practica__convocatoria__autoridad__nombre", "dictamen__practica__convocatoria__autoridad__siglas",
)


def para_tarjetas(publicos: QuerySet[Reconocimiento]) -> QuerySet[Reconocimiento]:
    """The public queryset narrowed to the columns a card prints (the embargo and `estado_vigencia`
    stay: they are in SQL)."""
    return (publicos.select_related(None)
            .select_related("dictamen__practica__sujeto__municipio", "dictamen__practica__convocatoria__autoridad")
            .only(*CAMPOS_TARJETA))


def filas_en_orden(publicos, ids: list[int]) -> list:
    """The recognitions with these ids, in this order, from the public queryset (so the embargo is
    applied again: an id never turns into a row the public may not see)."""
    filas = {r.pk: r for r in publicos.filter(pk__in=ids)} if ids else {}
    return [filas[i] for i in ids if i in filas]


def sujetos_por_nombre(publicos: QuerySet[Reconocimiento], texto: str, limite: int | None = None) -> list[tuple[int, str]]:
    """The bodies with something in `publicos` (never one known only from a result still under
    embargo) whose name or abbreviation holds `texto`, accents and case aside: (pk, nombre) in
    alphabetical order. A name given whole names that body only (what the type-ahead offers)."""
    buscado = " ".join(normalizar(texto).split())
    if not buscado:
        return []
    filas = (SujetoObligado.objects.filter(pk__in=publicos.order_by().values("dictamen__practica__sujeto_id"))
             .order_by("nombre", "pk").values_list("pk", "nombre", "siglas"))
    coinciden, exactos = [], []
    for pk, nombre, siglas in filas:
        nombre_normal, siglas_normal = " ".join(normalizar(nombre).split()), normalizar(siglas or "")
        if buscado in (nombre_normal, siglas_normal):
            exactos.append((pk, nombre))
        elif buscado in nombre_normal or (siglas_normal and buscado in siglas_normal):
            coinciden.append((pk, nombre))
    elegidos = exactos or coinciden
    return elegidos[:limite] if limite else elegidos
