"""May this person do this to this practice? One place answers it."""

import rules

from convocatorias.rules import es_personal_de_la_convocatoria
from core.rules import autoridades_de, es_personal

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
    return practica is not None and es_personal_de_la_convocatoria(user, practica.convocatoria)


@rules.predicate
def es_borrador(user, practica):
    return practica is not None and practica.es_borrador


@rules.predicate
def es_enviada(user, practica):
    return practica is not None and practica.estado == practica.Estado.ENVIADA


# Who else may read a practice, added by the apps above this one from their AppConfig.ready()
# (evaluacion: the jurors it was turned over to); practicas imports none of them.
_LECTORES: list = []


def registrar_lector(predicado) -> None:
    if predicado not in _LECTORES:
        _LECTORES.append(predicado)


@rules.predicate
def es_lector_registrado(user, practica):
    return practica is not None and any(p.test(user, practica) for p in _LECTORES)


@rules.predicate
def es_personal_de_la_entidad_del_enlace(user, enlace):
    """Staff resolve requests only for bodies of their own authority's entity."""
    if enlace is None or not user.is_authenticated:
        return False
    return user.is_superuser or autoridades_de(user).filter(entidad_clave=enlace.sujeto.entidad_clave).exists()


@rules.predicate
def es_captura_en_linea(user, practica):
    return practica is not None and practica.canal == practica.Canal.EN_LINEA


puede_ver = es_enlace_de_practica | es_personal_de_practica | es_lector_registrado

rules.add_perm("practicas.ver_practica", puede_ver)
# An online draft is the body's own; a paper or e-mail one is captured by staff.
puede_capturar = es_borrador & ((es_enlace_de_practica & es_captura_en_linea)
                                | (es_personal_de_practica & ~es_captura_en_linea))
rules.add_perm("practicas.editar_practica", puede_capturar)
rules.add_perm("practicas.enviar_practica", puede_capturar)
rules.add_perm("practicas.retirar_practica", es_enlace_de_practica & es_enviada)
rules.add_perm("practicas.ver_soportes", puede_ver)
rules.add_perm("practicas.ver_acuse", puede_ver)
rules.add_perm("practicas.crear_practica", es_enlace_aprobado)
rules.add_perm("practicas.registrar_recibida", es_personal_de_la_convocatoria)
rules.add_perm("practicas.gestionar_practicas", es_personal_de_la_convocatoria)
rules.add_perm("practicas.gestionar_sujetos", es_personal)
rules.add_perm("practicas.resolver_enlaces", es_personal)
rules.add_perm("practicas.resolver_enlace", es_personal_de_la_entidad_del_enlace)
