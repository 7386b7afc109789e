"""Jury scoring: conflicts of interest, a juror's draft and submitted scores, reopening, and the
jury closing the phase (which prepares the draft rulings)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convocatorias.models import Convocatoria, MiembroJurado
from core.errors import ErrorDominio
from core.models import Usuario
from core.templatetags.reconoce import fecha_hora
from practicas.models import Practica

from .. import calculo, selectors
from ..models import Admisibilidad, Calificacion, Evaluacion, Reapertura, Recusa
from .comun import Fase, _autor, _bloquear_convocatoria, _razon
from .dictamenes import _dictamen_preparar


def _verificar_fase_calificacion(conv: Convocatoria):
    if conv.fase not in (Fase.CALIFICACION, Fase.DICTAMENES):
        raise ErrorDominio(_("La calificación solo procede mientras la convocatoria está en evaluación."))
    if conv.fase == Fase.DICTAMENES:
        raise ErrorDominio(_("El jurado cerró la calificación el %(f)s; ya no hay cambios.")
                           % {"f": fecha_hora(conv.calificacion_cerrada_en)})


def _verificar_asignada(miembro: MiembroJurado, practica: Practica):
    if practica.convocatoria_id != miembro.convocatoria_id:
        raise ErrorDominio(_("La práctica no pertenece a la convocatoria de este jurado."))
    if not Admisibilidad.objects.filter(practica=practica, preseleccionada=True).exists():
        raise ErrorDominio(_("La práctica no fue turnada al jurado."))
    if Recusa.objects.filter(miembro=miembro, practica=practica).exists():
        raise ErrorDominio(_("Usted se excusó de esta práctica por conflicto de interés; no puede calificarla."))


@transaction.atomic
def recusa_declarar(*, miembro: MiembroJurado, practica: Practica, motivo: str, usuario: Usuario) -> Recusa:
    conv = _bloquear_convocatoria(practica.convocatoria)
    _verificar_fase_calificacion(conv)
    _verificar_asignada(miembro, practica)
    if not motivo.strip():
        raise ErrorDominio(_("Explique el conflicto de interés."), campo="motivo")
    evaluacion = Evaluacion.objects.filter(miembro=miembro, practica=practica).first()
    if evaluacion and evaluacion.estado == Evaluacion.Estado.ENVIADA:
        raise ErrorDominio(_("Ya envió su calificación de esta práctica; la excusa debe declararse antes."))
    if evaluacion:
        # A draft is discarded: the member is out of this practice altogether (history keeps it).
        for cal in evaluacion.calificaciones.all():
            _autor(cal, usuario).delete()
        _autor(evaluacion, usuario).delete()
    recusa = Recusa(miembro=miembro, practica=practica, motivo=motivo.strip())
    recusa.full_clean()
    _autor(recusa, usuario).save()
    return recusa


def _decimal(valor, conv: Convocatoria, criterio) -> Decimal | None:
    if valor in (None, ""):
        return None
    try:
        numero = Decimal(str(valor).replace(",", "."))
    except InvalidOperation as exc:
        raise ErrorDominio(_("Criterio %(n)s: «%(v)s» no es un número.") % {"n": criterio.numero, "v": valor}) from exc
    if not (conv.escala_min <= numero <= conv.escala_max):
        raise ErrorDominio(_("Criterio %(n)s: la calificación debe estar entre %(a)s y %(b)s.")
                           % {"n": criterio.numero, "a": conv.escala_min, "b": conv.escala_max})
    return numero.quantize(Decimal("0.01"))


@transaction.atomic
def evaluacion_guardar(*, miembro: MiembroJurado, practica: Practica, usuario: Usuario,
                       puntajes: dict[int, tuple[str | None, str]]) -> Evaluacion:
    """Save a juror's scores as a draft (blanks allowed until they submit)."""
    conv = _bloquear_convocatoria(practica.convocatoria)
    _verificar_fase_calificacion(conv)
    _verificar_asignada(miembro, practica)
    evaluacion, _creada = Evaluacion.objects.select_for_update().get_or_create(miembro=miembro, practica=practica)
    if evaluacion.estado == Evaluacion.Estado.ENVIADA:
        raise ErrorDominio(_("Ya envió esta calificación. Para cambiarla, reábrala indicando el motivo."))
    existentes = {c.criterio_id: c for c in evaluacion.calificaciones.all()}
    for criterio in conv.criterios.all():
        if criterio.pk not in puntajes:
            continue
        valor, motivo = puntajes[criterio.pk]
        numero = _decimal(valor, conv, criterio)
        cal = existentes.get(criterio.pk) or Calificacion(evaluacion=evaluacion, criterio=criterio)
        if cal.pk and cal.puntaje == numero and cal.motivo == (motivo or "").strip():
            continue
        cal.puntaje, cal.motivo = numero, (motivo or "").strip()
        _autor(cal, usuario).save()
    _autor(evaluacion, usuario).save()
    return evaluacion


