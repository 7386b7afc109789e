"""E-mails to a body about its carta compromiso: the authority's review (accepted, or returned with
its reasons), reminders before each target date (30 and 7 days ahead) and at the opening of a call
of the same authority.

Each notice is recorded in AvisoCompromiso in the transaction that sends it (its unique constraints
say «once»); a failed send undoes the record, so a retry sends it. The daily task only finds what is
due and queues one task per letter through the outbox (core.colas)."""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from convocatorias.models import Convocatoria
from convocatorias.selectors import convocatorias_abiertas
from core import colas, sitio
from core.correo import correo_enviar
from practicas.models import Enlace

from .models import AvisoCompromiso, CartaCompromiso, PracticaComprometida

Tipo = AvisoCompromiso.Tipo
EstadoPractica = PracticaComprometida.Estado
TAREA_REVISION = "compromisos.tasks.carta_avisar_revision_task"
TAREA_META = "compromisos.tasks.compromisos_recordar_meta_task"
TAREA_CONVOCATORIA = "compromisos.tasks.carta_avisar_convocatoria_task"
# Days before the target date, from the furthest: a practice committed 5 days ahead gets the 7-day one only.
UMBRALES = ((Tipo.META_30, 30), (Tipo.META_7, 7))
# What a call's opening is relevant to: anything not yet submitted (a published practice included).
PENDIENTES_DE_POSTULAR = (EstadoPractica.COMPROMETIDA, EstadoPractica.EN_ELABORACION, EstadoPractica.VENCIDA,
                          EstadoPractica.PUBLICADA)


def destinatarios(carta: CartaCompromiso) -> list[str]:
    """The body's approved enlaces; a letter captured by staff for a body without one, nobody."""
    return sorted(set(
        Enlace.objects.filter(sujeto_id=carta.sujeto_id, estado=Enlace.Estado.APROBADO, usuario__is_active=True)
        .exclude(usuario__email="").values_list("usuario__email", flat=True)))


def url_carta(carta: CartaCompromiso) -> str:
    """The letter's page for its enlaces; its format page while that page is not mounted."""
    try:
        return sitio.url_absoluta(reverse("compromisos:carta", args=[carta.pk]))
    except NoReverseMatch:
        return sitio.url_de("compromisos:carta_formato_estado", carta.pk)


def _bloquear(carta_id: int) -> CartaCompromiso | None:
    return (CartaCompromiso.objects.select_for_update(of=("self",)).select_related("sujeto", "autoridad")
            .filter(pk=carta_id).first())


def _registrar(**campos) -> bool:
    """Record the notice; False when it was recorded already (sent before)."""
    try:
        with transaction.atomic():
            AvisoCompromiso.objects.create(enviado_en=timezone.now(), **campos)
    except IntegrityError:
        return False
    return True


# --- the authority's review ----------------------------------------------------------------------

def revision_encolar(carta: CartaCompromiso) -> None:
    """Called by carta_aceptar / carta_devolver in their transaction: the notice leaves with it."""
    colas.encolar(TAREA_REVISION, carta.pk, carta.estado, carta.revisada_en.isoformat(),
                  carta.motivo_devolucion)


def carta_avisar_revision(*, carta_id: int, estado: str, revisada_en: str, motivo: str = "") -> bool:
    """E-mail the body that its letter was accepted or returned (with the reasons), once per review."""
    with transaction.atomic():
        carta = _bloquear(carta_id)
        revision = parse_datetime(revisada_en)
        if carta is None or estado not in AvisoCompromiso.REVISIONES:
            return False
        para = destinatarios(carta)
        if not para or not _registrar(tipo=estado, carta=carta, revision_en=revision):
            return False
        correo_enviar(plantilla=f"compromisos/correos/carta_{estado}", para=para, autoridad=carta.autoridad,
                      contexto={"carta": carta, "motivo": motivo, "url": url_carta(carta),
                                "practicas": list(carta.practicas.all())})
        return True


# --- before each target date ---------------------------------------------------------------------

def _umbral(fecha_meta: date, hoy: date):
    """The nearest threshold the target date is within (None: further, or past)."""
    dias = (fecha_meta - hoy).days
    if dias < 0:
        return None
    elegido = None
    for tipo, limite in UMBRALES:
        if dias <= limite:
            elegido = tipo
    return elegido


