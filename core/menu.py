"""The portal's menu as a registry: each app adds its entries (and the roles they depend on) in
its ``AppConfig.ready()``, so core draws the menu without knowing the apps.

A role is a subquery over the user (``Exists(... OuterRef("pk"))``); all the roles a page needs
are read in one query, once per request, and only if the template draws an entry that asks."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists
from django.urls import reverse
from django.utils.functional import Promise

PUBLICO = "publico"  # always shown
CUENTA = "cuenta"  # shown to a signed-in person who has the entry's role, permission or is a superuser


@dataclass(frozen=True)
class Entrada:
    etiqueta: Promise | str
    url: str  # a URL name, e.g. "evaluacion:catalogo"
    orden: int
    seccion: str = PUBLICO
    rol: str = ""  # a role registered with registrar_rol
    permiso: str = ""  # a rules permission, e.g. "core.acceder_panel"
    superusuario: bool = False

    @property
    def href(self) -> str:
        return reverse(self.url)


_ENTRADAS: dict[str, Entrada] = {}
_ROLES: dict[str, Callable[[], Exists]] = {}


def registrar_entrada(entrada: Entrada) -> None:
    """Idempotent by URL name (ready() may run more than once in tests)."""
    if entrada.seccion not in (PUBLICO, CUENTA):
        raise ValueError(f"Sección de menú desconocida: {entrada.seccion}")
    _ENTRADAS[entrada.url] = entrada


def registrar_rol(nombre: str, subconsulta: Callable[[], Exists]) -> None:
    """`subconsulta()` returns an Exists() correlated with the user's primary key (OuterRef("pk"))."""
    _ROLES[nombre] = subconsulta


def entradas(seccion: str) -> list[Entrada]:
    return sorted((e for e in _ENTRADAS.values() if e.seccion == seccion), key=lambda e: (e.orden, e.url))


def roles() -> dict[str, Callable[[], Exists]]:
    return dict(_ROLES)
