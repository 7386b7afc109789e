"""Notices: one e-mail per attendee of a batch with links to their ready constancias, each once."""

import itertools
import logging

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from core import sitio
from core.correo import correo_construir
from core.documentos import url_verificacion
from core.models import DocumentoVerificable

from ..models import Constancia
from .comun import Estado

logger = logging.getLogger(__name__)


def url_descarga(documento: DocumentoVerificable) -> str:
    """The personal download link: the verifiable-document download by its unguessable code."""
    return sitio.url_de("core:documento", documento.codigo)


def _correo(constancias: list[Constancia], conexion) -> EmailMessage:
    participante = constancias[0].registro.participante
    autoridad = constancias[0].registro.jornada.autoridad
    filas = [{"jornada": c.registro.jornada, "folio": c.documento.folio, "descarga": url_descarga(c.documento),
              "verificacion": url_verificacion(c.documento)} for c in constancias]
    return correo_construir(plantilla="jornadas/correos/constancias", para=[participante.correo], conexion=conexion,
                            contexto={"participante": participante, "constancias": filas}, autoridad=autoridad)


def lote_avisar(*, lote_id: int) -> int:
    """E-mail each attendee of the batch once, with a link to each of their ready constancias not
    yet announced. A failed send leaves them unannounced for the next run. Returns e-mails sent."""
    pendientes = (
        Constancia.objects.filter(lote_id=lote_id, avisada_en__isnull=True, documento__estado_pdf=Estado.LISTA,
                                  documento__revocado_en__isnull=True)
        .select_related("registro__participante", "registro__jornada__autoridad", "documento")
        .order_by("registro__participante_id", "documento__folio")
    )
    enviados = 0
    with get_connection() as conexion:
        for _persona, grupo in itertools.groupby(pendientes.iterator(chunk_size=500),
                                                key=lambda c: c.registro.participante_id):
            grupo = list(grupo)
            try:
                with transaction.atomic():
                    mias = set(Constancia.objects.select_for_update(skip_locked=True)
                               .filter(pk__in=[c.pk for c in grupo], avisada_en__isnull=True)
                               .values_list("pk", flat=True))
                    grupo = [c for c in grupo if c.pk in mias]
                    if not grupo:
                        continue
                    Constancia.objects.filter(pk__in=mias).update(avisada_en=timezone.now())
                    _correo(grupo, conexion).send()
            except Exception:  # the constancias are issued; a mail outage is logged and retried later
                logger.exception("No se pudo avisar de sus constancias a %s", grupo[0].registro.participante.correo)
                continue
            enviados += 1
    return enviados
