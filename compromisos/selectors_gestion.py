"""Reads of the enlace's and the staff's pages: a fixed number of queries whatever the rows."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.rules import autoridades_de
from practicas.rules import sujetos_de

from .models import CartaCompromiso, PracticaComprometida

Estado = CartaCompromiso.Estado
EstadoPractica = PracticaComprometida.Estado
ENTREGADAS = (EstadoPractica.PUBLICADA, EstadoPractica.POSTULADA, EstadoPractica.RECONOCIDA)


def con_conteos(cartas: QuerySet[CartaCompromiso]) -> QuerySet[CartaCompromiso]:
    """Each letter with how many practices it commits, how many are out and how many recognised."""
    return cartas.annotate(
        num_practicas=Count("practicas", distinct=True),
        num_publicadas=Count("practicas", filter=Q(practicas__estado__in=ENTREGADAS), distinct=True),
        num_reconocidas=Count("practicas", filter=Q(practicas__estado=EstadoPractica.RECONOCIDA), distinct=True),
    )


def cartas_del_enlace(user) -> QuerySet[CartaCompromiso]:
    return con_conteos(CartaCompromiso.objects.filter(sujeto_id__in=sujetos_de(user))
                       .select_related("sujeto", "autoridad")).order_by("-fecha", "-pk")


def cartas_del_panel(user) -> QuerySet[CartaCompromiso]:
    """The letters addressed to the person's authorities (every one for a superuser): the panel's
    scope, so another authority's letter is a 404."""
    cartas = CartaCompromiso.objects.select_related("sujeto", "autoridad")
    if user.is_superuser:
        return cartas
    return cartas.filter(autoridad__in=autoridades_de(user))


def buscar(cartas: QuerySet[CartaCompromiso], q: str = "", estado: str | None = None) -> QuerySet[CartaCompromiso]:
    """Every word of ``q`` in the body's name or acronym, the signer or a committed practice's title."""
    if estado:
        cartas = cartas.filter(estado=estado)
    for palabra in q.split():
        cartas = cartas.filter(
            Q(sujeto__nombre__icontains=palabra) | Q(sujeto__siglas__icontains=palabra)
            | Q(firmante_nombre__icontains=palabra)
            | Q(pk__in=PracticaComprometida.objects.filter(titulo__icontains=palabra).values("carta_id")))
    return con_conteos(cartas).order_by("-fecha", "-pk")


def conteos_panel(cartas: QuerySet[CartaCompromiso]) -> dict:
    """Counts at the top of the staff list: letters per state, committed practices per state as
    of today (of accepted letters: what the body is held to) and per institution."""
    hoy = timezone.localdate()
    por_estado = dict(cartas.values_list("estado").annotate(n=Count("pk")).order_by())
    comprometidas = PracticaComprometida.objects.filter(
        carta__in=cartas.filter(estado=Estado.ACEPTADA).values("pk")).annotate(
        estado_vigente=PracticaComprometida.q_estado_efectivo(hoy))
    por_estado_practica = dict(comprometidas.values_list("estado_vigente").annotate(n=Count("pk")).order_by())
    por_sujeto = list(
        cartas.order_by().values("sujeto_id", "sujeto__nombre", "sujeto__siglas").annotate(
            cartas=Count("pk", distinct=True),
            aceptadas=Count("pk", filter=Q(estado=Estado.ACEPTADA), distinct=True),
            comprometidas=Count("practicas", filter=Q(estado=Estado.ACEPTADA), distinct=True),
            publicadas=Count("practicas", filter=Q(estado=Estado.ACEPTADA, practicas__estado__in=ENTREGADAS),
                             distinct=True),
            reconocidas=Count("practicas", filter=Q(estado=Estado.ACEPTADA,
                                                    practicas__estado=EstadoPractica.RECONOCIDA), distinct=True),
        ).order_by("sujeto__nombre"))
    return {
        "cartas": [(e.value, e.label, por_estado.get(e.value, 0)) for e in Estado],
        "total_cartas": sum(por_estado.values()),
        "practicas": [(e.value, e.label, por_estado_practica.get(e.value, 0)) for e in EstadoPractica],
        "total_practicas": sum(por_estado_practica.values()),
        "por_sujeto": por_sujeto,
    }


def carta_detalle(cartas: QuerySet[CartaCompromiso]) -> QuerySet[CartaCompromiso]:
    return cartas.select_related("creada_por", "revisada_por").prefetch_related(
        Prefetch("practicas", queryset=PracticaComprometida.objects.select_related("practica__convocatoria")))


@dataclass(frozen=True)
class Paso:
    estado: str
    etiqueta: str
    fecha: datetime
    quien: str
    motivo: str


def historial(carta: CartaCompromiso) -> list[Paso]:
    """The letter's steps (each change of state, oldest first) and who took each: a name, never an
    e-mail address."""
    etiquetas = dict(Estado.choices)
    pasos, anterior = [], None
    for fila in carta.history.select_related("history_user").order_by("history_date", "history_id"):
        if fila.estado == anterior:
            continue
        anterior = fila.estado
        persona = fila.history_user
        quien = (persona.get_full_name() or _("Persona usuaria sin nombre registrado")) if persona else _("Sistema")
        pasos.append(Paso(fila.estado, etiquetas.get(fila.estado, fila.estado), fila.history_date, quien,
                          fila.motivo_devolucion if fila.estado == Estado.DEVUELTA else ""))
    return pasos


def compromisos_vinculables(user, practica) -> QuerySet[PracticaComprometida]:
    """Open commitments a submitted practice may fulfil: of accepted letters of its body to the
    authority of its call, not yet linked to a practice."""
    return PracticaComprometida.objects.filter(
        carta__estado=Estado.ACEPTADA, carta__sujeto_id=practica.sujeto_id,
        carta__autoridad_id=practica.convocatoria.autoridad_id,
        estado__in=(EstadoPractica.COMPROMETIDA, EstadoPractica.EN_ELABORACION, EstadoPractica.VENCIDA,
                    EstadoPractica.PUBLICADA),
    ).select_related("carta").order_by("fecha_meta", "pk")


def cartas_pendientes(user) -> int:
    """Presented letters waiting for the person's authorities (the panel home's badge)."""
    return cartas_del_panel(user).filter(estado=Estado.PRESENTADA).count()
