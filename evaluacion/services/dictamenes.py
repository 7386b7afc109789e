"""Rulings: the draft prepared when scoring closes, its reasons, the signature (final) with the
documents it issues, and the lock it puts on the results date."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convocatorias.models import Convocatoria, MiembroJurado
from core import documentos as core_documentos
from core import firma_digital, sellos
from core.errors import ErrorDominio
from core.models import DocumentoVerificable, Usuario
from core.templatetags.reconoce import fecha_hora, fecha_larga

from .. import busqueda
from ..models import Dictamen, Evaluacion, FirmaDictamen, MotivoDictamen, Reconocimiento, Recusa
from ..vigencia import sumar_meses
from .comun import _autor, _razon


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
        if conv.firma_electronica:
            _para_firma_preparar(dictamen)
    return dictamen


# --- signing with e.firma: the PDF exists before anyone signs it ---------------------------------------

def _documento_dictamen(dictamen: Dictamen, conv: Convocatoria, ahora: datetime | None = None) -> DocumentoVerificable:
    practica = dictamen.practica
    resumen = {"sujeto_obligado": practica.sujeto.nombre, "practica": practica.nombre, "convocatoria": conv.titulo}
    if dictamen.decision:  # str(): the label is a lazy translation, which JSONField cannot serialise
        resumen["decision"] = str(Dictamen.Decision(dictamen.decision).label)
    if ahora is not None:
        resumen["fecha"] = fecha_larga(ahora)
    return DocumentoVerificable.objects.create(
        tipo=DocumentoVerificable.Tipo.DICTAMEN, folio=f"{practica.folio}-D", autoridad_id=conv.autoridad_id,
        titulo=_("Dictamen de la práctica «%(p)s»") % {"p": practica.nombre}, visible_desde=conv.fecha_resultados,
        resumen=resumen,
    )


def _para_firma_preparar(dictamen: Dictamen) -> None:
    """The draft's PDF as the jurors will sign it, rendered by a worker (its folio and QR are the
    ruling's own; it is public only once the ruling is signed and its results second has come)."""
    conv = dictamen.practica.convocatoria
    doc = _documento_dictamen(dictamen, conv)
    Dictamen.objects.filter(pk=dictamen.pk).update(documento=doc)
    dictamen.documento = doc
    core_documentos.encolar(doc)


def _para_firma_descartar(dictamen: Dictamen) -> None:
    """The draft changed: the PDF the jurors were signing goes (its signatures with it)."""
    doc = dictamen.documento
    if doc is None:
        return
    Dictamen.objects.filter(pk=dictamen.pk).update(documento=None)
    dictamen.documento = None
    if doc.archivo:
        doc.archivo.delete(save=False)
    doc.delete()


def _mensaje_firmado(dictamen: Dictamen) -> str:
    return _("El dictamen %(f)s está firmado: es definitivo e inapelable y no puede cambiar.") % {"f": dictamen.folio}


def _verificar_borrador(dictamen: Dictamen):
    if dictamen.estado != Dictamen.Estado.BORRADOR:
        raise ErrorDominio(_mensaje_firmado(dictamen))


