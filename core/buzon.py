"""The demonstration mailbox: under the embedded default (`make run`) e-mails are kept as files
instead of being sent or printed whole on the console, and each demo account reads the ones
addressed to it at /buzon/ (an administrator reads them all).

One .eml file per message in BUZON_DIR (var/buzon/ by default), written whole before it is
renamed into place, so a reader never sees half a message; the console gets one line per message.
The pages exist only while EMAIL_BACKEND is this backend: anywhere else /buzon/ answers 404."""

import base64
import logging
import os
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage as MensajeMIME
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from . import sitio

logger = logging.getLogger(__name__)

BACKEND = "core.buzon.BuzonBackend"


def activo() -> bool:
    return settings.EMAIL_BACKEND == BACKEND


def carpeta() -> Path:
    return Path(settings.BUZON_DIR)


class BuzonBackend(BaseEmailBackend):
    """Django e-mail backend: every message to a file of the demonstration mailbox."""

    def send_messages(self, email_messages):
        destino = carpeta()
        destino.mkdir(parents=True, exist_ok=True)
        enviados = 0
        for mensaje in email_messages:
            if not mensaje.recipients():
                continue
            # Time first in the name: a directory listing is already in the order of arrival.
            nombre = f"{timezone.now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
            temporal = destino / f".{nombre}.tmp"
            temporal.write_bytes(mensaje.message().as_bytes(linesep="\n"))
            os.replace(temporal, destino / f"{nombre}.eml")
            enviados += 1
            logger.info("Correo «%s» para %s (buzón de demostración: %s).", mensaje.subject,
                        ", ".join(mensaje.recipients()), sitio.url_de("core:buzon"))
        return enviados


@dataclass(frozen=True)
class Adjunto:
    nombre: str
    tipo: str
    contenido: bytes


@dataclass(frozen=True)
class Mensaje:
    id: str
    asunto: str
    remitente: str
    para: tuple[str, ...]
    fecha: datetime | None
    texto: str
    adjuntos: tuple[Adjunto, ...]
    html: str = ""
    # Images the HTML part shows by cid: (the authority's logo), by Content-ID: not attachments.
    imagenes: tuple[tuple[str, Adjunto], ...] = ()

    def html_para_mostrar(self) -> str:
        """The HTML part with its cid: images written in as data: URIs (the sandboxed frame that
        shows it loads nothing else) and its links opening outside the frame."""
        html = self.html
        for cid, imagen in self.imagenes:
            if imagen.tipo.startswith("image/") and "svg" not in imagen.tipo:
                datos = base64.b64encode(imagen.contenido).decode("ascii")
                html = html.replace(f"cid:{cid}", f"data:{imagen.tipo};base64,{datos}")
        return re.sub(r"(?i)<head>", '<head><base target="_blank">', html, count=1)


def _en_linea(mime: MensajeMIME) -> dict:
    """Parts with a Content-ID inside a multipart/related: what the HTML shows, not attachments."""
    imagenes = {}
    for relacionado in mime.walk():
        if relacionado.get_content_type() != "multipart/related":
            continue
        for parte in relacionado.iter_parts():
            if parte["Content-ID"] and not parte.is_multipart():
                imagenes[str(parte["Content-ID"]).strip().strip("<>")] = parte
    return imagenes


def _leer(ruta: Path) -> Mensaje:
    mime: MensajeMIME = BytesParser(policy=policy.default).parsebytes(ruta.read_bytes())
    cuerpo = mime.get_body(preferencelist=("plain",))
    html = mime.get_body(preferencelist=("html",))
    en_linea = _en_linea(mime)
    adjuntos = tuple(
        Adjunto(parte.get_filename() or "adjunto", parte.get_content_type(), parte.get_payload(decode=True) or b"")
        for parte in mime.iter_attachments() if not any(parte is p for p in en_linea.values())
    )
    imagenes = tuple(
        (cid, Adjunto(parte.get_filename() or cid, parte.get_content_type(), parte.get_payload(decode=True) or b""))
        for cid, parte in en_linea.items()
    )
    destinatarios = getaddresses([str(v) for campo in ("to", "cc", "bcc") for v in mime.get_all(campo, [])])
    try:
        fecha = parsedate_to_datetime(str(mime["date"])) if mime["date"] else None
    except (TypeError, ValueError):
        fecha = None
    if fecha is not None and fecha.tzinfo is None:  # "-0000": UTC, zone unknown
        fecha = fecha.replace(tzinfo=UTC)
    return Mensaje(
        id=ruta.stem, asunto=str(mime["subject"] or ""), remitente=str(mime["from"] or ""),
        para=tuple(direccion.lower() for _, direccion in destinatarios if direccion), fecha=fecha,
        texto=cuerpo.get_content() if cuerpo is not None else "", adjuntos=adjuntos,
        html=html.get_content() if html is not None else "", imagenes=imagenes,
    )


def es_para(user, mensaje: Mensaje) -> bool:
    """The rule (core.ver_correo): a message is read by the people it was sent to, and by an
    administrator."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (bool(user.email) and user.email.lower() in mensaje.para)


def mensajes_de(user) -> list[Mensaje]:
    """The messages this person may read, newest first."""
    if not activo() or not carpeta().is_dir():
        return []
    rutas = sorted(carpeta().glob("*.eml"), reverse=True)
    return [m for m in (_leer(r) for r in rutas) if user.has_perm("core.ver_correo", m)]


def mensaje(user, id_mensaje: str) -> Mensaje | None:
    """One message if it exists and this person may read it; None otherwise (the view answers 404,
    so whether someone else's message exists cannot be probed)."""
    if not activo() or not id_mensaje.replace("-", "").replace("T", "").isalnum():
        return None
    ruta = carpeta() / f"{id_mensaje}.eml"
    if not ruta.is_file():
        return None
    leido = _leer(ruta)
    return leido if user.has_perm("core.ver_correo", leido) else None
