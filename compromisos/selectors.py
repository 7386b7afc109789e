"""Reads that views, the API and open data share, with their joins, so a page's queries do not grow
with its rows."""

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.models import AutoridadGarante
from core.rules import autoridades_de
from evaluacion.catalogo import reconocimientos_publicos
from practicas.models import SujetoObligado
from practicas.rules import sujetos_de

from .models import CartaCompromiso, PracticaComprometida

EstadoPractica = PracticaComprometida.Estado


def cartas_relacionadas(user) -> QuerySet[CartaCompromiso]:
    """The letters a person is related to: their bodies' (an enlace), their authorities' (staff),
    every one (a superuser). The scope core.acceso looks an id up in: anything else is 404."""
    cartas = CartaCompromiso.objects.select_related("sujeto", "autoridad", "documento")
    if not user.is_authenticated:
        return cartas.none()
    if user.is_superuser:
        return cartas
    return cartas.filter(Q(sujeto_id__in=sujetos_de(user)) | Q(autoridad__in=autoridades_de(user))).distinct()


def cartas_publicas(autoridad=None) -> QuerySet[CartaCompromiso]:
    """Accepted letters, with their practices: what the public tracker, open data and the API show."""
    cartas = CartaCompromiso.objects.filter(estado=CartaCompromiso.Estado.ACEPTADA).select_related(
        "sujeto", "autoridad").prefetch_related(
        Prefetch("practicas", queryset=PracticaComprometida.objects.select_related("practica__convocatoria")))
    return cartas if autoridad is None else cartas.filter(autoridad=autoridad)


def comprometidas_publicas(autoridad=None) -> QuerySet[PracticaComprometida]:
    hoy = timezone.localdate()
    qs = PracticaComprometida.objects.filter(carta__estado=CartaCompromiso.Estado.ACEPTADA).annotate(
        estado_vigente=PracticaComprometida.q_estado_efectivo(hoy))
    return qs if autoridad is None else qs.filter(carta__autoridad=autoridad)


def totales(comprometidas: QuerySet[PracticaComprometida]) -> dict:
    """Committed, published (published, submitted or recognised: it is out) and recognised, with a
    count per state (as of today: «vencida» from the clock)."""
    por_estado = dict(comprometidas.values_list("estado_vigente").annotate(n=Count("pk")).order_by())
    publicadas = sum(por_estado.get(e, 0) for e in (EstadoPractica.PUBLICADA, EstadoPractica.POSTULADA,
                                                     EstadoPractica.RECONOCIDA))
    return {"comprometidas": sum(por_estado.values()), "publicadas": publicadas,
            "reconocidas": por_estado.get(EstadoPractica.RECONOCIDA, 0),
            "por_estado": {e.value: por_estado.get(e.value, 0) for e in EstadoPractica}}


# --- the public tracker ---------------------------------------------------------------------------
# Only accepted letters, ever. A «postulada» commitment's practice is private until recognised: the
# tracker names a practice only through `con_reconocimiento_publico`, i.e. when evaluacion's one
# embargo queryset holds its recognition.

ACEPTADA = CartaCompromiso.Estado.ACEPTADA
SALIDAS = (EstadoPractica.PUBLICADA, EstadoPractica.POSTULADA, EstadoPractica.RECONOCIDA)


def resumen(por_estado: dict) -> dict:
    """The three totals (committed, published, recognised) from a count per effective state."""
    publicadas = sum(por_estado.get(e, 0) for e in SALIDAS)
    comprometidas = sum(por_estado.values())
    return {"comprometidas": comprometidas, "publicadas": publicadas,
            "reconocidas": por_estado.get(EstadoPractica.RECONOCIDA, 0),
            "porcentaje_publicadas": round(100 * publicadas / comprometidas, 1) if comprometidas else 0,
            "por_estado": {e.value: por_estado.get(e.value, 0) for e in EstadoPractica}}


def autoridades_con_cartas() -> QuerySet[AutoridadGarante]:
    """The authorities with at least one accepted letter, with their bodies and totals (one query;
    «publicada» and «reconocida» are never time-driven, so the stored state is enough here)."""
    aceptada = Q(cartas_compromiso__estado=ACEPTADA)
    practicas = "cartas_compromiso__practicas"
    return (AutoridadGarante.objects.filter(cartas_compromiso__estado=ACEPTADA).distinct()
            .annotate(num_sujetos=Count("cartas_compromiso__sujeto", filter=aceptada, distinct=True),
                      num_comprometidas=Count(practicas, filter=aceptada, distinct=True),
                      num_publicadas=Count(practicas, filter=aceptada & Q(**{f"{practicas}__estado__in": SALIDAS}),
                                           distinct=True),
                      num_reconocidas=Count(practicas, filter=aceptada & Q(
                          **{f"{practicas}__estado": EstadoPractica.RECONOCIDA}), distinct=True))
            .order_by("siglas", "pk"))


def autoridad_publica(slug: str) -> AutoridadGarante:
    """The authority of `slug` if it has an accepted letter; DoesNotExist otherwise (the view's 404)."""
    return AutoridadGarante.objects.filter(cartas_compromiso__estado=ACEPTADA).distinct().get(slug=slug)


