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


def _parametro(valor: str) -> str:
    """A parameter value (RFC 5545 §3.2): quoted, since a name may hold «,», «;» or «:»; a quote
    cannot be escaped inside one, and control characters are not allowed, so both are dropped."""
    limpio = "".join(c for c in str(valor or "") if c != '"' and (c == "\t" or ord(c) >= 0x20))
    return f'"{limpio}"'


def uid(registro: Registro) -> str:
    """One event per registration: the confirmation's and the cancellation's share it."""
    return f"jornada-{registro.jornada_id}-registro-{registro.pk}@{urlsplit(sitio.base()).hostname}"


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


def evento_ics(registro: Registro, ahora: datetime | None = None, *, cancelado: bool = False) -> str:
    """The registration's event. `cancelado`: the same event (same UID) withdrawn, METHOD:CANCEL
    with a higher SEQUENCE, so a calendar that added it removes it (RFC 5546 §3.2.5)."""
    jornada = registro.jornada
    fin = jornada.fin or jornada.inicio + DURACION_SIN_FIN
    lugar = " · ".join(filter(None, [jornada.sede, jornada.enlace_virtual]))
    url = sitio.url_absoluta(jornada.get_absolute_url())
    descripcion = "\n".join(filter(None, [jornada.temas, jornada.enlace_virtual, url]))
    lineas = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Reconoce//Jornadas//ES", "CALSCALE:GREGORIAN",
        "METHOD:CANCEL" if cancelado else "METHOD:PUBLISH", "BEGIN:VEVENT",
        f"UID:{uid(registro)}",
        f"SEQUENCE:{1 if cancelado else 0}",
        "STATUS:CANCELLED" if cancelado else "STATUS:CONFIRMED",
        f"DTSTAMP:{_utc(ahora or timezone.now())}",
        f"DTSTART:{_utc(jornada.inicio)}", f"DTEND:{_utc(fin)}",
        f"SUMMARY:{_texto(jornada.titulo)}",
        f"LOCATION:{_texto(lugar)}" if lugar else "",
        f"DESCRIPTION:{_texto(descripcion)}",
        f"URL:{url}",
        f"ORGANIZER;CN={_parametro(jornada.autoridad.siglas)}:mailto:{jornada.autoridad.correo_contacto}"
        if jornada.autoridad.correo_contacto else "",
        f"ATTENDEE;CN={_parametro(registro.participante.nombre)}:mailto:{registro.participante.correo}"
        if cancelado else "",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "\r\n".join(_plegar(linea) for linea in lineas if linea) + "\r\n"
