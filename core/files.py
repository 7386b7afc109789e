"""Serving private files: callers check permissions first, this only streams."""

import mimetypes

from django.http import FileResponse, Http404


def servir_archivo(fieldfile, nombre_descarga=None, mime=None, inline=False):
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    nombre = nombre_descarga or fieldfile.name.rsplit("/", 1)[-1]
    mime = mime or mimetypes.guess_type(nombre)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=not inline, filename=nombre, content_type=mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
