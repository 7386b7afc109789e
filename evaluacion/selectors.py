"""Reads for the jury's dashboard and the staff pages, and the results embargo. Each is a fixed
number of queries, whatever the number of practices or jurors; the arithmetic happens in Python."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Prefetch, Q
from django.utils import formats
from django.utils.translation import gettext as _

from convocatorias.models import Convocatoria, MiembroJurado
from convocatorias.selectors import convocatorias_de_personal
from practicas.models import Practica

from . import calculo
from .models import (
    Admisibilidad,
    Calificacion,
    Dictamen,
    Evaluacion,
    FirmaDictamen,
    MotivoDictamen,
    Reapertura,
    Recusa,
    SustitucionJurado,
)


def resultados_visibles(convocatoria: Convocatoria, ahora: datetime | None = None) -> bool:
    """The embargo: nothing about a decision is visible before the publication second."""
    return convocatoria.resultados_visibles(ahora)


@dataclass
class FilaTablero:
    practica: Practica
    totales: dict = field(default_factory=dict)            # miembro_id -> Decimal (submitted only)
    estado_por_miembro: dict = field(default_factory=dict)  # miembro_id -> "enviada" | "borrador" | "recusa" | ""
    medias_criterio: dict = field(default_factory=dict)     # criterio_id -> Decimal
    motivos_por_criterio: dict = field(default_factory=dict)
    resumen: dict = field(default_factory=dict)
    desacuerdo: bool = False
    posicion: int | None = None
    dictamen: Dictamen | None = None


@dataclass
class Tablero:
    convocatoria: Convocatoria
    miembros: list
    criterios: list
    filas: list
    progreso: dict
    progreso_miembro: dict


def etiqueta_miembro(miembro) -> str:
    """A juror as the ruling names them: their name and their seat's position."""
    nombre = miembro.usuario.get_full_name().strip() if miembro.usuario_id else ""
    return f"{nombre} ({miembro.cargo})" if nombre else miembro.cargo


def practicas_preseleccionadas(convocatoria):
    return (
        Practica.objects.filter(Convocatoria.q_alcanzo_fase(Convocatoria.Fase.CALIFICACION, "convocatoria__"),
                                convocatoria=convocatoria, admisibilidad__preseleccionada=True)
        .select_related("sujeto")
        .order_by("consecutivo")
    )


def _media(valores) -> Decimal | None:
    """Exact mean of some Decimals, to three places."""
    if not valores:
        return None
    return (sum(valores) / len(valores)).quantize(calculo.TRES, rounding=ROUND_HALF_UP)