@transaction.atomic
def evaluacion_enviar(*, evaluacion: Evaluacion, usuario: Usuario) -> Evaluacion:
    evaluacion = Evaluacion.objects.select_for_update(of=("self",)).select_related("practica", "miembro").get(pk=evaluacion.pk)
    conv = _bloquear_convocatoria(evaluacion.practica.convocatoria)
    _verificar_fase_calificacion(conv)
    _verificar_asignada(evaluacion.miembro, evaluacion.practica)
    evaluacion.verificar_transicion(Evaluacion.Estado.ENVIADA, mensaje=_("Esta calificación ya fue enviada."))
    cals = {c.criterio_id: c for c in evaluacion.calificaciones.all()}
    faltan = []
    for criterio in conv.criterios.all():
        cal = cals.get(criterio.pk)
        if cal is None or cal.puntaje is None:
            faltan.append(_("calificación del criterio %(n)s") % {"n": criterio.numero})
        if cal is None or not cal.motivo.strip():
            faltan.append(_("motivación del criterio %(n)s") % {"n": criterio.numero})
    if faltan:
        raise ErrorDominio(_("Falta: %(l)s.") % {"l": "; ".join(faltan)})
    pesos = {c.pk: c.peso for c in conv.criterios.all()}
    evaluacion.transicionar(Evaluacion.Estado.ENVIADA, guardar=False, enviada_en=timezone.now(),
                            total=calculo.total_ponderado({k: v.puntaje for k, v in cals.items()}, pesos))
    evaluacion.full_clean()
    _autor(evaluacion, usuario).save()
    return evaluacion


@transaction.atomic
def evaluacion_reabrir(*, evaluacion: Evaluacion, usuario: Usuario, motivo: str) -> Evaluacion:
    evaluacion = Evaluacion.objects.select_for_update(of=("self",)).select_related("practica").get(pk=evaluacion.pk)
    conv = _bloquear_convocatoria(evaluacion.practica.convocatoria)
    _verificar_fase_calificacion(conv)
    evaluacion.verificar_transicion(Evaluacion.Estado.BORRADOR,
                                    mensaje=_("Solo una calificación enviada puede reabrirse."))
    if not motivo.strip():
        raise ErrorDominio(_("Indique el motivo de la reapertura; queda registrado."), campo="motivo")
    reapertura = Reapertura(evaluacion=evaluacion, motivo=motivo.strip(), por=usuario)
    _autor(reapertura, usuario).save()
    evaluacion.transicionar(Evaluacion.Estado.BORRADOR, guardar=False, total=None, enviada_en=None)
    # The reason travels with the evaluation's own history row for the reopening.
    _razon(evaluacion, reapertura.motivo)
    _autor(evaluacion, usuario).save()
    return evaluacion


@transaction.atomic
def calificacion_cerrar(*, convocatoria: Convocatoria, usuario: Usuario) -> Convocatoria:
    """The jury closes scoring: every expected score is in; draft rulings are prepared."""
    conv = _bloquear_convocatoria(convocatoria)
    _verificar_fase_calificacion(conv)
    tablero = selectors.tablero(conv)
    if tablero.progreso["enviadas"] < tablero.progreso["esperadas"]:
        raise ErrorDominio(_("Faltan %(n)s calificaciones por enviar.")
                           % {"n": tablero.progreso["esperadas"] - tablero.progreso["enviadas"]})
    conv.calificacion_cerrada_en = timezone.now()
    _autor(conv, usuario).save(update_fields=["calificacion_cerrada_en"])
    for fila in tablero.filas:
        _dictamen_preparar(conv, fila)
    return conv
