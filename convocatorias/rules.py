import rules

from core.rules import es_personal, es_personal_de_autoridad


@rules.predicate
def es_personal_de_la_convocatoria(user, convocatoria):
    return convocatoria is not None and es_personal_de_autoridad(user, convocatoria.autoridad)


rules.add_perm("convocatorias.gestionar_convocatoria", es_personal_de_la_convocatoria)
rules.add_perm("convocatorias.crear_convocatoria", es_personal)