def tablero(convocatoria: Convocatoria, umbral_desacuerdo: Decimal | None = None, *,
            con_motivos: bool = True) -> Tablero:
    """The dashboard's data. `con_motivos=False` skips the jurors' written reasons (only the draft
    rulings need them), which on a big call are most of the bytes read."""
    criterios = list(convocatoria.criterios.order_by("numero"))
    miembros = list(convocatoria.jurado.select_related("usuario").order_by("orden", "pk"))
    practicas = list(practicas_preseleccionadas(convocatoria).select_related("dictamen"))
    recusas = set(Recusa.objects.filter(practica__convocatoria=convocatoria).values_list("miembro_id", "practica_id"))
    evaluaciones = list(Evaluacion.objects.filter(practica__convocatoria=convocatoria))
    # Scores of submitted evaluations as plain tuples: thousands of rows on a big call, and model
    # instances for them cost more than the rest of the dashboard.
    campos = ["evaluacion_id", "criterio_id", "puntaje"] + (["motivo"] if con_motivos else [])
    calificaciones = defaultdict(list)
    for evaluacion_id, *resto in Calificacion.objects.filter(
            evaluacion__practica__convocatoria=convocatoria, evaluacion__estado=Evaluacion.Estado.ENVIADA,
    ).values_list(*campos):
        calificaciones[evaluacion_id].append(resto)
    por_practica = defaultdict(list)
    for ev in evaluaciones:
        por_practica[ev.practica_id].append(ev)
    escala = Decimal(convocatoria.escala_max - convocatoria.escala_min)
    umbral_desacuerdo = umbral_desacuerdo if umbral_desacuerdo is not None else escala * Decimal("0.15")

    filas = []
    esperadas = enviadas = 0
    prog_miembro = {m.pk: {"esperadas": 0, "enviadas": 0} for m in miembros}
    for practica in practicas:
        fila = FilaTablero(practica=practica, dictamen=getattr(practica, "dictamen", None))
        evs = {ev.miembro_id: ev for ev in por_practica.get(practica.pk, [])}
        por_criterio = defaultdict(list)
        motivos = defaultdict(list)
        for m in miembros:
            if (m.pk, practica.pk) in recusas:
                fila.estado_por_miembro[m.pk] = "recusa"
                continue
            esperadas += 1
            prog_miembro[m.pk]["esperadas"] += 1
            ev = evs.get(m.pk)
            fila.estado_por_miembro[m.pk] = ev.estado if ev else ""
            if ev and ev.estado == Evaluacion.Estado.ENVIADA:
                enviadas += 1
                prog_miembro[m.pk]["enviadas"] += 1
                fila.totales[m.pk] = ev.total
                for criterio_id, puntaje, *motivo in calificaciones[ev.pk]:
                    por_criterio[criterio_id].append(puntaje)
                    if motivo:  # by name and position: two «Comisionado» must be told apart
                        motivos[criterio_id].append(f"{etiqueta_miembro(m)}: {motivo[0]}")
        fila.resumen = calculo.resumen(list(fila.totales.values()))
        fila.medias_criterio = {c.pk: _media([p for p in por_criterio[c.pk] if p is not None]) for c in criterios}
        fila.motivos_por_criterio = {k: "\n".join(v) for k, v in motivos.items()}
        fila.desacuerdo = fila.resumen["desviacion"] is not None and fila.resumen["desviacion"] >= umbral_desacuerdo
        filas.append(fila)
    # Ranking by mean total, ties by median then folio; practices without scores go last.
    ordenadas = sorted(
        filas,
        key=lambda f: (f.resumen["media"] is None, -(f.resumen["media"] or 0), -(f.resumen["mediana"] or 0),
                       f.practica.consecutivo or 0),
    )
    for i, fila in enumerate(ordenadas, start=1):
        fila.posicion = i if fila.resumen["media"] is not None else None
    return Tablero(
        convocatoria=convocatoria, miembros=miembros, criterios=criterios, filas=ordenadas,
        progreso={"esperadas": esperadas, "enviadas": enviadas,
                  "porcentaje": round(100 * enviadas / esperadas) if esperadas else 0},
        progreso_miembro=prog_miembro,
    )


def miembro_de(usuario, convocatoria) -> MiembroJurado | None:
    if not usuario.is_authenticated:
        return None
    return MiembroJurado.objects.filter(convocatoria=convocatoria, usuario=usuario).first()


def admisibilidades(convocatoria):
    return (
        Practica.objects.filter(convocatoria=convocatoria, estado=Practica.Estado.ENVIADA)
        .select_related("sujeto", "admisibilidad")
        .order_by("consecutivo")
    )


def asignadas_a(miembro: MiembroJurado):
    """The practices a juror has to score, with their own evaluation and recusal."""
    practicas = list(practicas_preseleccionadas(miembro.convocatoria))
    evs = {e.practica_id: e for e in Evaluacion.objects.filter(miembro=miembro)}
    recusas = set(Recusa.objects.filter(miembro=miembro).values_list("practica_id", flat=True))
    for p in practicas:
        p.mi_evaluacion = evs.get(p.pk)
        p.me_recuse = p.pk in recusas
    return practicas


def resultados_publicos(convocatoria):
    """Recognised practices of a call, for after the embargo (callers check it)."""
    return (
        Dictamen.objects.filter(practica__convocatoria=convocatoria, estado=Dictamen.Estado.FIRMADO,
                                decision=Dictamen.Decision.PROCEDENTE)
        .select_related("practica__sujeto__municipio", "reconocimiento__documento", "documento")
        .order_by("-puntaje", "practica__consecutivo")
    )


