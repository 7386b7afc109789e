"""Admissibility, jury scoring, rulings, publication and validity. Keyword-only, one
transaction each; illegal steps raise ErrorDominio with a Spanish message."""

import logging
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convocatorias.models import Convocatoria, MiembroJurado
from convocatorias.services import convocatoria_transicionar
from core import colas
from core import documentos as core_documentos
from core.correo import correo_enviar
from core.errors import ErrorDominio
from core.models import DocumentoVerificable, Usuario
from core.templatetags.reconoce import fecha_hora, fecha_larga
from practicas.models import Practica
from practicas.selectors import destinatarios_de

from . import busqueda, calculo, selectors
from .models import (
    REQUISITOS_BASE,
    Admisibilidad,
    Calificacion,
    Dictamen,
    Evaluacion,
    FirmaDictamen,
    MotivoDictamen,
    Notificacion,
    Reapertura,
    Reconocimiento,
    Recusa,
    RequisitoVerificado,
)
from .vigencia import sumar_meses

logger = logging.getLogger(__name__)
Estado = Convocatoria.Estado
Fase = Convocatoria.Fase


def _autor(obj, usuario: Usuario | None):
    if usuario is not None:
        obj._history_user = usuario
    return obj


def _bloquear_convocatoria(convocatoria) -> Convocatoria:
    return Convocatoria.objects.select_for_update().get(pk=convocatoria.pk)


# --- verificación de requisitos ----------------------------------------------------------------

def requisitos_de(convocatoria: Convocatoria) -> list[tuple[str, str]]:
    """The base checklist plus one item per line of the call's additional requirements."""
    extra = [
        (f"convocatoria_{i}", linea.strip())
        for i, linea in enumerate(convocatoria.requisitos.splitlines(), start=1) if linea.strip()
    ]
    return [(clave, str(texto)) for clave, texto in REQUISITOS_BASE] + extra


@transaction.atomic
def admisibilidad_obtener(*, practica: Practica) -> Admisibilidad:
    """The practice's checklist, created with the call's items the first time."""
    adm, creada = Admisibilidad.objects.get_or_create(practica=practica)
    if creada:
        RequisitoVerificado.objects.bulk_create([
            RequisitoVerificado(admisibilidad=adm, clave=clave, texto=texto[:500], orden=i)
            for i, (clave, texto) in enumerate(requisitos_de(practica.convocatoria))
        ])
    return adm


@transaction.atomic
def admisibilidad_registrar(*, practica: Practica, usuario: Usuario, requisitos: dict[str, tuple[bool | None, str]],
                            resultado: str, motivos: str = "") -> Admisibilidad:
    conv = _bloquear_convocatoria(practica.convocatoria)
    if conv.estado != Estado.CERRADA:
        raise ErrorDominio(_("La verificación de requisitos solo procede con la convocatoria cerrada y antes "
                             "de turnar al jurado."))
    if practica.estado != Practica.Estado.ENVIADA:
        raise ErrorDominio(_("Solo se verifican prácticas enviadas (no borradores ni retiradas)."))
    adm = admisibilidad_obtener(practica=practica)
    adm = Admisibilidad.objects.select_for_update().get(pk=adm.pk)
    filas = {r.clave: r for r in adm.requisitos.all()}
    for clave, (cumple, observacion) in requisitos.items():
        fila = filas.get(clave)
        if fila is None:
            continue
        fila.cumple, fila.observacion = cumple, (observacion or "")[:500]
        _autor(fila, usuario).save()
    if resultado not in Admisibilidad.Resultado.values or resultado == Admisibilidad.Resultado.PENDIENTE:
        raise ErrorDominio(_("Elija el resultado: admitida o no admitida."), campo="resultado")
    if resultado == Admisibilidad.Resultado.ADMITIDA:
        incumplidos = [f.texto for f in filas.values() if f.cumple is not True]
        if incumplidos:
            raise ErrorDominio(_("Para admitir, todos los requisitos deben cumplirse. Pendientes o incumplidos: "
                                 "%(l)s.") % {"l": "; ".join(incumplidos)})
        adm.preseleccionada = True
    else:
        if not motivos.strip():
            raise ErrorDominio(_("Escriba los motivos de la no admisión; el sujeto obligado los leerá."),
                               campo="motivos")
        adm.preseleccionada = False
    adm.resultado, adm.motivos = resultado, motivos.strip()
    adm.verificada_por, adm.verificada_en = usuario, timezone.now()
    adm.full_clean()
    _autor(adm, usuario).save()
    return adm


