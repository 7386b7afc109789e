"""Constancias de participación, one module per job: the template staff edit (plantilla), a page's
context (contexto), issuing a session's or a cycle's certificates (emision) in batches rendered by
chunks (lotes, renderizado) with the batch's ZIP and merged PDF, one e-mail per attendee (avisos),
revocation (revocacion) and core's document registry (documento).

Issuing is idempotent at every step: a Registro has at most one Constancia (one-to-one) and so one
folio; a chunk renders only documents still pending, under row locks that a concurrent run skips; a
batch closes once, under its row lock, when nothing in it is pending; each constancia is announced
once (``avisada_en``). A chunk is one WeasyPrint layout for all its attendees (see constancias_pdf).
The reads (who is eligible, counts, a batch's progress) are in jornadas.selectors. Callers keep
using ``from jornadas import constancias`` and ``constancias.<name>(...)``.
"""

from .avisos import lote_avisar
from .comun import TAREA_BLOQUE, TAREA_CERRAR
from .contexto import vista_previa_pdf
from .documento import registrar
from .emision import constancias_emitir
from .lotes import (
    bloque_generar,
    bloque_generar_uno_a_uno,
    lote_encolar,
    lote_pendientes,
    lote_reanudar,
    lote_reintentar,
    lote_verificar_fin,
)
from .plantilla import (
    CAMPOS,
    formatear_texto,
    plantilla_de,
    plantilla_guardar,
    validar_texto,
)
from .revocacion import constancia_revocar

__all__ = [
    "CAMPOS",
    "TAREA_BLOQUE",
    "TAREA_CERRAR",
    "bloque_generar",
    "bloque_generar_uno_a_uno",
    "constancia_revocar",
    "constancias_emitir",
    "formatear_texto",
    "lote_avisar",
    "lote_encolar",
    "lote_pendientes",
    "lote_reanudar",
    "lote_reintentar",
    "lote_verificar_fin",
    "plantilla_de",
    "plantilla_guardar",
    "registrar",
    "validar_texto",
    "vista_previa_pdf",
]