def _debidos(hoy: date, cartas=None) -> dict[tuple[int, str], list[int]]:
    """(letter, threshold) -> the open commitments due that reminder and not yet reminded of it."""
    abiertos = PracticaComprometida.objects.filter(
        carta__estado=CartaCompromiso.Estado.ACEPTADA, estado__in=PracticaComprometida.ABIERTOS,
        fecha_meta__gte=hoy, fecha_meta__lte=hoy + timedelta(days=max(d for _t, d in UMBRALES)))
    if cartas is not None:
        abiertos = abiertos.filter(carta_id__in=cartas)
    debidos: dict[tuple[int, str], list[int]] = {}
    avisados = set(AvisoCompromiso.objects.filter(compromiso__in=abiertos).values_list("compromiso_id", "tipo"))
    for pk, carta_id, fecha_meta in abiertos.order_by("carta_id", "fecha_meta", "pk").values_list(
            "pk", "carta_id", "fecha_meta"):
        tipo = _umbral(fecha_meta, hoy)
        if tipo is not None and (pk, tipo) not in avisados:
            debidos.setdefault((carta_id, tipo), []).append(pk)
    return debidos


def metas_encolar(*, hoy: date | None = None) -> int:
    """Daily: queue one reminder task per letter and threshold that has commitments due."""
    hoy = hoy or timezone.localdate()
    debidos = _debidos(hoy)
    for (carta_id, tipo), ids in debidos.items():
        colas.encolar(TAREA_META, carta_id, tipo, ids, hoy.isoformat())
    return len(debidos)


def compromisos_recordar_meta(*, carta_id: int, tipo: str, compromiso_ids: list[int], hoy: str) -> bool:
    """One e-mail listing the letter's commitments due this reminder, each recorded once: those a
    previous run already reminded, or delivered since, are left out."""
    with transaction.atomic():
        carta = _bloquear(carta_id)
        if carta is None or tipo not in AvisoCompromiso.METAS:
            return False
        para = destinatarios(carta)
        if not para:
            return False
        aun_debidos = set(_debidos(date.fromisoformat(hoy), cartas=[carta.pk]).get((carta.pk, tipo), []))
        pendientes = [c for c in carta.practicas.filter(pk__in=compromiso_ids).order_by("fecha_meta", "pk")
                      if c.pk in aun_debidos and _registrar(tipo=tipo, carta=carta, compromiso=c)]
        if not pendientes:
            return False
        ahora = timezone.now()
        PracticaComprometida.objects.filter(pk__in=[c.pk for c in pendientes]).update(recordatorio_en=ahora)
        correo_enviar(plantilla="compromisos/correos/recordatorio_meta", para=para, autoridad=carta.autoridad,
                      contexto={"carta": carta, "compromisos": pendientes, "url": url_carta(carta),
                                "dias": dict(UMBRALES)[tipo]})
        return True


# --- at a call's opening -------------------------------------------------------------------------

def _cartas_por_avisar(convocatoria: Convocatoria):
    ya = AvisoCompromiso.objects.filter(carta=OuterRef("pk"), convocatoria=convocatoria)
    con_pendientes = PracticaComprometida.objects.filter(carta=OuterRef("pk"), estado__in=PENDIENTES_DE_POSTULAR)
    return (CartaCompromiso.objects.filter(autoridad_id=convocatoria.autoridad_id,
                                           estado=CartaCompromiso.Estado.ACEPTADA)
            .filter(Exists(con_pendientes)).exclude(Exists(ya)))


def convocatorias_encolar(*, ahora: datetime | None = None) -> int:
    """Daily: for every call receiving submissions now, queue a notice to each accepted letter of its
    authority with commitments still to submit, not told of this call yet."""
    encolados = 0
    for convocatoria in convocatorias_abiertas(ahora):
        for carta_id in _cartas_por_avisar(convocatoria).values_list("pk", flat=True):
            colas.encolar(TAREA_CONVOCATORIA, carta_id, convocatoria.pk)
            encolados += 1
    return encolados


def carta_avisar_convocatoria(*, carta_id: int, convocatoria_id: int) -> bool:
    with transaction.atomic():
        carta = _bloquear(carta_id)
        convocatoria = Convocatoria.objects.filter(pk=convocatoria_id).first()
        if carta is None or convocatoria is None or convocatoria.autoridad_id != carta.autoridad_id:
            return False
        if not convocatoria.recibe_propuestas():
            return False
        pendientes = list(carta.practicas.filter(estado__in=PENDIENTES_DE_POSTULAR).order_by("fecha_meta", "pk"))
        para = destinatarios(carta)
        if not pendientes or not para or not _registrar(tipo=Tipo.CONVOCATORIA, carta=carta,
                                                        convocatoria=convocatoria):
            return False
        correo_enviar(plantilla="compromisos/correos/convocatoria_abierta", para=para, autoridad=carta.autoridad,
                      contexto={"carta": carta, "convocatoria": convocatoria, "compromisos": pendientes,
                                "url": sitio.url_absoluta(convocatoria.get_absolute_url()),
                                "url_carta": url_carta(carta)})
        return True


def seguimiento_avisos(*, hoy: date | None = None, ahora: datetime | None = None) -> dict:
    """What the daily follow-up task queues."""
    return {"recordatorios": metas_encolar(hoy=hoy), "convocatorias": convocatorias_encolar(ahora=ahora)}