@transaction.atomic
def dictamen_guardar(*, dictamen: Dictamen, usuario: Usuario, decision: str, motivos: dict[int, str],
                     consideraciones: str = "", motivo_desviacion: str = "") -> Dictamen:
    """Save the draft. A draft that changes loses the signatures gathered on it (each juror signed
    what was there); history keeps them and says why they went."""
    dictamen = Dictamen.objects.select_for_update().get(pk=dictamen.pk)
    _verificar_borrador(dictamen)
    if decision and decision not in Dictamen.Decision.values:
        raise ErrorDominio(_("Decisión no válida."), campo="decision")
    antes = (dictamen.decision, dictamen.consideraciones, dictamen.motivo_desviacion)
    dictamen.decision = decision
    dictamen.consideraciones = consideraciones.strip()
    dictamen.motivo_desviacion = motivo_desviacion.strip()
    cambio = antes != (dictamen.decision, dictamen.consideraciones, dictamen.motivo_desviacion)
    motivos_cambiados = []
    for motivo in dictamen.motivos.all():
        if motivo.criterio_id in motivos and motivos[motivo.criterio_id].strip() != motivo.texto:
            motivo.texto = motivos[motivo.criterio_id].strip()
            motivos_cambiados.append(motivo)
    firmas = list(dictamen.firmas.all()) if cambio or motivos_cambiados else []
    if dictamen.practica.convocatoria.firma_electronica and (cambio or motivos_cambiados
                                                              or dictamen.documento_id is None):
        # What the jurors sign is the PDF: a new draft, a new PDF to sign (rendered after the commit,
        # so with the changes saved below).
        _para_firma_descartar(dictamen)
        _para_firma_preparar(dictamen)
    if firmas:
        razon = _("El borrador cambió: se retiraron %(n)s firmas.") % {"n": len(firmas)}
        for firma in firmas:
            _razon(_autor(firma, usuario), razon).delete()
        _razon(dictamen, razon)
    _autor(dictamen, usuario).save()
    for motivo in motivos_cambiados:
        _autor(motivo, usuario).save()
    return dictamen


def _verificar_firmable(dictamen: Dictamen, conv: Convocatoria, ahora: datetime):
    """What a draft needs before anyone may sign it (and before it is issued)."""
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


def firmantes_esperados(dictamen: Dictamen) -> list[MiembroJurado]:
    """The seats that sign this ruling: the call's jurors who did not recuse from the practice."""
    recusados = set(Recusa.objects.filter(practica_id=dictamen.practica_id).values_list("miembro_id", flat=True))
    conv = dictamen.practica.convocatoria
    return [m for m in conv.jurado.select_related("usuario").order_by("orden", "pk") if m.pk not in recusados]


def firmas_necesarias(dictamen: Dictamen, esperados: list | None = None) -> int:
    """The call's rule: every juror who did not recuse, or `quorum_firmas` of them (never more)."""
    esperados = firmantes_esperados(dictamen) if esperados is None else esperados
    quorum = dictamen.practica.convocatoria.quorum_firmas
    return len(esperados) if quorum is None else min(quorum, len(esperados))


@transaction.atomic
def dictamen_firmar(*, dictamen: Dictamen, usuario: Usuario, ahora: datetime | None = None,
                    efirma: firma_digital.Firmante | None = None) -> Dictamen:
    """One juror signs the draft as it stands: their own act, as the account that scored it. The
    caller has re-authenticated the person (the panel's signing form asks for their password, or,
    in a call signed with e.firma, for their certificate, key and passphrase: ``efirma``, already
    checked against their name, held in memory for this call only). With e.firma the juror's PAdES
    signature goes into the ruling's PDF itself, one incremental signature after another.
    When the call's rule is met (firmas_necesarias) the ruling is issued: borrador → firmado, with
    its folio and documents, final from then on. Staff who do not sit on the jury never sign."""
    ahora = ahora or timezone.now()
    dictamen = Dictamen.objects.select_for_update(of=("self",)).select_related("practica__convocatoria", "practica__sujeto") \
        .get(pk=dictamen.pk)
    dictamen.verificar_transicion(Dictamen.Estado.FIRMADO, mensaje=_mensaje_firmado(dictamen))
    practica, conv = dictamen.practica, dictamen.practica.convocatoria
    miembro = conv.jurado.filter(usuario=usuario).first() if usuario is not None else None
    if miembro is None:
        raise ErrorDominio(_("Solo los integrantes del jurado firman los dictámenes, cada uno con su cuenta."))
    if Recusa.objects.filter(miembro=miembro, practica=practica).exists():
        raise ErrorDominio(_("Usted se excusó de esta práctica: no firma su dictamen."))
    _verificar_firmable(dictamen, conv, ahora)
    if not Evaluacion.objects.filter(miembro=miembro, practica=practica, estado=Evaluacion.Estado.ENVIADA).exists():
        raise ErrorDominio(_("Solo firma quien calificó la práctica con esta cuenta."))
    if dictamen.firmas.filter(miembro=miembro).exists():
        raise ErrorDominio(_("Usted ya firmó este dictamen."))
    nombre = usuario.get_full_name().strip()
    if not nombre:
        raise ErrorDominio(_("Su cuenta no tiene nombre registrado y el dictamen lo imprime: pida al personal "
                             "del órgano garante que lo registre antes de firmar."))
    certificado = {}
    if conv.firma_electronica:
        certificado = _firmar_con_efirma(dictamen, conv, miembro, efirma)
    elif efirma is not None:
        raise ErrorDominio(_("Esta convocatoria no firma sus dictámenes con e.firma."))
    _autor(FirmaDictamen(dictamen=dictamen, miembro=miembro, usuario=usuario, cargo=miembro.cargo, nombre=nombre,
                         firmada_en=ahora, certificado=certificado), usuario).save()
    esperados = firmantes_esperados(dictamen)
    if dictamen.firmas.count() < firmas_necesarias(dictamen, esperados):
        return dictamen
    return _dictamen_emitir(dictamen, usuario, ahora)