@transaction.atomic
def preseleccion_cambiar(*, admisibilidad: Admisibilidad, usuario: Usuario, preseleccionada: bool) -> Admisibilidad:
    adm = Admisibilidad.objects.select_for_update(of=("self",)).select_related("practica__convocatoria").get(pk=admisibilidad.pk)
    if adm.practica.convocatoria.estado != Estado.CERRADA:
        raise ErrorDominio(_("La preselección se cierra al turnar las prácticas al jurado."))
    if preseleccionada and adm.resultado != Admisibilidad.Resultado.ADMITIDA:
        raise ErrorDominio(_("Solo una práctica admitida puede turnarse al jurado."))
    adm.preseleccionada = preseleccionada
    _autor(adm, usuario).save()
    return adm


@transaction.atomic
def admisibilidad_cerrar(*, convocatoria: Convocatoria, usuario: Usuario) -> Convocatoria:
    """Close admissibility: every sent practice has a result; the enlaces can read it; the
    pre-selected ones go to the jury (cerrada → en evaluación)."""
    conv = _bloquear_convocatoria(convocatoria)
    enviadas = Practica.objects.filter(convocatoria=conv, estado=Practica.Estado.ENVIADA)
    sin_resultado = enviadas.exclude(admisibilidad__resultado__in=[Admisibilidad.Resultado.ADMITIDA,
                                                                     Admisibilidad.Resultado.NO_ADMITIDA])
    if sin_resultado.exists():
        raise ErrorDominio(_("Faltan %(n)s prácticas por verificar: %(f)s.") % {
            "n": sin_resultado.count(), "f": ", ".join(sin_resultado.order_by("consecutivo").values_list("folio", flat=True)[:10])})
    if not Admisibilidad.objects.filter(practica__convocatoria=conv, preseleccionada=True).exists():
        raise ErrorDominio(_("No hay prácticas preseleccionadas para el jurado."))
    if not conv.jurado.filter(usuario__isnull=False).exists():
        raise ErrorDominio(_("Asigne las cuentas de las personas del jurado antes de turnar las prácticas."))
    return convocatoria_transicionar(convocatoria=conv, destino=Estado.EN_EVALUACION, usuario=usuario,
                                     admisibilidad_liberada_en=timezone.now())


# --- jurado ----------------------------------------------------------------------------------

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
    Reapertura.objects.create(evaluacion=evaluacion, motivo=motivo.strip(), por=usuario)
    evaluacion.transicionar(Evaluacion.Estado.BORRADOR, guardar=False, total=None, enviada_en=None)
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


def _dictamen_preparar(conv: Convocatoria, fila) -> Dictamen:
    puntaje = fila.resumen["media"]
    propuesta = ""
    if conv.umbral is not None and puntaje is not None:
        propuesta = Dictamen.Decision.PROCEDENTE if puntaje >= conv.umbral else Dictamen.Decision.NO_PROCEDENTE
    dictamen, creado = Dictamen.objects.get_or_create(
        practica=fila.practica, defaults={"puntaje": puntaje, "propuesta": propuesta, "decision": propuesta}
    )
    if creado:
        # Start the reasons from the jurors' own, criterion by criterion; the jury edits them.
        MotivoDictamen.objects.bulk_create([
            MotivoDictamen(dictamen=dictamen, criterio=criterio, texto=fila.motivos_por_criterio.get(criterio.pk, ""))
            for criterio in conv.criterios.all()
        ])
    return dictamen


# --- dictamen ----------------------------------------------------------------------------------

def _mensaje_firmado(dictamen: Dictamen) -> str:
    return _("El dictamen %(f)s está firmado: es definitivo e inapelable y no puede cambiar.") % {"f": dictamen.folio}


