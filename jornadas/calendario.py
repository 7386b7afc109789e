"""A session as an iCalendar event (RFC 5545), attached to the registration's confirmation so the
person adds it to their calendar in one click. The few properties a calendar needs, written here
(escaping and line folding as the RFC asks) rather than through a dependency."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from core import sitio

from .models import Registro

DURACION_SIN_FIN = timedelta(hours=2)


def _texto(valor: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 §3.3.11)."""
    return (str(valor or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _utc(momento: datetime) -> str:
    return momento.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _plegar(linea: str) -> str:
    """Lines of at most 75 octets, continued with a space (RFC 5545 §3.1), never splitting a character."""
    partes, actual = [], ""
    for caracter in linea:
        if len((actual + caracter).encode()) > (75 if not partes else 74):
            partes.append(actual)
            actual = ""
        actual += caracter
    partes.append(actual)
    return "\r\n ".join(partes)


def evento_ics(registro: Registro, ahora: datetime | None = None) -> str:
    jornada = registro.jornada
    fin = jornada.fin or jornada.inicio + DURACION_SIN_FIN
    lugar = " · ".join(filter(None, [jornada.sede, jornada.enlace_virtual]))
    url = sitio.url_absoluta(jornada.get_absolute_url())
    descripcion = "\n".join(filter(None, [jornada.temas, jornada.enlace_virtual, url]))
    lineas = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Reconoce//Jornadas//ES", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", "BEGIN:VEVENT",
        f"UID:jornada-{jornada.pk}-registro-{registro.pk}@{urlsplit(sitio.base()).hostname}",
        f"DTSTAMP:{_utc(ahora or timezone.now())}",
        f"DTSTART:{_utc(jornada.inicio)}", f"DTEND:{_utc(fin)}",
        f"SUMMARY:{_texto(jornada.titulo)}",
        f"LOCATION:{_texto(lugar)}" if lugar else "",
        f"DESCRIPTION:{_texto(descripcion)}",
        f"URL:{url}",
        f"ORGANIZER;CN={_texto(jornada.autoridad.siglas)}:mailto:{jornada.autoridad.correo_contacto}"
        if jornada.autoridad.correo_contacto else "",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "\r\n".join(_plegar(linea) for linea in lineas if linea) + "\r\n"
