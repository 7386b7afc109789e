"""Sealed envelopes for survey answers that wait in the pending pool (jornadas.models.EnvioPendiente).

Whoever reads the database must not read a pending answer: it still sits next to its session, and
in a session with one respondent that is a name. The envelope is AES-256-GCM (cryptography's AEAD,
encryption and authentication in one) under a key derived with HKDF-SHA256 from
JORNADAS_ENCUESTA_CLAVE, or from SECRET_KEY with SECRET_KEY_FALLBACKS still opening what older keys
sealed. A random 96-bit nonce per envelope; the plaintext is padded to a multiple of 256 bytes so
its length says little about the comment."""

import base64
import json
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

VERSION = b"s2"
BLOQUE = 256
_NONCE = 12
_CONTEXTO = b"reconoce.jornadas.sobres"


class SobreInvalido(Exception):
    """The envelope was not sealed by any of the configured keys, or was altered."""


def _claves() -> list[str]:
    propia = getattr(settings, "JORNADAS_ENCUESTA_CLAVE", "")
    if propia:
        return [propia]
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _aead(clave: str) -> AESGCM:
    material = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_CONTEXTO).derive(clave.encode())
    return AESGCM(material)


def sellar(datos) -> str:
    """JSON-serialisable data -> envelope text."""
    claro = json.dumps(datos, ensure_ascii=False, separators=(",", ":")).encode()
    relleno = BLOQUE - (len(claro) + 4) % BLOQUE
    claro = len(claro).to_bytes(4, "big") + claro + b"\0" * relleno
    nonce = secrets.token_bytes(_NONCE)
    cifrado = _aead(_claves()[0]).encrypt(nonce, claro, VERSION)
    return (VERSION + b":" + base64.urlsafe_b64encode(nonce + cifrado)).decode()


def abrir(sobre: str):
    """Envelope text -> the data sealed in it; SobreInvalido if no key opens it."""
    try:
        version, cuerpo = sobre.encode().split(b":", 1)
        crudo = base64.urlsafe_b64decode(cuerpo)
    except (ValueError, TypeError) as exc:
        raise SobreInvalido from exc
    if version != VERSION or len(crudo) < _NONCE + 16:
        raise SobreInvalido
    nonce, cifrado = crudo[:_NONCE], crudo[_NONCE:]
    for clave in _claves():
        try:
            claro = _aead(clave).decrypt(nonce, cifrado, VERSION)
        except InvalidTag:
            continue
        largo = int.from_bytes(claro[:4], "big")
        return json.loads(claro[4:4 + largo])
    raise SobreInvalido
