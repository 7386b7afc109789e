"""E-mails written as templates, so their wording lives with the other texts people read.

A message ``<app>/correos/<name>`` is three templates: ``<name>_asunto.txt`` (one line),
``<name>.txt`` (the plain-text body) and ``<name>.html`` (the same body as HTML, extending
core/correos/base.html). The text part is never HTML-escaped, whatever the template says, so «&»
and quotes in a title reach the reader as typed; the HTML part is escaped as any page.

Both parts share one frame: the authority's name, logo, colour, address, contact and privacy
notice (core/correos/base.html and _firma.txt) when the message is about one of its calls,
practices or sessions, the instance's identity (core.cara.IdentidadPortal) otherwise. The logo
travels inside the message (multipart/related, a ``cid:`` image), so it shows offline and
without loading remote images. When to send (inside the transaction, after commit, through a
shared connection, from a Celery task) stays with the caller."""

import logging
from email.mime.image import MIMEImage
from email.utils import make_msgid, parseaddr
from pathlib import PurePath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse

from . import sitio
from .cara import Cara, IdentidadPortal

logger = logging.getLogger(__name__)

# What a logo may be inside a message (core.forms.LogoField accepts PNG and JPEG).
TIPOS_LOGO = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}


class Correo(EmailMultiAlternatives):
    """Text and HTML as alternatives; images the HTML shows by ``cid:`` go with them in a
    multipart/related part, and attachments (an .ics, a PDF) around both in multipart/mixed:
    mixed(related(alternative(text, html), logo), attachments…)."""

    def __init__(self, *args, imagenes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.imagenes = list(imagenes)

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if not self.imagenes:
            return msg
        relacionado = SafeMIMEMultipart(_subtype="related", encoding=self.encoding or settings.DEFAULT_CHARSET)
        relacionado.attach(msg)
        for imagen in self.imagenes:
            relacionado.attach(imagen)
        return relacionado


def _texto(nombre: str, contexto: dict) -> str:
    # The backend's Template.render() takes only the engine's autoescape setting; the inner
    # Django template takes a Context, where autoescape can be turned off for plain text.
    return get_template(nombre).template.render(Context(contexto, autoescape=False))


def _sin_comillas(nombre: str) -> str:
    # Unencoded: Django encodes the display name when it sends (django.core.mail.message.sanitize_address).
    return " ".join(nombre.replace("\\", "").replace('"', "").split())


def remitente(autoridad=None) -> str:
    """The From: the authority's own sender when an administrator configured one (under its
    display name, or its name); otherwise DEFAULT_FROM_EMAIL's address under the authority's
    acronym and the instance's name. Without an authority, DEFAULT_FROM_EMAIL as configured."""
    nombre, direccion = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if autoridad is None:
        if nombre or not direccion:
            return settings.DEFAULT_FROM_EMAIL
        return f'"{_sin_comillas(settings.PORTAL_NOMBRE)}" <{direccion}>'
    if autoridad.remitente_correo:
        return f'"{_sin_comillas(autoridad.remitente_nombre or autoridad.nombre)}" <{autoridad.remitente_correo}>'
    return f'"{_sin_comillas(f"{autoridad.siglas} · {settings.PORTAL_NOMBRE}")}" <{direccion}>'


def responder_a(autoridad=None) -> list[str]:
    """Replies go to a person who reads them: the authority's contact, or the instance's."""
    if autoridad is not None:
        return [autoridad.correo_contacto] if autoridad.correo_contacto else []
    return [settings.PORTAL_CORREO] if settings.PORTAL_CORREO else []


def _logo(autoridad) -> MIMEImage | None:
    """The stored logo as an inline image part, or None (no logo, a format mail cannot show, or a
    file missing from storage: the message goes without it rather than not at all)."""
    if autoridad is None or not autoridad.logo:
        return None
    subtipo = TIPOS_LOGO.get(PurePath(autoridad.logo.name).suffix.lower())
    if subtipo is None:
        return None
    try:
        with autoridad.logo.open("rb") as archivo:
            datos = archivo.read()
    except (OSError, ValueError):
        logger.warning("No se encontró el logotipo de %s (%s); el correo sale sin él.", autoridad.siglas,
                       autoridad.logo.name)
        return None
    imagen = MIMEImage(datos, _subtype=subtipo)
    imagen.add_header("Content-ID", make_msgid("logo", domain=urlsplit(sitio.base()).hostname or "reconoce"))
    imagen.add_header("Content-Disposition", "inline", filename=f"logo-{autoridad.slug}.{subtipo}")
    return imagen


def contexto_marco(autoridad=None) -> dict:
    """What the frame of both parts reads: who speaks (`cara`: the authority or the instance) and
    the links under the message."""
    aviso = sitio.url_absoluta(reverse("core:aviso_privacidad"))
    return {
        "autoridad": autoridad,
        "cara": Cara(autoridad, IdentidadPortal.actual()),
        "portal_nombre": settings.PORTAL_NOMBRE,
        "url_portal": sitio.url_absoluta("/"),
        "url_aviso_privacidad": f"{aviso}#autoridad-{autoridad.slug}" if autoridad is not None else aviso,
        "responder_a": responder_a(autoridad),
    }


def correo_construir(*, plantilla: str, contexto: dict, para: list[str], conexion=None,
                     autoridad=None) -> Correo:
    """The message from ``<plantilla>_asunto.txt``, ``<plantilla>.txt`` and ``<plantilla>.html``.
    With `autoridad` (the authority whose call, practice or session it is about) it comes from
    that authority's sender, replies go to its contact address, and both parts carry its name,
    logo, address, contact and privacy notice."""
    imagen = _logo(autoridad)
    contexto = {**contexto, **contexto_marco(autoridad),
                "logo_cid": imagen["Content-ID"].strip("<>") if imagen is not None else ""}
    # A subject is one header line: the template's line breaks (and its final one) are dropped.
    asunto = "".join(_texto(f"{plantilla}_asunto.txt", contexto).splitlines()).strip()
    cuerpo = _texto(f"{plantilla}.txt", contexto).rstrip() + "\n\n" + _texto("core/correos/_firma.txt", contexto)
    html = get_template(f"{plantilla}.html").render({**contexto, "asunto": asunto})
    mensaje = Correo(asunto, cuerpo, remitente(autoridad), list(para), connection=conexion,
                     reply_to=responder_a(autoridad) or None, imagenes=[imagen] if imagen is not None else [])
    mensaje.attach_alternative(html, "text/html")
    return mensaje


def correo_enviar(*, plantilla: str, contexto: dict, para: list[str], conexion=None, autoridad=None) -> int:
    """Build and send now; a failure raises (callers decide whether it undoes their work)."""
    return correo_construir(plantilla=plantilla, contexto=contexto, para=para, conexion=conexion,
                            autoridad=autoridad).send()
