"""The demonstration mailbox's pages (core/buzon.py): the list of one's messages, one message (its
text part, and its HTML part in a sandboxed frame), and its attachments. 404 when the mailbox is not the e-mail backend, and for a message that is not the
person's (the same answer as for one that does not exist)."""

from csp.decorators import csp_exempt
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from . import buzon


def _abierto(vista):
    # The 404 comes first: where the mailbox is off, /buzon/ does not exist even for strangers.
    con_sesion = login_required(vista)

    def puerta(request, *args, **kwargs):
        if not buzon.activo():
            raise Http404
        return con_sesion(request, *args, **kwargs)

    puerta.__name__, puerta.__doc__ = vista.__name__, vista.__doc__
    return require_safe(never_cache(puerta))


def _mensaje(request, id_mensaje):
    mensaje = buzon.mensaje(request.user, id_mensaje)
    if mensaje is None:
        raise Http404
    return mensaje


@_abierto
def bandeja(request):
    return render(request, "core/buzon.html", {"mensajes": buzon.mensajes_de(request.user)})


@_abierto
def mensaje(request, id_mensaje):
    return render(request, "core/buzon_mensaje.html", {"mensaje": _mensaje(request, id_mensaje)})


@_abierto
def adjunto(request, id_mensaje, numero):
    mensaje = _mensaje(request, id_mensaje)
    if not 1 <= numero <= len(mensaje.adjuntos):
        raise Http404
    archivo = mensaje.adjuntos[numero - 1]
    respuesta = HttpResponse(archivo.contenido, content_type=archivo.tipo)
    respuesta["Content-Disposition"] = f'attachment; filename="{archivo.nombre.replace(chr(34), "")}"'
    respuesta["X-Content-Type-Options"] = "nosniff"
    return respuesta


# The HTML part is someone's markup (an e-mail), shown by the message page in <iframe sandbox>: the
# browser runs no script in it, treats it as another origin, and this policy lets it load nothing
# but its own inline styles and the data: images buzon.Mensaje.html_para_mostrar() wrote in.
CSP_HTML = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox")


@_abierto
@xframe_options_sameorigin
@csp_exempt()
def html(request, id_mensaje):
    mensaje = _mensaje(request, id_mensaje)
    if not mensaje.html:
        raise Http404
    respuesta = HttpResponse(mensaje.html_para_mostrar(), content_type="text/html; charset=utf-8")
    respuesta["Content-Security-Policy"] = CSP_HTML
    respuesta["X-Content-Type-Options"] = "nosniff"
    return respuesta
