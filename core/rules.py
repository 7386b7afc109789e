"""Who is who. "Staff of this authority" is defined here once; the apps build their predicates
(and their querysets of what a person is related to) on it."""

import rules

from . import buzon
from .models import AutoridadGarante


def autoridades_de(user):
    """The authorities a person is staff of (every one for a superuser), as a queryset, so a
    selector can use it as a subquery."""
    if not user.is_authenticated:
        return AutoridadGarante.objects.none()
    if user.is_superuser:
        return AutoridadGarante.objects.all()
    return AutoridadGarante.objects.filter(personal__usuario=user)


def ids_autoridades_de(user) -> frozenset:
    """Ids of the authorities a person is a member of the staff of (cached on the user object)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_autoridades_ids", None)
    if cached is None:
        cached = frozenset(user.personal.values_list("autoridad_id", flat=True))
        user._autoridades_ids = cached
    return cached


@rules.predicate
def es_personal(user):
    """Staff of any guarantor authority (or a superuser)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_es_personal", None)
    if cached is None:
        cached = user.personal.exists()
        user._es_personal = cached
    return cached


@rules.predicate
def es_personal_de_autoridad(user, autoridad):
    """Staff of this authority (an AutoridadGarante or its id), or a superuser."""
    if not user.is_authenticated or autoridad is None:
        return False
    if user.is_superuser:
        return True
    autoridad_id = getattr(autoridad, "pk", autoridad)
    conocidas = getattr(user, "_autoridades_ids", None)
    if conocidas is not None:  # a scoped lookup already read them for this request
        return autoridad_id in conocidas
    # One question for one authority, rather than reading them all for a single check.
    return user.personal.filter(autoridad_id=autoridad_id).exists()


rules.add_perm("core.acceder_panel", es_personal)


@rules.predicate
def es_su_adscripcion(user, personal):
    """This staff assignment (a PersonalGarante) is the person's own."""
    return personal is not None and user.is_authenticated and personal.usuario_id == user.pk


# Authorities in the panel (core/views_panel.py). Administrators (superusers) create authorities,
# change what identifies them (acronym, slug, entidad) and assign staff; an authority's own staff
# keep the rest of its data and its signers, see who its staff are, and may leave it themselves.
rules.add_perm("core.crear_autoridad", rules.is_superuser)
rules.add_perm("core.gestionar_autoridad", es_personal_de_autoridad)
rules.add_perm("core.cambiar_identidad_autoridad", rules.is_superuser)
rules.add_perm("core.asignar_personal", rules.is_superuser)
rules.add_perm("core.retirar_personal", rules.is_superuser | es_su_adscripcion)


# The demonstration mailbox (core/buzon.py): a message is read by its recipients and administrators.
@rules.predicate
def es_destinatario(user, mensaje):
    return mensaje is not None and buzon.es_para(user, mensaje)


@rules.predicate
def buzon_activo(user):
    return user.is_authenticated and buzon.activo()


rules.add_perm("core.ver_buzon", buzon_activo)
rules.add_perm("core.ver_correo", buzon_activo & es_destinatario)