def admisibilidad_de(practica):
    return Admisibilidad.objects.filter(practica=practica).prefetch_related("requisitos").first()


# --- dictámenes (panel) ------------------------------------------------------------------------

def dictamenes_de(convocatoria):
    """A call's rulings by score (the ranking), with their documents: a fixed number of queries."""
    return (
        Dictamen.objects.filter(practica__convocatoria=convocatoria)
        .select_related("practica__sujeto", "documento", "reconocimiento__documento")
        .order_by(F("puntaje").desc(nulls_last=True), "practica__consecutivo")
    )


def con_dictamen_detalle(queryset):
    """A ruling's page: its practice, call, reasons and signatures in one go each."""
    return (
        queryset.select_related("practica__convocatoria__autoridad", "practica__sujeto", "documento",
                                "reconocimiento__documento", "firmado_por")
        .prefetch_related(
            Prefetch("motivos", queryset=MotivoDictamen.objects.select_related("criterio").order_by("criterio__numero")),
            Prefetch("firmas", queryset=FirmaDictamen.objects.order_by("miembro__orden", "pk")),
        )
    )


def dictamen_detalle(pk):
    return con_dictamen_detalle(Dictamen.objects.all()).get(pk=pk)


# --- what a person is related to (core.acceso looks objects up only among these) ---------------

def convocatorias_relacionadas(user):
    """The calls a person judges or manages: staff of the call's authority and its jurors (every
    call for a superuser)."""
    if user.is_superuser:
        return convocatorias_de_personal(user)
    return Convocatoria.objects.select_related("autoridad").filter(
        Q(pk__in=convocatorias_de_personal(user).values("pk"))
        | Q(pk__in=MiembroJurado.objects.filter(usuario=user).values("convocatoria_id"))
    )


def practicas_de_su_jurado(user) -> Q:
    """Practices turned over to the jury of a call this person sits on, except those they recused
    from (the SQL twin of rules.es_jurado_de_practica): what a juror is related to, for
    practicas.selectors."""
    return Q(convocatoria__admisibilidad_liberada_en__isnull=False,
             convocatoria__in=MiembroJurado.objects.filter(usuario=user).values("convocatoria_id"),
             pk__in=Admisibilidad.objects.filter(preseleccionada=True).values("practica_id")) \
        & ~Q(pk__in=Recusa.objects.filter(miembro__usuario=user).values("practica_id"))


# --- what a juror may see of the scores ----------------------------------------------------------

def puntajes_visibles(miembro: MiembroJurado | None, estado_propio) -> bool:
    """The masking rule: staff (no member) see every score; a juror sees a practice's scores only
    after submitting their own, and never those of a practice they recused from."""
    return miembro is None or estado_propio == Evaluacion.Estado.ENVIADA


def calificaciones_visibles(practica, miembro: MiembroJurado, evaluacion, recusa) -> list:
    """The submitted evaluations of a practice this juror may read on their scoring page, their own
    among them; none until theirs is submitted, none if they recused."""
    if recusa is not None or evaluacion is None or not puntajes_visibles(miembro, evaluacion.estado):
        return []
    return list(
        Evaluacion.objects.filter(practica=practica, estado=Evaluacion.Estado.ENVIADA)
        .select_related("miembro").prefetch_related("calificaciones").order_by("miembro__orden", "miembro__pk")
    )


def texto_estado(estado) -> str:
    return {"recusa": _("Excusa"), "borrador": _("En captura"), "pendiente": _("Pendiente"),
            "enviada": _("Enviada")}.get(estado, "")


@dataclass
class CeldaMiembro:
    miembro: MiembroJurado
    estado: str  # "enviada" | "borrador" | "recusa" | "pendiente"
    total: Decimal | None = None  # None when not submitted or not visible to this viewer
    texto: str = ""  # what the cell shows: the total, or the member's status


