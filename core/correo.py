"""E-mails written as templates, so their wording lives with the other texts people read.

A message ``<app>/correos/<name>`` is two templates: ``<name>_asunto.txt`` (one line) and
``<name>.txt`` (the body). Both are plain text: nothing is HTML-escaped, whatever the template
says, so «&» and quotes in a title reach the reader as typed. When to send (inside the
transaction, after commit, through a shared connection) stays with the caller."""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import Context
from django.template.loader import get_template


def _texto(nombre: str, contexto: dict) -> str:
    # The backend's Template.render() takes only the engine's autoescape setting; the inner
    # Django template takes a Context, where autoescape can be turned off for plain text.
    return get_template(nombre).template.render(Context(contexto, autoescape=False))


def remitente(autoridad=None) -> str:
    """DEFAULT_FROM_EMAIL's address, under the authority's acronym when the message is one of its
    calls or sessions (the instance's name otherwise)."""
    nombre, direccion = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if autoridad is None:
        return settings.DEFAULT_FROM_EMAIL
    # Unencoded: Django encodes the display name when it sends (django.core.mail.message.sanitize_address).
    nombre = f"{autoridad.siglas} · {settings.PORTAL_NOMBRE}".replace("\\", "").replace('"', "")
    return f'"{nombre}" <{direccion}>'


def correo_construir(*, plantilla: str, contexto: dict, para: list[str], conexion=None,
                     autoridad=None) -> EmailMessage:
    """The message from ``<plantilla>_asunto.txt`` and ``<plantilla>.txt``. With `autoridad` (the
    authority whose call, practice or session it is about) it comes under that authority's name,
    replies go to its contact address, and the body ends with its name, address and contact
    (core/correos/_firma.txt)."""
    contexto = {**contexto, "autoridad": autoridad, "portal_nombre": settings.PORTAL_NOMBRE}
    # A subject is one header line: the template's line breaks (and its final one) are dropped.
    asunto = "".join(_texto(f"{plantilla}_asunto.txt", contexto).splitlines()).strip()
    cuerpo = _texto(f"{plantilla}.txt", contexto).rstrip() + "\n\n" + _texto("core/correos/_firma.txt", contexto)
    responder = [autoridad.correo_contacto] if autoridad is not None and autoridad.correo_contacto else None
    return EmailMessage(asunto, cuerpo, remitente(autoridad), list(para), connection=conexion, reply_to=responder)


def correo_enviar(*, plantilla: str, contexto: dict, para: list[str], conexion=None, autoridad=None) -> int:
    """Build and send now; a failure raises (callers decide whether it undoes their work)."""
    return correo_construir(plantilla=plantilla, contexto=contexto, para=para, conexion=conexion,
                            autoridad=autoridad).send()
