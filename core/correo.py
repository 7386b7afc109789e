"""E-mails written as templates, so their wording lives with the other texts people read.

A message ``<app>/correos/<name>`` is two templates: ``<name>_asunto.txt`` (one line) and
``<name>.txt`` (the body). Both are plain text: nothing is HTML-escaped, whatever the template
says, so «&» and quotes in a title reach the reader as typed. When to send (inside the
transaction, after commit, through a shared connection) stays with the caller."""

from django.core.mail import EmailMessage
from django.template import Context
from django.template.loader import get_template


def _texto(nombre: str, contexto: dict) -> str:
    # The backend's Template.render() takes only the engine's autoescape setting; the inner
    # Django template takes a Context, where autoescape can be turned off for plain text.
    return get_template(nombre).template.render(Context(contexto, autoescape=False))


def correo_construir(*, plantilla: str, contexto: dict, para: list[str], conexion=None) -> EmailMessage:
    """The message from ``<plantilla>_asunto.txt`` and ``<plantilla>.txt``, from DEFAULT_FROM_EMAIL."""
    # A subject is one header line: the template's line breaks (and its final one) are dropped.
    asunto = "".join(_texto(f"{plantilla}_asunto.txt", contexto).splitlines()).strip()
    cuerpo = _texto(f"{plantilla}.txt", contexto)
    return EmailMessage(asunto, cuerpo, None, list(para), connection=conexion)


def correo_enviar(*, plantilla: str, contexto: dict, para: list[str], conexion=None) -> int:
    """Build and send now; a failure raises (callers decide whether it undoes their work)."""
    return correo_construir(plantilla=plantilla, contexto=contexto, para=para, conexion=conexion).send()
