"""The constancia in core's document registry."""

from core import documentos as core_documentos
from core.models import DocumentoVerificable

from .comun import PLANTILLA_PDF
from .contexto import contexto_constancia
from .lotes import constancias_reencolar


def registrar() -> None:
    """A constancia rendered on its own (a retry, a rebuild) uses the batch's template; the sweep
    queues stale ones through their batch (constancias_reencolar), keeping the one-layout chunks."""
    core_documentos.tipo_registrar(core_documentos.TipoDocumento(
        clave=DocumentoVerificable.Tipo.CONSTANCIA, modelo=DocumentoVerificable, plantilla=PLANTILLA_PDF,
        contexto=contexto_constancia, encolar=constancias_reencolar,
        # The batch loads each constancia with its session's authority (bloque_generar).
        sellado=lambda documento: documento.constancia.registro.jornada.autoridad,
    ))