@dataclass
class FilaVista:
    """A dashboard row as one viewer may see it. The *_txt fields are the figures already
    formatted: a 200-practice table has thousands of them and the floatformat filter is the
    slowest part of rendering it."""

    fila: object
    visible: bool
    oculta_por: str = ""  # "" | "pendiente" (own score not sent) | "recusa"
    posicion: int | None = None
    medias: list = field(default_factory=list)
    resumen: dict = field(default_factory=dict)
    desacuerdo: bool = False
    celdas: list = field(default_factory=list)
    enviadas: int = 0
    esperadas: int = 0
    excusas: int = 0
    medias_txt: list = field(default_factory=list)
    resumen_txt: dict = field(default_factory=dict)

    @property
    def practica(self):
        return self.fila.practica

    @property
    def incompleta(self):
        return self.enviadas < self.esperadas


def _formateador():
    """Two decimals with the active locale's separator (what floatformat:2 prints), fast."""
    separador = formats.get_format("DECIMAL_SEPARATOR")

    def formato(valor):
        if valor is None:
            return "—"
        texto = f"{valor:.2f}"
        return texto if separador == "." else texto.replace(".", separador)

    return formato


def tablero_visible(tablero: Tablero, miembro: MiembroJurado | None) -> list[FilaVista]:
    """The dashboard's rows with what the viewer may see (puntajes_visibles), masked row by row."""
    formato = _formateador()
    textos = {estado: str(texto_estado(estado)) for estado in ("enviada", "borrador", "recusa", "pendiente")}
    filas = []
    for fila in tablero.filas:
        propio = fila.estado_por_miembro.get(miembro.pk) if miembro else None
        visible = puntajes_visibles(miembro, propio)
        oculta_por = "" if visible else ("recusa" if propio == "recusa" else "pendiente")
        celdas = []
        for m in tablero.miembros:
            estado = fila.estado_por_miembro.get(m.pk) or "pendiente"
            total = fila.totales.get(m.pk) if visible else None
            celdas.append(CeldaMiembro(miembro=m, estado=estado, total=total,
                                       texto=formato(total) if total is not None else textos[estado]))
        excusas = sum(1 for c in celdas if c.estado == "recusa")
        medias = [fila.medias_criterio.get(c.pk) if visible else None for c in tablero.criterios]
        resumen = fila.resumen if visible else {}
        filas.append(FilaVista(
            fila=fila, visible=visible, oculta_por=oculta_por,
            posicion=fila.posicion if visible else None,
            medias=medias, resumen=resumen,
            desacuerdo=fila.desacuerdo if visible else False,
            celdas=celdas, enviadas=sum(1 for c in celdas if c.estado == Evaluacion.Estado.ENVIADA),
            esperadas=len(celdas) - excusas, excusas=excusas,
            medias_txt=[formato(v) for v in medias],
            resumen_txt={k: formato(resumen.get(k)) for k in ("media", "mediana", "desviacion", "rango")},
        ))
    if miembro is not None and any(not f.visible for f in filas):
        # A rank among practices the juror cannot see would tell where those stand: hide it until
        # every row is visible to them.
        for f in filas:
            f.posicion = None
    return filas


# --- the scores' history (panel) -------------------------------------------------------------------

@dataclass
class EntradaHistorial:
    fecha: datetime
    usuario: object  # who did it (None: the system)
    integrante: str  # the seat, by its position
    texto: str


def _numero(valor) -> str:
    return "—" if valor is None else _formateador()(valor)