def con_reconocimiento_publico(comprometidas: QuerySet[PracticaComprometida], ahora=None):
    """`reconocida_publica`: the linked practice holds a recognition the public may see now, read from
    evaluacion's embargo queryset. Only then may a page name or link the practice."""
    publicos = reconocimientos_publicos(ahora or timezone.now()).filter(dictamen__practica_id=OuterRef("practica_id"))
    return comprometidas.annotate(reconocida_publica=Exists(publicos.values("pk")))


def comprometidas_del_rastreador(autoridad=None, sujeto=None, ahora=None) -> QuerySet[PracticaComprometida]:
    """Every commitment of accepted letters, with its letter, body and authority, its effective state
    (`estado_vigente`) and `reconocida_publica`, body by body (one query)."""
    qs = comprometidas_publicas(autoridad).select_related("carta__sujeto", "carta__autoridad")
    if sujeto is not None:
        qs = qs.filter(carta__sujeto=sujeto)
    return con_reconocimiento_publico(qs, ahora).order_by("carta__sujeto__nombre", "carta__sujeto_id",
                                                          "fecha_meta", "pk")


def buscar_comprometidas(comprometidas: QuerySet[PracticaComprometida], texto: str) -> QuerySet[PracticaComprometida]:
    """Every word of `texto` in the practice's title, its area or its body's name or abbreviation."""
    for palabra in texto.split():
        comprometidas = comprometidas.filter(
            Q(titulo__icontains=palabra) | Q(area_responsable__icontains=palabra)
            | Q(carta__sujeto__nombre__icontains=palabra) | Q(carta__sujeto__siglas__icontains=palabra))
    return comprometidas


def sujetos_de_autoridad(autoridad) -> list[dict]:
    """One row per body with an accepted letter to `autoridad`: its id, name and the totals of its
    commitments as of today (one query)."""
    filas: dict[int, dict] = {}
    conteos = (comprometidas_publicas(autoridad).values("carta__sujeto_id", "carta__sujeto__nombre", "estado_vigente")
               .annotate(n=Count("pk")).order_by("carta__sujeto__nombre", "carta__sujeto_id"))
    for c in conteos:
        fila = filas.setdefault(c["carta__sujeto_id"], {"id": c["carta__sujeto_id"], "nombre": c["carta__sujeto__nombre"],
                                                         "conteos": {}})
        fila["conteos"][c["estado_vigente"]] = c["n"]
    return [{**f, **resumen(f.pop("conteos"))} for f in filas.values()]


def sujeto_publico(autoridad, sujeto_id) -> SujetoObligado:
    """The body if it has an accepted letter to `autoridad`; DoesNotExist otherwise (the view's 404)."""
    return SujetoObligado.objects.filter(cartas_compromiso__estado=ACEPTADA,
                                         cartas_compromiso__autoridad=autoridad).distinct().get(pk=sujeto_id)


def cartas_del_sujeto(autoridad, sujeto, ahora=None) -> list[CartaCompromiso]:
    """The body's accepted letters to `autoridad`, newest first, each with `comprometidas` (annotated
    as in comprometidas_del_rastreador) and each of those with `fechas`, the first date it reached
    each state, from its history (three queries)."""
    cartas = list(CartaCompromiso.objects.filter(estado=ACEPTADA, autoridad=autoridad, sujeto=sujeto)
                  .order_by("-fecha", "-pk"))
    comprometidas = list(comprometidas_del_rastreador(autoridad, sujeto, ahora).filter(carta__in=cartas))
    fechas: dict[int, dict] = {}
    historia = (PracticaComprometida.history.filter(id__in=[c.pk for c in comprometidas])
                .order_by("history_date", "history_id").values_list("id", "estado", "history_date"))
    for pk, estado, cuando in historia:
        fechas.setdefault(pk, {}).setdefault(estado, cuando)
    por_carta: dict[int, list] = {}
    for c in comprometidas:
        c.fechas = [(EstadoPractica(e).label, f) for e, f in fechas.get(c.pk, {}).items()
                    if e != EstadoPractica.COMPROMETIDA]
        por_carta.setdefault(c.carta_id, []).append(c)
    for carta in cartas:
        carta.comprometidas = por_carta.get(carta.pk, [])
    return cartas


def paginas_publicas() -> list[tuple[str, int | None, object]]:
    """The tracker's pages for the sitemap: (authority slug, body id or None, last change), one per
    authority and one per body with an accepted letter (one query)."""
    filas = (CartaCompromiso.objects.filter(estado=ACEPTADA)
             .values("autoridad__slug", "sujeto_id").annotate(ultima=Max("revisada_en"))
             .order_by("autoridad__slug", "sujeto_id"))
    paginas, autoridades = [], {}
    for f in filas:
        slug = f["autoridad__slug"]
        autoridades[slug] = max(filter(None, (autoridades.get(slug), f["ultima"])), default=None)
        paginas.append((slug, f["sujeto_id"], f["ultima"]))
    return [(slug, None, ultima) for slug, ultima in autoridades.items()] + paginas
