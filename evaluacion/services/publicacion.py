"""Publication: the call's results at the embargo second and one notice per ruling."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from convocatorias.models import Convocatoria
from convocatorias.services import convocatoria_transicionar
from core import colas, sitio
from core import documentos as core_documentos
from core.correo import correo_enviar
from core.models import DocumentoVerificable
from practicas.selectors import destinatarios_de

from .. import busqueda, senales
from ..models import Dictamen, Notificacion, Reconocimiento
from ..selectors import resultados_visibles
from .comun import Estado, Fase, _bloquear_convocatoria

logger = logging.getLogger(__name__)


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
    senales.resultados_publicados.send(sender=Convocatoria, convocatoria=conv, ahora=ahora)
    # Rebuilt at publication too, so a body renamed since the signing is found by its current name.
    busqueda.indexar(Dictamen.objects.filter(practica__convocatoria=conv, decision=Dictamen.Decision.PROCEDENTE)
                     .values_list("practica_id", flat=True))
    for dictamen in Dictamen.objects.filter(practica__convocatoria=conv).select_related("documento"):
        colas.encolar("evaluacion.tasks.resultado_notificar_task", dictamen.pk)  # by name: tasks import us
        for doc in DocumentoVerificable.objects.filter(dictamen=dictamen) | DocumentoVerificable.objects.filter(
                reconocimiento__dictamen=dictamen):
            if doc.estado_pdf != DocumentoVerificable.EstadoPDF.LISTA:
                core_documentos.encolar(doc)
    # A recognition revoked before publication is announced now, not while the ruling was embargoed.
    for pk in Reconocimiento.objects.filter(dictamen__practica__convocatoria=conv, estado=Reconocimiento.Estado.REVOCADO,
                                            aviso_revocacion_en__isnull=True).values_list("pk", flat=True):
        colas.encolar("evaluacion.tasks.reconocimiento_avisar_revocacion_task", pk)
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
        url = sitio.url_absoluta(practica.get_absolute_url())
        Notificacion.objects.create(dictamen=dictamen, destinatarios=", ".join(destinatarios))
        correo_enviar(plantilla="evaluacion/correos/resultado", para=destinatarios,
                      autoridad=practica.convocatoria.autoridad,
                      contexto={"practica": practica, "dictamen": dictamen, "url": url})
        return True
