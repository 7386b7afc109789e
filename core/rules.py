"""Who is who. Object-level questions about practices live in practicas/rules.py."""

import rules


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
    if not user.is_authenticated or autoridad is None:
        return False
    if user.is_superuser:
        return True
    return user.personal.filter(autoridad=autoridad).exists()


rules.add_perm("core.acceder_panel", es_personal)
