"""May this person do this to this carta compromiso? One place answers it. The enlaces of the body
that signs it and the staff of the authority it is addressed to are related to a letter
(selectors.cartas_relacionadas); everyone else gets 404 from core.acceso."""

import rules

from core.rules import es_personal, es_personal_de_autoridad
from practicas.rules import es_enlace_aprobado, sujetos_de


@rules.predicate
def es_enlace_de_carta(user, carta):
    return carta is not None and carta.sujeto_id in sujetos_de(user)


@rules.predicate
def es_personal_de_carta(user, carta):
    return carta is not None and es_personal_de_autoridad(user, carta.autoridad_id)


@rules.predicate
def es_editable(user, carta):
    return carta is not None and carta.editable


@rules.predicate
def es_presentada(user, carta):
    return carta is not None and carta.estado == carta.Estado.PRESENTADA


@rules.predicate
def es_aceptada(user, carta):
    return carta is not None and carta.estado == carta.Estado.ACEPTADA


relacionado = es_enlace_de_carta | es_personal_de_carta

# An enlace registers the letters of its bodies; staff capture one received on paper.
rules.add_perm("compromisos.registrar_carta", es_enlace_aprobado | es_personal)
rules.add_perm("compromisos.ver_carta", relacionado)
rules.add_perm("compromisos.editar_carta", relacionado & es_editable)
rules.add_perm("compromisos.presentar_carta", relacionado & es_editable)
# Acceptance and return are the authority's acts, never the body's.
rules.add_perm("compromisos.revisar_carta", es_personal_de_carta & es_presentada)
# The follow-up of an accepted letter: the body records its progress; staff may correct it.
rules.add_perm("compromisos.dar_seguimiento", relacionado & es_aceptada)
# The «Formato carta compromiso» PDF: generated and downloaded by whoever is related to the letter
# (the body fills and signs it; staff may generate it for a letter received on paper).
rules.add_perm("compromisos.generar_formato", relacionado)
