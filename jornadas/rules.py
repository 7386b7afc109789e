"""Who may do what with jornadas. Staff of a session's authority manage it; published sessions
are public; the survey is reached by its personal token only (no permission, the token is the key)."""

import rules

from core.rules import es_personal, es_personal_de_autoridad


@rules.predicate
def es_personal_de_jornada(user, jornada):
    return jornada is not None and es_personal_de_autoridad(user, jornada.autoridad_id)


@rules.predicate
def es_personal_de_ciclo(user, ciclo):
    return ciclo is not None and es_personal_de_autoridad(user, ciclo.autoridad_id)


@rules.predicate
def jornada_publicada(user, jornada):
    return jornada is not None and jornada.publicada


# Panel: the list of sessions and the forms to create them.
rules.add_perm("jornadas.gestionar_jornadas", es_personal)
# One session: edit, attendance, import, counts, survey results filtered to it.
rules.add_perm("jornadas.gestionar_jornada", es_personal_de_jornada)
# One cycle: edit, survey results, report and its PDF.
rules.add_perm("jornadas.gestionar_ciclo", es_personal_de_ciclo)
# Public pages of a session (and registration to it); staff preview their unpublished ones.
rules.add_perm("jornadas.ver_jornada", jornada_publicada | es_personal_de_jornada)
