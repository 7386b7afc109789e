from django.utils.functional import SimpleLazyObject

from .cara import Cara, IdentidadPortal, autoridad_de_pagina
from .menu import CUENTA, PUBLICO, entradas, roles
from .models import AutoridadGarante, Usuario


def portal(request):
    """The page's face (core.cara: the authority a page belongs to, else the instance's identity),
    the authorities the instance hosts, and the menu, whose entries the apps register (core.menu).
    Each is read only if the template asks, and then once; the person's roles in one query."""
    identidad = IdentidadPortal.actual()
    return {
        "cara": SimpleLazyObject(lambda: Cara(autoridad_de_pagina(request), identidad)),
        "identidad_portal": identidad,
        "autoridades_portal": SimpleLazyObject(lambda: list(AutoridadGarante.objects.only("siglas", "nombre", "slug", "sitio_web"))),
        "menu": _MenuPerezoso(request),
    }


class _MenuPerezoso:
    """Evaluated only if the template asks, and then once: which entries may this person see?"""

    def __init__(self, request):
        self._request = request
        self._roles = None

    def _cargar_roles(self) -> dict[str, bool]:
        if self._roles is None:
            user = self._request.user
            subconsultas = roles()
            if not user.is_authenticated or not subconsultas:
                self._roles = dict.fromkeys(subconsultas, False)
            else:
                self._roles = (
                    Usuario.objects.filter(pk=user.pk)
                    .annotate(**{nombre: sub() for nombre, sub in subconsultas.items()})
                    .values(*subconsultas)
                    .first()
                ) or dict.fromkeys(subconsultas, False)
        return self._roles

    def _visible(self, entrada) -> bool:
        user = self._request.user
        if not user.is_authenticated:
            return False
        if entrada.rol:
            return bool(self._cargar_roles().get(entrada.rol))
        if entrada.permiso:
            return user.has_perm(entrada.permiso)
        return entrada.superusuario and user.is_superuser

    @property
    def publico(self):
        return entradas(PUBLICO)

    @property
    def cuenta(self):
        return [e for e in entradas(CUENTA) if self._visible(e)]
