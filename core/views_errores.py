"""The portal's error pages (config.urls handler400/403/404/500, settings CSRF_FAILURE_VIEW): Spanish,
in the portal's frame, with the menu, a search box to the catalogue and a contact line. Under /api/ the
same errors answer JSON with a Spanish `detail`, in the words the API's own errors use
(core.api.manejar_excepcion).

403, 404 and the CSRF failure render in base.html with the request's context: the person may be
signed in, and a page may already show an authority. 400 and 500 render in a minimal frame built from
settings alone (errores/marco_minimo.html): no context processors, no user, no database. A 500 may be
the database failing, and a 400 (a host not allowed, a malformed request) may come before the
middleware that attaches the session and the user has run."""

import logging

from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import requires_csrf_token

from . import sitio
from .cara import Cara, IdentidadPortal
from .menu import PUBLICO, entradas

logger = logging.getLogger(__name__)

# Where the API lives (config.urls mounts it at /api/v1/): every error under it is JSON, also for a
# version or a path that does not exist.
PREFIJO_API = "/api/"

MENSAJES_API = {
    400: gettext_lazy("La solicitud no es válida."),
    403: gettext_lazy("No tiene permiso para realizar esta acción."),
    404: gettext_lazy("No se encontró el recurso solicitado."),
    500: gettext_lazy("Ocurrió un error inesperado en el servidor. Intente más tarde."),
}
MENSAJE_CSRF_API = gettext_lazy("La sesión o el formulario caducaron; recargue e intente de nuevo.")

# The last resort, should the 500 page itself fail to render: no template, no static files.
_500_SIN_MARCO = """<!doctype html><html lang="es-MX"><head><meta charset="utf-8"><title>%(titulo)s</title></head>
<body><h1>%(titulo)s</h1><p>%(texto)s</p><p><a href="/">%(inicio)s</a></p></body></html>"""


def es_api(request) -> bool:
    return request.path_info.startswith(PREFIJO_API)


def respuesta_api(status: int, detalle) -> JsonResponse:
    """An API error as DRF writes its own: {"detail": "..."}, readable from any site like the API."""
    respuesta = JsonResponse({"detail": str(detalle)}, status=status, json_dumps_params={"ensure_ascii": False})
    respuesta["Access-Control-Allow-Origin"] = "*"
    return respuesta


def contexto_minimo() -> dict:
    """What errores/marco_minimo.html reads, from settings and the menu registry only (no query)."""
    identidad = IdentidadPortal.actual()
    return {"cara": Cara(None, identidad), "identidad_portal": identidad, "menu_publico": entradas(PUBLICO)}


def _pagina_minima(plantilla: str, status: int):
    return HttpResponse(loader.get_template(plantilla).render(contexto_minimo()), status=status)


def solicitud_incorrecta(request, exception=None):
    """400. Django has logged the reason (django.security.*); the page does not repeat it."""
    if es_api(request):
        return respuesta_api(400, MENSAJES_API[400])
    return _pagina_minima("errores/400.html", 400)


@requires_csrf_token
def acceso_denegado(request, exception=None):
    """403. The exception's message is for the log, never the page (it may be English or technical)."""
    if es_api(request):
        return respuesta_api(403, MENSAJES_API[403])
    return render(request, "errores/403.html", status=403)


@requires_csrf_token
def no_encontrada(request, exception=None):
    """404. Django's message ("No Convocatoria matches the given query.") is not shown."""
    if es_api(request):
        return respuesta_api(404, MENSAJES_API[404])
    return render(request, "errores/404.html", status=404)


def error_servidor(request):
    """500: the minimal frame, or a bare Spanish page should even that fail (the failure is logged)."""
    if es_api(request):
        return respuesta_api(500, MENSAJES_API[500])
    try:
        return _pagina_minima("errores/500.html", 500)
    except Exception:
        logger.exception("No se pudo presentar la página de error 500")
        return HttpResponseServerError(_500_SIN_MARCO % {
            "titulo": _("Error del servidor"), "inicio": _("Ir a la página de inicio"),
            "texto": _("Ocurrió un error inesperado. Intente de nuevo en unos minutos.")})


def csrf_fallido(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent with a token that is missing or no longer valid (its session
    ended, it was open in another tab at login...). Django has already logged `reason`
    (django.security.csrf); the page explains it in the person's words and sends them back to the form,
    whose next load carries a fresh token."""
    if es_api(request):
        return respuesta_api(403, MENSAJE_CSRF_API)
    volver = sitio.ruta_propia(request.META.get("HTTP_REFERER", ""), request)
    contexto = {"volver": volver, "sin_cookie": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "errores/csrf.html", contexto, status=403)