def _verificar_borrador(dictamen: Dictamen):
    if dictamen.estado != Dictamen.Estado.BORRADOR:
        raise ErrorDominio(_mensaje_firmado(dictamen))


@transaction.atomic
def dictamen_guardar(*, dictamen: Dictamen, usuario: Usuario, decision: str, motivos: dict[int, str],
                     consideraciones: str = "", motivo_desviacion: str = "") -> Dictamen:
    dictamen = Dictamen.objects.select_for_update().get(pk=dictamen.pk)
    _verificar_borrador(dictamen)
    if decision and decision not in Dictamen.Decision.values:
        raise ErrorDominio(_("Decisión no válida."), campo="decision")
    dictamen.decision = decision
    dictamen.consideraciones = consideraciones.strip()
    dictamen.motivo_desviacion = motivo_desviacion.strip()
    _autor(dictamen, usuario).save()
    for motivo in dictamen.motivos.all():
        if motivo.criterio_id in motivos and motivos[motivo.criterio_id].strip() != motivo.texto:
            motivo.texto = motivos[motivo.criterio_id].strip()
            _autor(motivo, usuario).save()
    return dictamen


@transaction.atomic
def dictamen_firmar(*, dictamen: Dictamen, usuario: Usuario, ahora: datetime | None = None) -> Dictamen:
    """borrador → firmado. Final: after this the ruling and the scores behind it never change."""
    ahora = ahora or timezone.now()
    dictamen = Dictamen.objects.select_for_update(of=("self",)).select_related("practica__convocatoria", "practica__sujeto") \
        .get(pk=dictamen.pk)
    dictamen.verificar_transicion(Dictamen.Estado.FIRMADO, mensaje=_mensaje_firmado(dictamen))
    practica, conv = dictamen.practica, dictamen.practica.convocatoria
    if not conv.calificacion_cerrada:
        raise ErrorDominio(_("El jurado debe cerrar la calificación antes de firmar dictámenes."))
    if ahora >= conv.fecha_resultados:
        raise ErrorDominio(_("Los dictámenes deben firmarse antes de la publicación de resultados (%(f)s).")
                           % {"f": fecha_hora(conv.fecha_resultados)})
    if not dictamen.decision:
        raise ErrorDominio(_("Elija la decisión: procedente o no procedente."), campo="decision")
    if dictamen.propuesta and dictamen.decision != dictamen.propuesta and not dictamen.motivo_desviacion:
        raise ErrorDominio(_("La decisión se aparta de la propuesta según la calificación: escriba la razón."),
                           campo="motivo_desviacion")
    vacios = [m.criterio.numero for m in dictamen.motivos.select_related("criterio") if not m.texto.strip()]
    if vacios or dictamen.motivos.count() != conv.criterios.count():
        raise ErrorDominio(_("Escriba los motivos de cada criterio (faltan: %(l)s).")
                           % {"l": ", ".join(map(str, vacios)) or "—"})
    recusados = set(Recusa.objects.filter(practica=practica).values_list("miembro_id", flat=True))
    firmantes = [m for m in conv.jurado.select_related("usuario") if m.pk not in recusados]
    FirmaDictamen.objects.bulk_create([
        FirmaDictamen(dictamen=dictamen, miembro=m, cargo=m.cargo,
                      nombre=m.nombre or (m.usuario.get_full_name() if m.usuario else ""))
        for m in firmantes
    ])
    folio_base = practica.folio
    publicacion = conv.fecha_resultados
    doc = DocumentoVerificable.objects.create(
        tipo=DocumentoVerificable.Tipo.DICTAMEN, folio=f"{folio_base}-D",
        titulo=_("Dictamen de la práctica «%(p)s»") % {"p": practica.nombre}, visible_desde=publicacion,
        resumen={
            "sujeto_obligado": practica.sujeto.nombre, "practica": practica.nombre, "convocatoria": conv.titulo,
            # str(): the label is a lazy translation, which JSONField cannot serialise.
            "decision": str(Dictamen.Decision(dictamen.decision).label), "fecha": fecha_larga(ahora),
        },
    )
    dictamen.transicionar(Dictamen.Estado.FIRMADO, guardar=False, folio=doc.folio, fecha=timezone.localdate(ahora),
                          firmado_en=ahora, firmado_por=usuario, documento=doc)
    dictamen.full_clean()
    # The model refuses saves of signed rulings; this is the one transition allowed to write it.
    _autor(dictamen, usuario).save(_firmando=True)
    documentos = [doc]
    if dictamen.decision == Dictamen.Decision.PROCEDENTE:
        desde = timezone.localdate(publicacion)
        hasta = sumar_meses(desde, conv.vigencia_meses)
        doc_r = DocumentoVerificable.objects.create(
            tipo=DocumentoVerificable.Tipo.RECONOCIMIENTO, folio=f"{folio_base}-R",
            titulo=_("Reconocimiento de Práctica de Transparencia Proactiva"), visible_desde=publicacion,
            vigente_hasta=hasta,
            resumen={
                "sujeto_obligado": practica.sujeto.nombre, "practica": practica.nombre, "convocatoria": conv.titulo,
                "vigente_desde": fecha_larga(desde), "vigente_hasta": fecha_larga(hasta),
            },
        )
        _autor(Reconocimiento(dictamen=dictamen, documento=doc_r, vigente_desde=desde, vigente_hasta=hasta),
               usuario).save()
        documentos.append(doc_r)
        # Its search document; the catalogue shows it only after the embargo (reconocimientos_publicos).
        busqueda.indexar([practica.pk])
    for d in documentos:
        core_documentos.encolar(d)
    return dictamen


