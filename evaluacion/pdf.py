"""The evaluation's verifiable PDFs (dictamen, reconocimiento): what each one says, and who may
read it when. Registered with core's document registry (``registrar``, from EvaluacionConfig.ready);
core.documentos renders them and core.views serves and verifies them through that registry."""

from pathlib import Path

from django.db.models import Prefetch
from django.utils import timezone

from core.documentos import TipoDocumento, tipo_registrar
from core.models import DocumentoVerificable

from .models import Calificacion, Dictamen, Evaluacion, FirmaDictamen, MotivoDictamen, Reconocimiento, Recusa
from .selectors import etiqueta_miembro, resultados_visibles

Tipo = DocumentoVerificable.Tipo
TIPOS = frozenset({Tipo.DICTAMEN, Tipo.RECONOCIMIENTO})


def _dictamenes(completo=True):
    qs = Dictamen.objects.select_related("practica__convocatoria__autoridad", "practica__sujeto__municipio")
    if not completo:
        return qs
    return qs.select_related("documento").prefetch_related(
        Prefetch("motivos", queryset=MotivoDictamen.objects.select_related("criterio").order_by("criterio__numero")),
        Prefetch("firmas", queryset=FirmaDictamen.objects.order_by("miembro__orden", "pk")),
    )


def dictamen_de(documento: DocumentoVerificable, completo=False) -> Dictamen | None:
    """The ruling a document belongs to: its own for a dictamen, the one behind a reconocimiento."""
    if documento.tipo == Tipo.DICTAMEN:
        return _dictamenes(completo).filter(documento=documento).first()
    if documento.tipo == Tipo.RECONOCIMIENTO:
        return _dictamenes(completo).filter(reconocimiento__documento=documento).first()
    return None


def _logo(autoridad) -> str:
    """file:// URI of the authority's logo, when there is one on disk (WeasyPrint fetches it locally)."""
    if not autoridad.logo:
        return ""
    try:
        ruta = Path(autoridad.logo.path)
    except (ValueError, NotImplementedError):
        return ""
    return ruta.resolve().as_uri() if ruta.is_file() else ""


def _base(dictamen: Dictamen) -> dict:
    practica = dictamen.practica
    convocatoria = practica.convocatoria
    return {
        "dictamen": dictamen,
        "practica": practica,
        "convocatoria": convocatoria,
        "autoridad": convocatoria.autoridad,
        "logo": _logo(convocatoria.autoridad),
        "firmas": list(dictamen.firmas.all()),
    }


def puntajes_del_dictamen(dictamen: Dictamen) -> dict:
    """What the ruling rests on: each criterion's score from each juror who did not recuse (by name
    and position), each one's weighted total, and the final score (the mean of those totals)."""
    practica = dictamen.practica
    conv = practica.convocatoria
    criterios = list(conv.criterios.order_by("numero"))
    recusados = set(Recusa.objects.filter(practica=practica).values_list("miembro_id", flat=True))
    miembros = [m for m in conv.jurado.select_related("usuario").order_by("orden", "pk") if m.pk not in recusados]
    totales = dict(Evaluacion.objects.filter(practica=practica, estado=Evaluacion.Estado.ENVIADA)
                   .values_list("miembro_id", "total"))
    puntajes = {(m, c): p for m, c, p in Calificacion.objects.filter(
        evaluacion__practica=practica, evaluacion__estado=Evaluacion.Estado.ENVIADA,
    ).values_list("evaluacion__miembro_id", "criterio_id", "puntaje")}
    return {
        "jurados": [{"etiqueta": etiqueta_miembro(m), "total": totales.get(m.pk), "cargo": m.cargo,
                     "nombre": m.usuario.get_full_name().strip() if m.usuario_id else ""} for m in miembros],
        "filas": [{"criterio": c, "puntajes": [puntajes.get((m.pk, c.pk)) for m in miembros]} for c in criterios],
        "final": dictamen.puntaje,
        "n": sum(1 for m in miembros if m.pk in totales),
    }


def contexto_dictamen(documento: DocumentoVerificable) -> dict:
    dictamen = _dictamenes().get(documento=documento)
    return {**_base(dictamen), "motivos": list(dictamen.motivos.all()), "puntajes": puntajes_del_dictamen(dictamen)}


def contexto_reconocimiento(documento: DocumentoVerificable) -> dict:
    reconocimiento = Reconocimiento.objects.select_related("dictamen").get(documento=documento)
    dictamen = _dictamenes().get(pk=reconocimiento.dictamen_id)
    return {**_base(dictamen), "reconocimiento": reconocimiento}


# --- who may read them ---------------------------------------------------------------------------

def documento_publicado(documento: DocumentoVerificable, ahora=None, dictamen: Dictamen | None = None) -> bool:
    """Public from the call's results second on: both the document's own ``visible_desde`` and the
    call's embargo must have passed (the call's date may have moved after the ruling was signed)."""
    ahora = ahora or timezone.now()
    if documento.visible_desde > ahora:
        return False
    dictamen = dictamen or dictamen_de(documento)
    if dictamen is None or dictamen.estado != Dictamen.Estado.FIRMADO:
        return False
    return resultados_visibles(dictamen.practica.convocatoria, ahora)


def documento_descargable(user, documento: DocumentoVerificable, ahora=None) -> bool:
    """Staff and the jury of the call (but a juror who recused from the practice): always. After the
    embargo: anyone for a reconocimiento or a dictamen procedente; a dictamen no procedente only for
    the body's enlace."""
    dictamen = dictamen_de(documento)
    if dictamen is None:
        return False
    practica = dictamen.practica
    if user.has_perm("evaluacion.ver_dictamen", practica):
        return True
    if not documento_publicado(documento, ahora, dictamen):
        return False
    if documento.tipo == Tipo.RECONOCIMIENTO or dictamen.decision == Dictamen.Decision.PROCEDENTE:
        return True
    return user.has_perm("evaluacion.ver_resultado", practica)


def registrar() -> None:
    tipo_registrar(TipoDocumento(
        clave=Tipo.DICTAMEN, modelo=DocumentoVerificable, plantilla="evaluacion/pdf/dictamen.html",
        contexto=contexto_dictamen, publico=documento_publicado, descargable=documento_descargable,
    ))
    tipo_registrar(TipoDocumento(
        clave=Tipo.RECONOCIMIENTO, modelo=DocumentoVerificable, plantilla="evaluacion/pdf/reconocimiento.html",
        contexto=contexto_reconocimiento, publico=documento_publicado, descargable=documento_descargable,
        sellado=lambda documento: documento.autoridad,
    ))