def historial_calificaciones(practica, *, miembro: MiembroJurado | None = None, usuario=None) -> list:
    """Who scored what, changed what, reopened why, recused and was replaced, for one practice,
    newest first, from the history rows (voided scores included: their deletion carries the
    replacement as its reason). Staff read every seat; a juror (``miembro`` and ``usuario``) only
    what their own account did in their seat."""
    conv = practica.convocatoria
    cargos = dict(MiembroJurado.objects.filter(convocatoria=conv).values_list("pk", "cargo"))
    numeros = dict(conv.criterios.values_list("pk", "numero"))
    filtro = {"practica_id": practica.pk}
    if miembro is not None:
        filtro["miembro_id"] = miembro.pk
    propio = {"history_user": usuario} if miembro is not None else {}
    entradas = []

    def agregar(h, miembro_id, texto):
        entradas.append(EntradaHistorial(fecha=h.history_date, usuario=h.history_user,
                                         integrante=cargos.get(miembro_id, ""), texto=texto))

    evs = list(Evaluacion.history.filter(**filtro, **propio).select_related("history_user")
               .order_by("history_date", "history_id"))
    miembro_de_ev = {h.id: h.miembro_id for h in evs}
    anterior = {}
    for h in evs:
        previa = anterior.get(h.id)
        if h.history_type == "+":
            agregar(h, h.miembro_id, _("Comenzó la captura de su calificación."))
        elif h.history_type == "-":
            agregar(h, h.miembro_id, h.history_change_reason or _("Borrador descartado al declarar la excusa."))
        elif previa is not None and previa.estado != h.estado and h.estado == Evaluacion.Estado.ENVIADA:
            agregar(h, h.miembro_id, _("Envió la calificación: total %(t)s.") % {"t": _numero(h.total)})
        anterior[h.id] = h
    # Reopenings, with their full reason (the evaluation's own row carries it cut to 100 characters).
    for h in (Reapertura.history.filter(evaluacion_id__in=list(miembro_de_ev), history_type="+", **propio)
              .select_related("history_user").order_by("history_date", "history_id")):
        agregar(h, miembro_de_ev.get(h.evaluacion_id), _("Reabrió la calificación. Motivo: %(m)s") % {"m": h.motivo})
    anterior = {}
    for h in (Calificacion.history.filter(evaluacion_id__in=list(miembro_de_ev), **propio)
              .select_related("history_user").order_by("history_date", "history_id")):
        previa = anterior.get(h.id)
        anterior[h.id] = h
        n = numeros.get(h.criterio_id, "?")
        if h.history_type == "+":
            texto = _("Criterio %(n)s: calificación %(p)s.") % {"n": n, "p": _numero(h.puntaje)}
        elif h.history_type == "~" and previa is not None:
            cambios = []
            if previa.puntaje != h.puntaje:
                cambios.append(_("calificación de %(a)s a %(b)s") % {"a": _numero(previa.puntaje),
                                                                     "b": _numero(h.puntaje)})
            if previa.motivo != h.motivo:
                cambios.append(_("cambió la motivación"))
            if not cambios:
                continue
            texto = _("Criterio %(n)s: %(c)s.") % {"n": n, "c": ", ".join(cambios)}
        else:
            continue
        agregar(h, miembro_de_ev.get(h.evaluacion_id), texto)
    for h in (Recusa.history.filter(**filtro, **propio).select_related("history_user")
              .order_by("history_date", "history_id")):
        if h.history_type == "+":
            agregar(h, h.miembro_id, _("Se excusó por conflicto de interés. Motivo: %(m)s") % {"m": h.motivo})
        elif h.history_type == "-":
            agregar(h, h.miembro_id, h.history_change_reason or _("Excusa retirada."))
    if miembro is None:
        for s in (SustitucionJurado.objects.filter(miembro__convocatoria=conv)
                  .select_related("por", "cuenta_anterior", "cuenta_nueva")):
            entradas.append(EntradaHistorial(
                fecha=s.en, usuario=s.por, integrante=cargos.get(s.miembro_id, ""),
                texto=_("Sustitución n.º %(n)s: la cuenta %(a)s dejó el lugar a %(b)s; se anularon %(e)s "
                        "calificaciones y %(x)s excusas de este integrante. Motivo: %(m)s") % {
                    "n": s.pk, "a": s.cuenta_anterior or "—", "b": s.cuenta_nueva, "e": s.evaluaciones_anuladas,
                    "x": s.excusas_anuladas, "m": s.motivo}))
    return sorted(entradas, key=lambda e: e.fecha, reverse=True)
