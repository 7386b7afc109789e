"""Rendering a chunk: one WeasyPrint layout for all its attendees over a background rendered once,
split into one single-page PDF each (see constancias_pdf)."""

import hashlib

import segno
from django.conf import settings
from django.template.loader import render_to_string

from core import pdf
from core.models import DocumentoVerificable

from .. import constancias_pdf
from .comun import PLANTILLA_PDF
from .contexto import _contexto_comun, _pagina
from .plantilla import plantilla_de

# segno evaluates the eight QR masks to pick the most scanner-friendly one, which costs more than
# laying out the rest of the page; every mask is valid (ISO/IEC 18004), so batches use a fixed one.
MASCARA_QR = 2

_FONDOS: dict[str, bytes] = {}


def _html(contexto: dict):
    import weasyprint  # lazy, as in core/pdf.py: loading it takes seconds

    return weasyprint.HTML(string=render_to_string(PLANTILLA_PDF, contexto), base_url=str(settings.BASE_DIR),
                           url_fetcher=pdf._fetcher())


def _fondo(comun: dict) -> bytes:
    """The part every certificate shares, rendered once per worker process and template version."""
    html = render_to_string(PLANTILLA_PDF, {**comun, "capa": "fondo", "paginas": [{"ancla": "fondo"}]})
    clave = hashlib.sha256(html.encode()).hexdigest()
    if clave not in _FONDOS:
        import weasyprint  # lazy, as in core/pdf.py: loading it takes seconds

        if len(_FONDOS) > 16:
            _FONDOS.clear()
        _FONDOS[clave] = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR),
                                         url_fetcher=pdf._fetcher()).write_pdf()
    return _FONDOS[clave]


def renderizar(documentos: list[DocumentoVerificable]) -> list[bytes]:
    """One single-page PDF per document, in order, from one layout of all of them. Every document
    must be a constancia of the same authority, with its constancia, registro and people loaded."""
    registros = [d.constancia.registro for d in documentos]
    autoridad = registros[0].jornada.autoridad
    if any(r.jornada.autoridad_id != autoridad.pk for r in registros):
        raise ValueError("Un bloque de constancias debe ser de una sola autoridad.")
    plantilla = plantilla_de(autoridad)
    comun = _contexto_comun(autoridad, plantilla)
    paginas = [_pagina(d, r, plantilla) for d, r in zip(documentos, registros, strict=True)]
    fondo = _fondo(comun)
    maquetado = _html({**comun, "capa": "datos", "paginas": paginas}).render()
    # One page per attendee, in order: each page must hold its own attendee's anchor.
    if len(maquetado.pages) != len(paginas):
        raise constancias_pdf.ErrorPaginas(
            f"Se esperaban {len(paginas)} páginas y la maquetación dio {len(maquetado.pages)}.")
    for hoja, pagina in zip(maquetado.pages, paginas, strict=True):
        if pagina["ancla"] not in hoja.anchors:
            raise constancias_pdf.ErrorPaginas(f"La página de {pagina['folio']} no es la suya.")
    qrs = [segno.make(p["url"], error="m", mask=MASCARA_QR) for p in paginas]
    return constancias_pdf.dividir(maquetado.write_pdf(), fondo, qrs)
