"""What the constancias modules share: the PDF template, the document states and the tasks they
queue by name."""

from core.models import DocumentoVerificable

PLANTILLA_PDF = "jornadas/pdf/constancia.html"
Estado = DocumentoVerificable.EstadoPDF
# jornadas.tasks imports this package; these are queued by name (core.colas).
TAREA_BLOQUE = "jornadas.tasks.constancias_bloque_task"
TAREA_CERRAR = "jornadas.tasks.constancias_cerrar_task"
TAREA_AVISAR = "jornadas.tasks.constancias_avisar_task"
