"""Sealed envelopes for survey answers that wait in the pending pool (jornadas.models.EnvioPendiente).

Whoever reads the database must not read a pending answer: it still sits next to its session, and
in a session with one respondent that is a name. The envelope is encrypted and authenticated with a
key that lives in the settings, not in the database.

requirements.lock has no AEAD library, so this is the standard construction over the standard
library: HMAC-SHA256 as a pseudo-random function in counter mode for the keystream (as HKDF-Expand
uses it), encrypt-then-MAC with a second HMAC-SHA256 key, a random 128-bit nonce per envelope, the
plaintext padded to a multiple of 256 bytes so its length says little. Keys are derived from
JORNADAS_ENCUESTA_CLAVE (or SECRET_KEY); envelopes sealed under SECRET_KEY_FALLBACKS still open.
Replace with cryptography's AESGCM if that library is ever added."""

import base64
import hashlib
import hmac
import json
import secrets

from django.conf import settings

VERSION = b"s1"
BLOQUE = 256
_NONCE = 16
_ETIQUETA = 32


class SobreInvalido(Exception):
    """The envelope was not sealed by any of the configured keys, or was altered."""


def _claves():
    propia = getattr(settings, "JORNADAS_ENCUESTA_CLAVE", "")
    if propia:
        return [propia]
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _derivar(clave: str, uso: bytes) -> bytes:
    return hmac.new(clave.encode(), b"reconoce.jornadas.sobres." + uso, hashlib.sha256).digest()


def _flujo(clave_cifrado: bytes, nonce: bytes, largo: int) -> bytes:
    bloques = (hmac.new(clave_cifrado, nonce + i.to_bytes(8, "big"), hashlib.sha256).digest()
               for i in range((largo + 31) // 32))
    return b"".join(bloques)[:largo]


def _xor(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(len(a), "big")


def sellar(datos) -> str:
    """JSON-serialisable data -> envelope text."""
    claro = json.dumps(datos, ensure_ascii=False, separators=(",", ":")).encode()
    relleno = BLOQUE - (len(claro) + 4) % BLOQUE
    claro = len(claro).to_bytes(4, "big") + claro + b"\0" * relleno
    clave = _claves()[0]
    nonce = secrets.token_bytes(_NONCE)
    cifrado = _xor(claro, _flujo(_derivar(clave, b"cifrado"), nonce, len(claro)))
    etiqueta = hmac.new(_derivar(clave, b"autenticacion"), VERSION + nonce + cifrado, hashlib.sha256).digest()
    return (VERSION + b":" + base64.urlsafe_b64encode(nonce + cifrado + etiqueta)).decode()


def abrir(sobre: str):
    """Envelope text -> the data sealed in it; SobreInvalido if no key opens it."""
    try:
        version, cuerpo = sobre.encode().split(b":", 1)
        crudo = base64.urlsafe_b64decode(cuerpo)
    except (ValueError, TypeError) as exc:
        raise SobreInvalido from exc
    if version != VERSION or len(crudo) < _NONCE + _ETIQUETA:
        raise SobreInvalido
    nonce, cifrado, etiqueta = crudo[:_NONCE], crudo[_NONCE:-_ETIQUETA], crudo[-_ETIQUETA:]
    for clave in _claves():
        esperada = hmac.new(_derivar(clave, b"autenticacion"), VERSION + nonce + cifrado, hashlib.sha256).digest()
        if hmac.compare_digest(esperada, etiqueta):
            claro = _xor(cifrado, _flujo(_derivar(clave, b"cifrado"), nonce, len(cifrado)))
            largo = int.from_bytes(claro[:4], "big")
            return json.loads(claro[4:4 + largo])
    raise SobreInvalido
