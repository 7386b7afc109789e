"""gunicorn's access log without personal tokens: `--logger-class config.gunicorn_registro.SinTokens`.

The survey link /jornadas/encuesta/<token>/ only trades the token for a session value and redirects
(jornadas.views.encuesta), so the form is sent to one token-free URL; this logger also masks the
token of the link itself, in the request line, the path and the referrer, so no logged line holds a
credential or a name-bearing key (see jornadas.models.Encuesta). The registration's cancellation link
(/jornadas/registro/cancelar/<token>/) is a credential too, masked the same way."""

import re

from gunicorn.glogging import Logger

RUTAS_CON_TOKEN = re.compile(r"(/jornadas/encuesta/(?!responder/|gracias/)|/jornadas/registro/cancelar/)[^/?\s\"]+")
OCULTO = r"\1…"


def ocultar_tokens(texto: str) -> str:
    return RUTAS_CON_TOKEN.sub(OCULTO, texto) if isinstance(texto, str) else texto


class SinTokens(Logger):
    def atoms(self, resp, req, environ, request_time):
        atomos = super().atoms(resp, req, environ, request_time)
        for clave in ("r", "U", "f", "{raw_uri}e", "{path_info}e", "{referer}i", "{http_referer}e"):
            if clave in atomos:
                atomos[clave] = ocultar_tokens(atomos[clave])
        return atomos