def fecha_resultados_bloqueada(convocatoria: Convocatoria) -> str | None:
    """Signed rulings carry the publication date (embargo and validity): it is fixed from then on.
    Registered with convocatorias.services in EvaluacionConfig.ready()."""
    if Dictamen.objects.filter(practica__convocatoria=convocatoria, estado=Dictamen.Estado.FIRMADO).exists():
        return _("Ya hay dictámenes firmados: la fecha de publicación de resultados no puede cambiar.")
    return None


# --- publicación ---------------------------------------------------------------------------------

def resultados_visibles(convocatoria: Convocatoria, ahora: datetime | None = None) -> bool:
    """The embargo: nothing about a decision is visible before the publication second."""
    ahora = ahora or timezone.now()
    return convocatoria.estado in (Estado.EN_EVALUACION, Estado.RESULTADOS_PUBLICADOS) and \
        ahora >= convocatoria.fecha_resultados


@transaction.atomic
def resultados_publicar(*, convocatoria: Convocatoria, ahora: datetime | None = None) -> bool:
    """Run at (or after) the embargo second by the periodic task. Idempotent: marks the call
    published once and queues one notice per ruling; PDFs missing are queued again."""
    ahora = ahora or timezone.now()
    conv = _bloquear_convocatoria(convocatoria)
    # Published once: a published call is past these phases (and only it carries the stamp).
    if conv.fase not in (Fase.CALIFICACION, Fase.DICTAMENES) or ahora < conv.fecha_resultados:
        return False
    if Dictamen.objects.filter(practica__convocatoria=conv).exclude(estado=Dictamen.Estado.FIRMADO).exists() or \
            conv.fase != Fase.DICTAMENES:
        logger.error("Convocatoria %s: llegó la fecha de resultados con dictámenes sin firmar.", conv.pk)
        return False
    convocatoria_transicionar(convocatoria=conv, destino=Estado.RESULTADOS_PUBLICADOS, usuario=None,
                              resultados_notificados_en=ahora)
    # Rebuilt at publication too, so a body renamed since the signing is found by its current name.
    busqueda.indexar(Dictamen.objects.filter(practica__convocatoria=conv, decision=Dictamen.Decision.PROCEDENTE)
                     .values_list("practica_id", flat=True))
    for dictamen in Dictamen.objects.filter(practica__convocatoria=conv).select_related("documento"):
        colas.encolar("evaluacion.tasks.resultado_notificar_task", dictamen.pk)  # by name: tasks import us
        for doc in DocumentoVerificable.objects.filter(dictamen=dictamen) | DocumentoVerificable.objects.filter(
                reconocimiento__dictamen=dictamen):
            if doc.estado_pdf != DocumentoVerificable.EstadoPDF.LISTA:
                core_documentos.encolar(doc)
    return True


