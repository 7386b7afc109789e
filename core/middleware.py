"""Two small middlewares: idle expiry of staff and juror sessions, and the Permissions-Policy header."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .cuentas import SESION_ACTIVIDAD, SESION_VIGILADA, inactiva, marcar_actividad

# A request with this header is the page polling by itself (hx-trigger="every …"): it is checked for
# expiry but is not activity, so a panel left open does not keep its session alive.
CABECERA_SONDEO = "HTTP_X_RECONOCE_SONDEO"
# The last activity is written at most this often (seconds), not on every request.
RESOLUCION_ACTIVIDAD = 60


class SesionInactivaMiddleware:
    """Signs out a watched session (core.cuentas: staff, jurors) idle for longer than
    SESION_INACTIVIDAD_MINUTOS, with a message, back to the login page with ?next=."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.session.get(SESION_VIGILADA):
            if inactiva(request):
                return self._cerrar(request)
            ultima = request.session.get(SESION_ACTIVIDAD, 0)
            if CABECERA_SONDEO not in request.META and time.time() - ultima >= RESOLUCION_ACTIVIDAD:
                marcar_actividad(request)
        return self.get_response(request)

    def _cerrar(self, request):
        destino = request.get_full_path()
        if getattr(request, "htmx", False):
            destino = request.htmx.current_url_abs_path or "/"
        logout(request)
        messages.info(request, _("Su sesión se cerró después de %(m)d minutos sin actividad. Inicie sesión de "
                                 "nuevo para continuar.") % {"m": settings.SESION_INACTIVIDAD_MINUTOS})
        respuesta = redirect_to_login(destino)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(respuesta["Location"])
        return respuesta


class PermissionsPolicyMiddleware:
    """Permissions-Policy from settings.PERMISSIONS_POLICY: {feature: [origins]}; an empty list turns
    the feature off for the page and every frame in it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.valor = ", ".join(f"{f}=({' '.join(o)})" for f, o in settings.PERMISSIONS_POLICY.items())

    def __call__(self, request):
        respuesta = self.get_response(request)
        if self.valor:
            respuesta.headers.setdefault("Permissions-Policy", self.valor)
        return respuesta
