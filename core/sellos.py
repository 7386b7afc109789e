"""The authorities' institutional seals, applied to what they issue after WeasyPrint renders it.

Where the seals live is configuration, never the database: ``FIRMA_SELLOS_DIR`` holds, per authority
(by its slug), ``<slug>.p12`` — or ``<slug>.cer`` with ``<slug>.key`` —, and the secret comes from
the environment: ``SELLO_<SLUG>_CLAVE`` or, as a file, ``SELLO_<SLUG>_CLAVE_FILE`` (a Docker secret).
Only the demonstration writes ``<slug>.clave`` beside its demo seal (cargar_demo). An authority
without a seal issues unsealed documents, as before; a seal that is configured but cannot be opened
fails the render, so staff see the document as failed (with the reason) instead of a silent
unsealed copy.

``FIRMA_RAICES_DIR`` holds the certificates the verification page trusts (``*.cer``, ``*.crt``,
``*.pem``). ``FIRMA_TSA_URL``, when set, adds an RFC 3161 timestamp to every signature.
"""

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from . import firma_digital
from .errors import ErrorDominio

logger = logging.getLogger(__name__)

CAMPO_SELLO = "SelloInstitucional"
_cache: dict[str, tuple[tuple, firma_digital.Firmante]] = {}
_candado = threading.Lock()


@dataclass(frozen=True)
class ArchivosSello:
    pkcs12: Path | None
    cer: Path | None
    key: Path | None

    def huella(self) -> tuple:
        """Changes when a file is replaced: the cached signer is then read again."""
        return tuple((str(p), p.stat().st_mtime_ns) for p in (self.pkcs12, self.cer, self.key) if p)


def directorio() -> Path:
    return Path(settings.FIRMA_SELLOS_DIR)


def _archivos(slug: str) -> ArchivosSello | None:
    base = directorio()
    p12 = base / f"{slug}.p12"
    if p12.is_file():
        return ArchivosSello(pkcs12=p12, cer=None, key=None)
    cer, key = base / f"{slug}.cer", base / f"{slug}.key"
    if cer.is_file() and key.is_file():
        return ArchivosSello(pkcs12=None, cer=cer, key=key)
    return None


def _secreto(slug: str) -> str:
    nombre = f"SELLO_{slug.upper().replace('-', '_')}_CLAVE"
    if os.environ.get(nombre):
        return os.environ[nombre]
    archivo = os.environ.get(f"{nombre}_FILE")
    if archivo:
        return Path(archivo).read_text().strip()
    demo = directorio() / f"{slug}.clave"
    return demo.read_text().strip() if demo.is_file() else ""


def tiene_sello(autoridad) -> bool:
    return autoridad is not None and _archivos(autoridad.slug) is not None


def sello_de(autoridad) -> firma_digital.Firmante | None:
    """The authority's seal, opened once per process and file version; None when it has none."""
    if autoridad is None:
        return None
    archivos = _archivos(autoridad.slug)
    if archivos is None:
        return None
    huella = archivos.huella()
    with _candado:
        guardado = _cache.get(autoridad.slug)
        if guardado and guardado[0] == huella:
            return guardado[1]
    clave = _secreto(autoridad.slug)
    try:
        if archivos.pkcs12:
            firmante = firma_digital.cargar_sello(pkcs12_datos=archivos.pkcs12.read_bytes(), contrasena=clave)
        else:
            firmante = firma_digital.cargar_sello(certificado=archivos.cer.read_bytes(),
                                                  clave_privada=archivos.key.read_bytes(), contrasena=clave)
    except ErrorDominio as exc:
        raise ErrorDominio(_("No se pudo aplicar el sello institucional %(a)s: %(m)s")
                           % {"a": autoridad.siglas, "m": exc.mensaje}) from exc
    with _candado:
        _cache[autoridad.slug] = (huella, firmante)
    return firmante


def con_sellado_de_tiempo() -> bool:
    return bool(settings.FIRMA_TSA_URL)


def sellar(contenido: bytes, autoridad, *, razon: str) -> bytes:
    """The PDF with the authority's seal appended, or as it was when the authority has none."""
    firmante = sello_de(autoridad)
    if firmante is None:
        return contenido
    return firma_digital.firmar_pdf(contenido, firmante, campo=CAMPO_SELLO, razon=razon,
                                    lugar=autoridad.nombre, **opciones_de_firma())


def opciones_de_firma() -> dict:
    """What every signature the portal applies takes from the configuration: the time-stamping service
    and, with it, what the long-term validation data is gathered from (roots, CRLs, and whether the
    certificates' own CRL/OCSP addresses may be asked)."""
    if not settings.FIRMA_TSA_URL:
        return {}
    return {"url_sellado_tiempo": settings.FIRMA_TSA_URL, "raices": raices(), "crls": revocacion(),
            "en_linea": settings.FIRMA_REVOCACION_EN_LINEA}


def raices() -> list[bytes]:
    """The certificates the verification page trusts."""
    base = Path(settings.FIRMA_RAICES_DIR)
    if not base.is_dir():
        return []
    return [p.read_bytes() for p in sorted(base.iterdir()) if p.suffix.lower() in (".cer", ".crt", ".pem")]


def revocacion() -> list[bytes]:
    """The certificate revocation lists the guarantor keeps (DER or PEM), checked when a juror signs, on
    verification and embedded with a timestamped signature."""
    base = Path(settings.FIRMA_REVOCACION_DIR)
    if not base.is_dir():
        return []
    return [p.read_bytes() for p in sorted(base.iterdir()) if p.suffix.lower() in (".crl", ".pem")]


def olvidar() -> None:
    """Drop the opened seals (tests; a process that must read replaced files at once)."""
    with _candado:
        _cache.clear()
