"""The evaluation's verifiable PDFs (dictamen, reconocimiento): what each one says, and who may
read it when. Registered with core's document registry (``registrar``, from EvaluacionConfig.ready);
core.documentos renders them and core.views serves and verifies them through that registry."""

from pathlib import Path

from django.db.models import Prefetch
from django.utils import timezone

from core.documentos import TipoDocumento, tipo_registrar
from core.models import DocumentoVerificable

from .models import Dictamen, FirmaDictamen, MotivoDictamen, Reconocimiento
from .selectors import resultados_visibles

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


def contexto_dictamen(documento: DocumentoVerificable) -> dict:
    dictamen = _dictamenes().get(documento=documento)
    return {**_base(dictamen), "motivos": list(dictamen.motivos.all())}


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
