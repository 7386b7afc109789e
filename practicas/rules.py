"""May this person do this to this practice? One place answers it."""

import rules

from core.rules import es_personal, es_personal_de_autoridad

from .models import Enlace


def sujetos_de(user):
    """Ids of the bodies a person is an approved enlace of (cached on the user object)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_sujetos_aprobados", None)
    if cached is None:
        cached = frozenset(
            Enlace.objects.filter(usuario=user, estado=Enlace.Estado.APROBADO).values_list("sujeto_id", flat=True)
        )
        user._sujetos_aprobados = cached
    return cached


@rules.predicate
def es_enlace_aprobado(user):
    return bool(sujetos_de(user))


@rules.predicate
def es_enlace_de_practica(user, practica):
    return practica is not None and practica.sujeto_id in sujetos_de(user)


@rules.predicate
def es_personal_de_practica(user, practica):
    if practica is None:
        return False
    return es_personal_de_autoridad(user, practica.convocatoria.autoridad)


@rules.predicate
def es_borrador(user, practica):
    return practica is not None and practica.es_borrador


@rules.predicate
def es_enviada(user, practica):
    return practica is not None and practica.estado == practica.Estado.ENVIADA


@rules.predicate
def es_personal_de_convocatoria(user, convocatoria):
    return convocatoria is not None and es_personal_de_autoridad(user, convocatoria.autoridad)


puede_ver = es_enlace_de_practica | es_personal_de_practica

rules.add_perm("practicas.ver_practica", puede_ver)
rules.add_perm("practicas.editar_practica", puede_ver & es_borrador)
rules.add_perm("practicas.enviar_practica", puede_ver & es_borrador)
rules.add_perm("practicas.retirar_practica", es_enlace_de_practica & es_enviada)
rules.add_perm("practicas.ver_soportes", puede_ver)
rules.add_perm("practicas.ver_acuse", puede_ver)
rules.add_perm("practicas.crear_practica", es_enlace_aprobado)
rules.add_perm("practicas.registrar_recibida", es_personal_de_convocatoria)
rules.add_perm("practicas.gestionar_practicas", es_personal_de_convocatoria)
rules.add_perm("practicas.gestionar_sujetos", es_personal)
rules.add_perm("practicas.resolver_enlaces", es_personal)
