"""Writes that mean something for the jornadas: sessions, registration, attendance, surveys."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Ciclo, Encuesta, Jornada, Pregunta

# The satisfaction form Infoem used after each 2023 session (seed 000).
PREGUNTAS_PREDETERMINADAS = [
    {
        "texto": _("¿Cuál de los siguientes elementos considera que deben reforzarse a fin de detonar prácticas "
                   "de Transparencia Proactiva al interior de su sujeto obligado?"),
        "tipo": Pregunta.Tipo.MULTIPLE,
        "opciones": [
            _("Mayor difusión de la información acerca de lo que es la Transparencia Proactiva"),
            _("Asesoría personalizada del Órgano Garante para el establecimiento de prácticas de "
              "Transparencia Proactiva"),
            _("Ejemplos de prácticas exitosas de Transparencia Proactiva"),
        ],
        "obligatoria": True,
    },
    {
        "texto": _("¿Cuál es su grado de satisfacción con respecto a la profundidad con la que se abordaron los "
                   "temas y conceptos durante la sensibilización?"),
        "tipo": Pregunta.Tipo.ESCALA,
        "opciones": [],
        "obligatoria": True,
    },
    {"texto": _("Comentarios"), "tipo": Pregunta.Tipo.TEXTO, "opciones": [], "obligatoria": False},
]


@transaction.atomic
def encuesta_predeterminada_crear(*, ciclo: Ciclo | None = None, jornada: Jornada | None = None) -> Encuesta:
    """The default survey of a cycle (or of a session without a cycle). Idempotent: returns the
    existing one if there is one."""
    if (ciclo is None) == (jornada is None):
        raise ValueError("ciclo o jornada, exactamente uno")
    filtro = {"ciclo": ciclo, "jornada": None} if ciclo else {"jornada": jornada}
    autoridad = ciclo.autoridad if ciclo else jornada.autoridad
    encuesta = Encuesta.objects.filter(**filtro).order_by("pk").first()
    if encuesta is not None:
        return encuesta
    encuesta = Encuesta.objects.create(
        autoridad=autoridad, titulo=str(_("Encuesta de satisfacción")), **filtro
    )
    Pregunta.objects.bulk_create(
        Pregunta(encuesta=encuesta, orden=i, texto=str(p["texto"]), tipo=p["tipo"],
                 opciones=[str(o) for o in p["opciones"]], obligatoria=p["obligatoria"])
        for i, p in enumerate(PREGUNTAS_PREDETERMINADAS, start=1)
    )
    return encuesta