def _firmar_con_efirma(dictamen: Dictamen, conv: Convocatoria, miembro: MiembroJurado,
                       efirma: firma_digital.Firmante | None) -> dict:
    if efirma is None:
        raise ErrorDominio(_("Esta convocatoria firma con e.firma: adjunte su certificado (.cer), su clave "
                             "privada (.key) y escriba su contraseña."), campo="certificado")
    if dictamen.documento_id is None:
        raise ErrorDominio(_("El dictamen aún no tiene su documento para firma: el personal del órgano garante "
                             "debe guardar el borrador."))
    razon = _("Firma del dictamen %(f)s como %(c)s del Jurado Calificador") % {
        "f": dictamen.documento.folio, "c": miembro.cargo}
    core_documentos.documento_firmar(documento_id=dictamen.documento_id, firmar=lambda pdf: firma_digital.firmar_pdf(
        pdf, efirma, campo=f"Jurado{miembro.orden or 0}-{miembro.pk}", razon=razon, lugar=conv.autoridad.nombre,
        **sellos.opciones_de_firma()))
    return efirma.certificado.como_dict()


def _dictamen_emitir(dictamen: Dictamen, usuario: Usuario, ahora: datetime) -> Dictamen:
    """borrador → firmado once the signatures are in: folio, documents, PDFs. Final. With e.firma the
    ruling's document is the PDF the jurors signed, already ready (it is never rendered again)."""
    practica, conv = dictamen.practica, dictamen.practica.convocatoria
    folio_base = practica.folio
    publicacion = conv.fecha_resultados
    firmado_por_jurado = conv.firma_electronica and dictamen.documento_id is not None
    if firmado_por_jurado:
        doc = dictamen.documento
        doc.resumen = {**doc.resumen, "decision": str(Dictamen.Decision(dictamen.decision).label),
                       "fecha": fecha_larga(ahora)}
        doc.visible_desde = publicacion  # the results second may have moved since the PDF was rendered
        doc.save(update_fields=["resumen", "visible_desde"])
    else:
        doc = _documento_dictamen(dictamen, conv, ahora)
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
            tipo=DocumentoVerificable.Tipo.RECONOCIMIENTO, folio=f"{folio_base}-R", autoridad_id=conv.autoridad_id,
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
        if not (firmado_por_jurado and d is doc):
            core_documentos.encolar(d)
    return dictamen


def fecha_resultados_bloqueada(convocatoria: Convocatoria) -> str | None:
    """Signed rulings carry the publication date (embargo and validity): it is fixed from then on.
    Registered with convocatorias.services in EvaluacionConfig.ready()."""
    if Dictamen.objects.filter(practica__convocatoria=convocatoria, estado=Dictamen.Estado.FIRMADO).exists():
        return _("Ya hay dictámenes firmados: la fecha de publicación de resultados no puede cambiar.")
    return None
