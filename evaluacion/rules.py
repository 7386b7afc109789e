"""Who may judge, see scores and read results. The embargo lives here: `resultado_visible`."""

import rules
from django.utils import timezone

from convocatorias.rules import es_personal_de_la_convocatoria
from core.rules import es_personal
from practicas.rules import es_enlace_de_practica, es_personal_de_practica

from .models import Admisibilidad, Recusa
from .selectors import resultados_visibles


@rules.predicate
def es_jurado(user):
    """A member of some call's jury."""
    return user.is_authenticated and user.jurados.exists()


@rules.predicate
def es_jurado_de_convocatoria(user, convocatoria):
    if not user.is_authenticated or convocatoria is None:
        return False
    return convocatoria.jurado.filter(usuario=user).exists()


@rules.predicate
def es_jurado_de_practica(user, practica):
    """A juror of the practice's call, once the practice was turned over to the jury, who did not
    recuse from it: a recused juror is out of that practice altogether (its page, supports, scoring,
    ruling). The SQL twin is selectors.practicas_de_su_jurado."""
    if not user.is_authenticated or practica is None:
        return False
    # Only once staff closed admissibility and turned the practices over (Convocatoria.fase).
    return practica.convocatoria.admisibilidad_comunicada and \
        practica.convocatoria.jurado.filter(usuario=user).exists() and \
        Admisibilidad.objects.filter(practica=practica, preseleccionada=True).exists() and \
        not Recusa.objects.filter(practica=practica, miembro__usuario=user).exists()


@rules.predicate
def embargo_concluido(user, practica):
    return practica is not None and resultados_visibles(practica.convocatoria, timezone.now())


@rules.predicate
def admisibilidad_comunicada(user, practica):
    return practica is not None and practica.convocatoria.admisibilidad_comunicada


# The judging panel is for staff and jurors: anyone else gets 403 there, whatever the call.
rules.add_perm("evaluacion.acceder", es_personal | es_jurado)
rules.add_perm("evaluacion.verificar_requisitos", es_personal_de_la_convocatoria)
rules.add_perm("evaluacion.calificar", es_jurado_de_convocatoria)
rules.add_perm("evaluacion.ver_tablero", es_personal_de_la_convocatoria | es_jurado_de_convocatoria)
rules.add_perm("evaluacion.gestionar_dictamenes", es_personal_de_la_convocatoria | es_jurado_de_convocatoria)
rules.add_perm("evaluacion.cerrar_calificacion", es_personal_de_la_convocatoria)
# Per practice: scoring it and reading its ruling are for jurors who did not recuse from it.
rules.add_perm("evaluacion.calificar_practica", es_jurado_de_practica)
rules.add_perm("evaluacion.ver_dictamen", es_personal_de_practica | es_jurado_de_practica)
# Each juror signs with their own account; staff cannot sign for the jury.
rules.add_perm("evaluacion.firmar_dictamen", es_jurado_de_practica)
# The recorded replacement of a juror, and the scores' history, are the call's staff's.
rules.add_perm("evaluacion.sustituir_jurado", es_personal_de_la_convocatoria)
rules.add_perm("evaluacion.ver_historial_calificaciones", es_personal_de_la_convocatoria)
rules.add_perm("evaluacion.revocar_reconocimiento", es_personal_de_la_convocatoria)
# The body reads its admissibility result once staff release it, and its ruling only after the embargo.
rules.add_perm("evaluacion.ver_admisibilidad",
               es_personal_de_practica | (es_enlace_de_practica & admisibilidad_comunicada))
rules.add_perm("evaluacion.ver_resultado", es_personal_de_practica | (
    (es_enlace_de_practica | es_jurado_de_practica) & embargo_concluido))
