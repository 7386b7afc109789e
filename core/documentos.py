"""Issuing verifiable PDFs: render each document's template, store it, hash it. The row says
pending / ready / failed; rendering a ready one does nothing (a PDF is a cache)."""

import base64
import logging

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import DocumentoVerificable
from .pdf import render_pdf, sha256_bytes

logger = logging.getLogger(__name__)


def url_verificacion(documento: DocumentoVerificable) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('core:verificar', args=[documento.codigo])}"


def qr_data_uri(url: str) -> str:
    """A QR code as an SVG data: URI, so WeasyPrint needs no file or network."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _contexto(documento: DocumentoVerificable) -> tuple[str, dict]:
    """Template and context per type; each domain supplies its own through its related object."""
    url = url_verificacion(documento)
    base = {"documento": documento, "url_verificacion": url, "qr": qr_data_uri(url), "generado_en": timezone.now()}
    if documento.tipo == DocumentoVerificable.Tipo.DICTAMEN:
        from evaluacion.pdf import contexto_dictamen

        return "evaluacion/pdf/dictamen.html", {**base, **contexto_dictamen(documento)}
    if documento.tipo == DocumentoVerificable.Tipo.RECONOCIMIENTO:
        from evaluacion.pdf import contexto_reconocimiento

        return "evaluacion/pdf/reconocimiento.html", {**base, **contexto_reconocimiento(documento)}
    if documento.tipo == DocumentoVerificable.Tipo.CONSTANCIA:
        from jornadas.constancias import contexto_constancia

        return "jornadas/pdf/constancia.html", {**base, **contexto_constancia(documento)}
    raise ValueError(f"Tipo de documento sin plantilla: {documento.tipo}")


def documento_generar(*, documento_id: int) -> DocumentoVerificable | None:
    with transaction.atomic():
        doc = DocumentoVerificable.objects.select_for_update().filter(pk=documento_id).first()
        if doc is None or doc.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA:
            return doc
        plantilla, contexto = _contexto(doc)
        pdf = render_pdf(plantilla, contexto)
        doc.archivo.save(f"{doc.folio}.pdf", ContentFile(pdf), save=False)
        doc.sha256 = sha256_bytes(pdf)
        doc.estado_pdf = DocumentoVerificable.EstadoPDF.LISTA
        doc.generado_en = timezone.now()
        doc.error = ""
        doc.intentos += 1
        doc.save()
        return doc


def documento_marcar_fallo(*, documento_id: int, error: str, definitivo: bool) -> None:
    with transaction.atomic():
        doc = DocumentoVerificable.objects.select_for_update().filter(pk=documento_id).first()
        if doc is None or doc.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA:
            return
        doc.intentos += 1
        doc.error = error[:2000]
        if definitivo:
            doc.estado_pdf = DocumentoVerificable.EstadoPDF.FALLIDA
        doc.save(update_fields=["intentos", "error", "estado_pdf"])
    logger.warning("Documento %s falló (definitivo=%s): %s", documento_id, definitivo, error)


@transaction.atomic
def documento_reintentar(*, documento: DocumentoVerificable) -> None:
    doc = DocumentoVerificable.objects.select_for_update().get(pk=documento.pk)
    if doc.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA:
        return
    doc.estado_pdf = DocumentoVerificable.EstadoPDF.PENDIENTE
    doc.save(update_fields=["estado_pdf"])
    from .tasks import documento_generar_task

    documento_generar_task.delay_on_commit(doc.pk)