def resultado_notificar(*, dictamen_id: int) -> bool:
    """E-mail the body its result, once. The row lock makes concurrent runs wait, and the
    stamp written with the send makes a second run do nothing."""
    with transaction.atomic():
        dictamen = Dictamen.objects.select_for_update(of=("self",)).select_related(
            "practica__convocatoria", "practica__sujeto", "practica__creada_por").filter(pk=dictamen_id).first()
        if dictamen is None or not resultados_visibles(dictamen.practica.convocatoria):
            return False
        if Notificacion.objects.filter(dictamen=dictamen).exists():
            return False
        practica = dictamen.practica
        destinatarios = destinatarios_de(practica)
        url = f"{settings.SITE_URL.rstrip('/')}{practica.get_absolute_url()}"
        Notificacion.objects.create(dictamen=dictamen, destinatarios=", ".join(destinatarios))
        correo_enviar(plantilla="evaluacion/correos/resultado", para=destinatarios,
                      contexto={"practica": practica, "dictamen": dictamen, "url": url})
        return True


# --- vigencia ------------------------------------------------------------------------------------

@transaction.atomic
def reconocimiento_revocar(*, reconocimiento: Reconocimiento, usuario: Usuario, motivo: str,
                           ahora: datetime | None = None) -> Reconocimiento:
    ahora = ahora or timezone.now()
    rec = Reconocimiento.objects.select_for_update(of=("self",)).select_related("documento").get(pk=reconocimiento.pk)
    ya_revocado = _("El reconocimiento ya fue revocado.")
    rec.verificar_transicion(Reconocimiento.Estado.REVOCADO, mensaje=ya_revocado)
    if not motivo.strip():
        raise ErrorDominio(_("Indique el motivo de la revocación; se mostrará en la verificación."), campo="motivo")
    _autor(rec, usuario).transicionar(Reconocimiento.Estado.REVOCADO, mensaje=ya_revocado)
    # The date and the reason are stored once, on the document the verification page reads.
    doc = rec.documento
    doc.revocado_en, doc.motivo_revocacion = ahora, motivo.strip()
    _autor(doc, usuario).save(update_fields=["revocado_en", "motivo_revocacion"])
    return rec


def vigencias_actualizar(*, hoy=None) -> dict:
    """Daily: mark expired recognitions (through history) and warn bodies 30 days ahead, once."""
    from datetime import timedelta

    hoy = hoy or timezone.localdate()
    vencidos = avisos = 0
    for rec in Reconocimiento.objects.filter(estado=Reconocimiento.Estado.VIGENTE, vigente_hasta__lt=hoy):
        with transaction.atomic():
            rec = Reconocimiento.objects.select_for_update().get(pk=rec.pk)
            if rec.estado == Reconocimiento.Estado.VIGENTE:
                rec._change_reason = "Vencimiento de la vigencia"
                rec.transicionar(Reconocimiento.Estado.VENCIDO)
                vencidos += 1
    limite = hoy + timedelta(days=30)
    pendientes = Reconocimiento.objects.filter(
        estado=Reconocimiento.Estado.VIGENTE, vigente_hasta__lte=limite, vigente_hasta__gte=hoy,
        aviso_vencimiento_en__isnull=True,
    ).select_related("dictamen__practica__creada_por", "dictamen__practica__sujeto")
    for rec in pendientes:
        with transaction.atomic():
            rec = Reconocimiento.objects.select_for_update(of=("self",)).select_related(
                "dictamen__practica__creada_por", "dictamen__practica__sujeto",
                "dictamen__practica__convocatoria").get(pk=rec.pk)
            if rec.aviso_vencimiento_en:
                continue
            practica = rec.dictamen.practica
            rec.aviso_vencimiento_en = timezone.now()
            rec.save(update_fields=["aviso_vencimiento_en"])
            correo_enviar(plantilla="evaluacion/correos/vencimiento", para=destinatarios_de(practica),
                          contexto={"reconocimiento": rec, "practica": practica,
                                    "url": f"{settings.SITE_URL.rstrip('/')}/convocatorias/"})
            avisos += 1
    return {"vencidos": vencidos, "avisos": avisos}
