"""Accounts at the edges: who the login lockout counts (django-axes), the one-use link that confirms a
new account's e-mail, and which sessions expire when idle (staff, jurors).

The lockout counts failures per normalised e-mail and client address, so «JURADO@…» and « jurado@… »
are the same account for it. Idle expiry is decided once, at sign-in, and kept in the session: staff
(of an authority, or Django's is_staff) and the roles the apps register with `vigilar_rol` (the
jury's, from convocatorias) are watched; SesionInactivaMiddleware (core.middleware) enforces it."""

import ipaddress
import time

from django.conf import settings
from django.contrib.auth import user_logged_in
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.dispatch import receiver

from . import menu
from .limites import ip_cliente
from .models import Usuario
from .rules import es_personal

# Session keys.
SESION_VIGILADA = "reconoce_sesion_vigilada"
SESION_ACTIVIDAD = "reconoce_ultima_actividad"


def normalizar_correo(valor) -> str:
    return (valor or "").strip().lower()


def usuario_para_axes(request, credentials=None) -> str:
    """AXES_USERNAME_CALLABLE: the e-mail typed, trimmed and in lower case (the login is
    case-insensitive, see UsuarioManager.get_by_natural_key, so the lockout must be too)."""
    campo = "username"
    if credentials and credentials.get(campo) is not None:
        return normalizar_correo(credentials.get(campo))
    return normalizar_correo(request.POST.get(campo)) if request is not None else ""


def ip_para_axes(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the same client address the rate limits use (core.limites), or None
    when there is none that parses (axes stores it in an inet column on PostgreSQL)."""
    direccion = ip_cliente(request)
    try:
        return str(ipaddress.ip_address(direccion))
    except ValueError:
        return None


class TokenActivacion(PasswordResetTokenGenerator):
    """The link that confirms a new account's address. It stops working once the account is active
    (or its password or last login change); it expires with PASSWORD_RESET_TIMEOUT."""

    key_salt = "reconoce.core.cuentas.TokenActivacion"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


token_activacion = TokenActivacion()


# --- idle expiry ------------------------------------------------------------------------------------

_ROLES_VIGILADOS: set[str] = set()


def vigilar_rol(nombre: str) -> None:
    """Sessions of people with this menu role (core.menu.registrar_rol) expire when idle."""
    _ROLES_VIGILADOS.add(nombre)


def sesion_vigilada(user) -> bool:
    if user.is_staff or es_personal(user):
        return True
    subconsultas = {n: s for n, s in menu.roles().items() if n in _ROLES_VIGILADOS}
    if not subconsultas:
        return False
    fila = (Usuario.objects.filter(pk=user.pk).annotate(**{n: s() for n, s in subconsultas.items()})
            .values(*subconsultas).first())
    return bool(fila) and any(fila.values())


def marcar_actividad(request) -> None:
    """Now is the session's last activity. The stored session keeps SESSION_COOKIE_AGE: the middleware,
    not the cookie, ends an idle session, so the person is told why."""
    request.session[SESION_ACTIVIDAD] = int(time.time())


def inactiva(request) -> bool:
    """A watched session whose last activity is older than SESION_INACTIVIDAD_MINUTOS."""
    if not request.session.get(SESION_VIGILADA):
        return False
    ultima = request.session.get(SESION_ACTIVIDAD, 0)
    return time.time() - ultima > settings.SESION_INACTIVIDAD_MINUTOS * 60


@receiver(user_logged_in, dispatch_uid="reconoce_sesion_vigilada")
def _al_iniciar_sesion(sender, request, user, **kwargs):
    # login() has already given the session a new key (django.contrib.auth.login cycles it).
    if request is None or not hasattr(request, "session"):
        return
    if sesion_vigilada(user):
        request.session[SESION_VIGILADA] = True
        marcar_actividad(request)
    else:
        request.session.pop(SESION_VIGILADA, None)
