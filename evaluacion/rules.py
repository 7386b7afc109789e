"""Who may judge, see scores and read results. The embargo lives here: `resultado_visible`."""

import rules
from django.utils import timezone

from convocatorias.rules import es_personal_de_la_convocatoria
from practicas.rules import es_enlace_de_practica, es_personal_de_practica


@rules.predicate
def es_jurado_de_convocatoria(user, convocatoria):
    if not user.is_authenticated or convocatoria is None:
        return False
    return convocatoria.jurado.filter(usuario=user).exists()


@rules.predicate
def es_jurado_de_practica(user, practica):
    """A juror of the practice's call, once the practice was turned over to the jury."""
    if not user.is_authenticated or practica is None:
        return False
    from .models import Admisibilidad

    # Only once staff closed admissibility and turned the practices over (Convocatoria.fase).
    return practica.convocatoria.admisibilidad_comunicada and \
        practica.convocatoria.jurado.filter(usuario=user).exists() and \
        Admisibilidad.objects.filter(practica=practica, preseleccionada=True).exists()


@rules.predicate
def embargo_concluido(user, practica):
    from .services import resultados_visibles

    return practica is not None and resultados_visibles(practica.convocatoria, timezone.now())


@rules.predicate
def admisibilidad_comunicada(user, practica):
    return practica is not None and practica.convocatoria.admisibilidad_comunicada


rules.add_perm("evaluacion.verificar_requisitos", es_personal_de_la_convocatoria)
rules.add_perm("evaluacion.calificar", es_jurado_de_convocatoria)
rules.add_perm("evaluacion.ver_tablero", es_personal_de_la_convocatoria | es_jurado_de_convocatoria)
rules.add_perm("evaluacion.gestionar_dictamenes", es_personal_de_la_convocatoria | es_jurado_de_convocatoria)
rules.add_perm("evaluacion.cerrar_calificacion", es_personal_de_la_convocatoria)
rules.add_perm("evaluacion.revocar_reconocimiento", es_personal_de_la_convocatoria)
# The body reads its admissibility result once staff release it, and its ruling only after the embargo.
rules.add_perm("evaluacion.ver_admisibilidad",
               es_personal_de_practica | (es_enlace_de_practica & admisibilidad_comunicada))
rules.add_perm("evaluacion.ver_resultado", es_personal_de_practica | (
    (es_enlace_de_practica | es_jurado_de_practica) & embargo_concluido))
