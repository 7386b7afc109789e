"""Advanced electronic signatures on the portal's PDFs (PAdES, with pyHanko).

The pieces, used by the apps and never holding a key longer than the call that uses it:

- ``cargar_efirma``: a person's e.firma as the SAT issues it (the certificate ``.cer`` in DER, the
  private key ``.key`` in encrypted PKCS#8 DER, and its passphrase), checked before anything is
  signed: the passphrase opens the key, the key is the certificate's, the certificate is valid now and,
  when asked, is the named person's. Refusals are ``FirmaRechazada`` with a Spanish message naming the
  form field at fault.
- ``cargar_sello``: an institution's seal from a PKCS#12 file (or a ``.cer``/``.key`` pair) whose
  path and secret come from the configuration, never from the database.
- ``firmar_pdf``: one incremental PAdES signature over the bytes given (earlier signatures stay
  valid); when a time-stamping URL is configured, with an RFC 3161 timestamp and the long-term
  validation data (PAdES B-LT: chains and CRLs in the document security store).
- ``verificar_pdf``: every signature in a PDF, validated: intact or altered, who, when, with which
  certificate, whether it chains to a configured root, whether revocation data (configured CRLs, or
  the file's own) says it was revoked, and whether the file was changed after it.
- ``listas_de_revocacion`` and ``revocado_segun``: a certificate checked against configured CRLs of its issuer.
"""

import asyncio
import functools
import io
import logging
import re
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.utils.translation import gettext as _

from .errors import ErrorDominio
from .templatetags.reconoce import fecha_hora

logger = logging.getLogger(__name__)

# What SAT certificates carry besides the common name: the RFC in x500UniqueIdentifier and the CURP
# in serialNumber (each may read "RFC / RFC del representante" in a company's certificate).
OID_RFC = x509.ObjectIdentifier("2.5.4.45")
# Room for a signature without a timestamp, beyond the certificates it carries (CMS structure, signed
# attributes, the signature value): given, so pyHanko need not build the whole signature twice to
# measure it. With a timestamp, room for the service's token too (its own signature and certificates:
# a few KiB with a chain of three): measuring it would ask the service for a token twice per signature.
HOLGURA_FIRMA = 4096
HOLGURA_SELLO_TIEMPO = 12 * 1024


# The SAT writes the RFC in x500UniqueIdentifier as a PrintableString, where X.520 says BIT STRING;
# asn1crypto (which pyHanko uses) then fails on any e.firma's subject (asn1crypto issue #228, open).
# Read that attribute as the directory string it is in these certificates.
asn1_x509.NameTypeAndValue._oid_specs["unique_identifier"] = asn1_x509.DirectoryString


class FirmaRechazada(ErrorDominio):
    """The e.firma or the seal cannot sign: wrong passphrase, a pair that does not match, a certificate
    out of its validity or of another person. ``campo`` names the form field to point at."""


@dataclass(frozen=True)
class DatosCertificado:
    """What is recorded with a signature and shown on verification: never the key."""

    nombre: str
    rfc: str
    curp: str
    serie: str
    emisor: str
    valido_desde: datetime
    valido_hasta: datetime

    def como_dict(self) -> dict:
        return {"nombre": self.nombre, "rfc": self.rfc, "curp": self.curp, "serie": self.serie,
                "emisor": self.emisor, "valido_desde": self.valido_desde.isoformat(),
                "valido_hasta": self.valido_hasta.isoformat()}


@dataclass
class Firmante:
    """A signer ready for firmar_pdf: pyHanko's signer and what its certificate says."""

    signer: object
    certificado: DatosCertificado
    reserva: int = 0  # bytes for its signature in the PDF (its certificates plus HOLGURA_FIRMA)


def _atributo(nombre: x509.Name, oid) -> str:
    valores = nombre.get_attributes_for_oid(oid)
    return str(valores[0].value).strip() if valores else ""


def _primera_parte(valor: str) -> str:
    # A company's certificate reads "RFC de la persona moral / RFC del representante".
    return valor.split("/")[0].strip()


def datos_certificado(cert: x509.Certificate) -> DatosCertificado:
    sujeto = cert.subject
    return DatosCertificado(
        nombre=_atributo(sujeto, NameOID.COMMON_NAME) or _atributo(sujeto, NameOID.ORGANIZATION_NAME),
        rfc=_primera_parte(_atributo(sujeto, OID_RFC)),
        curp=_primera_parte(_atributo(sujeto, NameOID.SERIAL_NUMBER)),
        serie=format(cert.serial_number, "x"),
        emisor=_atributo(cert.issuer, NameOID.COMMON_NAME) or cert.issuer.rfc4514_string(),
        valido_desde=cert.not_valid_before_utc,
        valido_hasta=cert.not_valid_after_utc,
    )


def normalizar_nombre(texto: str) -> str:
    """Names compared as people read them: without accents, case or repeated spaces."""
    sin_acentos = unicodedata.normalize("NFKD", texto).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", sin_acentos).strip().upper()


def _leer_certificado(datos: bytes) -> x509.Certificate:
    for cargar in (x509.load_der_x509_certificate, x509.load_pem_x509_certificate):
        try:
            return cargar(datos)
        except ValueError:
            continue
    raise FirmaRechazada(_("El archivo .cer no es un certificado válido (se espera el certificado de la "
                           "e.firma en formato DER, como lo entrega el SAT)."), campo="certificado")


def _leer_clave(datos: bytes, clave: str):
    secreto = clave.encode() if clave else None
    cargar = (serialization.load_pem_private_key if datos.lstrip().startswith(b"-----")
              else serialization.load_der_private_key)
    try:
        return cargar(datos, password=secreto)
    except TypeError as exc:  # an encrypted key without a passphrase (or a passphrase for a plain one)
        raise FirmaRechazada(_("Escriba la contraseña de la clave privada.") if not clave else
                             _("La contraseña de la clave privada no es correcta."), campo="contrasena") from exc
    except ValueError as exc:
        if "password" in str(exc).lower() or "decrypt" in str(exc).lower():
            raise FirmaRechazada(_("La contraseña de la clave privada no es correcta."),
                                 campo="contrasena") from exc
        raise FirmaRechazada(_("El archivo .key no es una clave privada válida (se espera la clave privada de "
                               "la e.firma, cifrada, en formato DER)."), campo="clave_privada") from exc


def _corresponden(cert: x509.Certificate, clave) -> bool:
    publica = cert.public_key().public_bytes(serialization.Encoding.DER,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
    return publica == clave.public_key().public_bytes(serialization.Encoding.DER,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo)


def _verificar_vigencia(cert: x509.Certificate, ahora: datetime, quien: str):
    if ahora < cert.not_valid_before_utc:
        raise FirmaRechazada(_("El certificado %(q)s aún no es válido: lo será desde el %(f)s.")
                             % {"q": quien, "f": fecha_hora(cert.not_valid_before_utc)}, campo="certificado")
    if ahora > cert.not_valid_after_utc:
        raise FirmaRechazada(_("El certificado %(q)s venció el %(f)s: renueve la e.firma ante el SAT.")
                             % {"q": quien, "f": fecha_hora(cert.not_valid_after_utc)}, campo="certificado")


def _clase_firmante():
    """pyHanko's in-memory signer, keeping the key object it was given: pyHanko's own parses the
    PKCS#8 bytes again for every signature, and twice per PDF (once to size the signature), which
    costs ~40 ms each with a 2,048-bit RSA key — most of a constancia's seal. The sizing pass gets
    placeholder bytes of the real length, as no signature is needed to measure one."""
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class FirmanteEnMemoria(signers.SimpleSigner):
        def __init__(self, *, clave_privada, **kwargs):
            super().__init__(**kwargs)
            self._clave = clave_privada

        def _rsa_pkcs1(self, digest_algorithm) -> bool:
            mecanismo = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algoritmo = mecanismo.signature_algo
            except ValueError:
                algoritmo = mecanismo["algorithm"].native
            return algoritmo == "rsassa_pkcs1v15" and isinstance(self._clave, RSAPrivateKey)

        async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
            if dry_run and self._rsa_pkcs1(digest_algorithm):
                return bytes(self._clave.key_size // 8)
            return self.sign_raw(data, digest_algorithm)

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            if self._rsa_pkcs1(digest_algorithm):
                return self._clave.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            return super().sign_raw(data, digest_algorithm)

    return FirmanteEnMemoria


def _firmante(cert: x509.Certificate, clave, cadena=()) -> Firmante:
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert_asn1 = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    clave_asn1 = asn1_keys.PrivateKeyInfo.load(clave.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    otros = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in cadena]
    signer = _clase_firmante()(signing_cert=cert_asn1, signing_key=clave_asn1, clave_privada=clave,
                               cert_registry=SimpleCertificateStore.from_certs([cert_asn1, *otros]))
    # In the PDF the signature is written in hexadecimal: two characters per byte.
    reserva = 2 * (HOLGURA_FIRMA + sum(len(c.dump()) for c in (cert_asn1, *otros)))
    return Firmante(signer=signer, certificado=datos_certificado(cert), reserva=reserva)


def leer_crl(datos: bytes) -> x509.CertificateRevocationList | None:
    for cargar in (x509.load_der_x509_crl, x509.load_pem_x509_crl):
        try:
            return cargar(datos)
        except ValueError:
            continue
    return None


def listas_de_revocacion(crls: Sequence[bytes], raices: Sequence[bytes] = ()) -> list[x509.CertificateRevocationList]:
    """The configured CRLs that can be relied on, read once: each must parse and, when its issuer is among
    the roots, carry that issuer's signature (one that does not is ignored, with a warning)."""
    emisores = {}
    for datos in raices:
        try:
            raiz = _leer_certificado(datos)
        except FirmaRechazada:
            continue
        emisores[raiz.subject.public_bytes()] = raiz
    listas = []
    for datos in crls:
        crl = leer_crl(datos)
        if crl is None:
            logger.warning("Una lista de revocación configurada no es una CRL; se omite.")
            continue
        emisor = emisores.get(crl.issuer.public_bytes())
        if emisor is not None and not crl.is_signature_valid(emisor.public_key()):
            logger.warning("La CRL de %s no está firmada por su emisor configurado; se omite.",
                           crl.issuer.rfc4514_string())
            continue
        listas.append(crl)
    return listas


def revocado_segun(cert: x509.Certificate, listas: Sequence[x509.CertificateRevocationList]) -> datetime | None:
    """When one of these CRLs (read by listas_de_revocacion) says the certificate was revoked; None if none does.
    A CRL counts for the certificates of its issuer."""
    for crl in listas:
        if crl.issuer != cert.issuer:
            continue
        revocado = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        if revocado is not None:
            return revocado.revocation_date_utc
    return None


def cargar_efirma(*, certificado: bytes, clave_privada: bytes, contrasena: str, ahora: datetime | None = None,
                  nombre_esperado: str | None = None, revocados: frozenset[int] = frozenset(),
                  crls: Sequence[bytes] = (), raices: Sequence[bytes] = ()) -> Firmante:
    """A person's e.firma, checked: the passphrase, the pair, the validity now, the name (when
    ``nombre_esperado`` is given) and, when revocation data is configured (serials, or CRLs of its
    issuer), that it is not revoked."""
    ahora = ahora or datetime.now(UTC)
    cert = _leer_certificado(certificado)
    clave = _leer_clave(clave_privada, contrasena)
    if not _corresponden(cert, clave):
        raise FirmaRechazada(_("El certificado y la clave privada no corresponden: elija el .key de este mismo "
                               "certificado."), campo="clave_privada")
    _verificar_vigencia(cert, ahora, _("de la e.firma"))
    datos = datos_certificado(cert)
    if cert.serial_number in revocados:
        raise FirmaRechazada(_("El certificado de la e.firma está revocado: no puede firmar con él."),
                             campo="certificado")
    cuando = revocado_segun(cert, listas_de_revocacion(crls, raices))
    if cuando is not None:
        raise FirmaRechazada(_("El certificado de la e.firma fue revocado el %(f)s según la lista de revocación "
                               "de %(e)s: no puede firmar con él.") % {"f": fecha_hora(cuando), "e": datos.emisor},
                             campo="certificado")
    if nombre_esperado is not None and normalizar_nombre(datos.nombre) != normalizar_nombre(nombre_esperado):
        raise FirmaRechazada(_("El certificado es de «%(c)s», no de «%(n)s»: cada quien firma con su propia "
                               "e.firma.") % {"c": datos.nombre, "n": nombre_esperado}, campo="certificado")
    return _firmante(cert, clave)


def cargar_sello(*, pkcs12_datos: bytes | None = None, certificado: bytes | None = None,
                 clave_privada: bytes | None = None, contrasena: str = "",
                 ahora: datetime | None = None) -> Firmante:
    """An institution's seal: a PKCS#12 archive, or a .cer/.key pair, with its secret."""
    ahora = ahora or datetime.now(UTC)
    if pkcs12_datos is not None:
        try:
            clave, cert, cadena = pkcs12.load_key_and_certificates(pkcs12_datos, contrasena.encode() or None)
        except ValueError as exc:
            raise FirmaRechazada(_("No se pudo abrir el sello institucional (PKCS#12): revise el archivo y su "
                                   "contraseña."), campo="sello") from exc
        if cert is None or clave is None:
            raise FirmaRechazada(_("El archivo PKCS#12 del sello no trae certificado y clave."), campo="sello")
    else:
        cert, cadena = _leer_certificado(certificado or b""), []
        clave = _leer_clave(clave_privada or b"", contrasena)
        if not _corresponden(cert, clave):
            raise FirmaRechazada(_("El certificado y la clave del sello institucional no corresponden."),
                                 campo="sello")
    _verificar_vigencia(cert, ahora, _("del sello institucional"))
    return _firmante(cert, clave, cadena or ())


def fuera_de_bucle(funcion):
    """pyHanko's synchronous API runs its own asyncio loop: called where one is already running (an
    async context), it runs in a thread of its own instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return funcion()
    with ThreadPoolExecutor(max_workers=1) as ejecutor:
        return ejecutor.submit(funcion).result()


def firmar_pdf(pdf: bytes, firmante: Firmante, **kwargs) -> bytes:
    """Append one PAdES signature (an incremental update: what was signed before stays intact)."""
    return fuera_de_bucle(lambda: _firmar_pdf(pdf, firmante, **kwargs))


def _argumentos_validacion(*, raices: Sequence[bytes], listas: Sequence[x509.CertificateRevocationList],
                           en_linea: bool) -> dict:
    from asn1crypto import crl as asn1_crl

    return {"trust_roots": _raices_asn1(list(raices)), "allow_fetching": en_linea,
            "crls": [asn1_crl.CertificateList.load(c.public_bytes(serialization.Encoding.DER)) for c in listas]}


def _contexto_validacion(*, raices: Sequence[bytes], crls: Sequence[bytes], en_linea: bool):
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(**_argumentos_validacion(raices=raices, listas=listas_de_revocacion(crls, raices),
                                                      en_linea=en_linea))


@functools.lru_cache(maxsize=4)
def sellador_de_tiempo(url: str):
    """One client per time-stamping service and process: it asks the service once for a sample token (the
    service's certificates, for the long-term validation data) and reuses it, so each signature costs the
    service one request."""
    from pyhanko.sign import timestamps

    return timestamps.HTTPTimeStamper(url)


def _reserva(firmante: Firmante, *, con_sello_de_tiempo: bool) -> int | None:
    if not firmante.reserva:
        return None  # pyHanko measures
    # In the PDF the signature is written in hexadecimal: two characters per byte.
    return firmante.reserva + (2 * HOLGURA_SELLO_TIEMPO if con_sello_de_tiempo else 0)


def _firmar_pdf(pdf: bytes, firmante: Firmante, *, campo: str, razon: str = "", lugar: str = "",
                url_sellado_tiempo: str = "", raices: Sequence[bytes] = (), crls: Sequence[bytes] = (),
                en_linea: bool = False) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.sign.general import SigningError

    escritor = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    sellador = sellador_de_tiempo(url_sellado_tiempo) if url_sellado_tiempo else None
    largo_plazo = {}
    if sellador is not None:
        # PAdES B-LT: with a trusted time, the file also carries what validates the signer's and the time
        # stamp's certificates later (their chains and revocation data, in the document security store),
        # so the signature can be checked after those certificates expire or the portal is gone.
        largo_plazo = {"embed_validation_info": True,
                       "validation_context": _contexto_validacion(raices=raices, crls=crls, en_linea=en_linea)}
    meta = signers.PdfSignatureMetadata(field_name=campo, reason=razon or None, location=lugar or None,
                                        md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
                                        **largo_plazo)
    try:
        salida = signers.sign_pdf(escritor, meta, signer=firmante.signer, timestamper=sellador,
                                  new_field_spec=fields.SigFieldSpec(sig_field_name=campo),
                                  bytes_reserved=_reserva(firmante, con_sello_de_tiempo=sellador is not None))
    except timestamps.TimestampRequestError as exc:
        raise FirmaRechazada(_("El servicio de sellado de tiempo no respondió; no se firmó nada. Intente de nuevo "
                               "en unos minutos."), campo="sello_de_tiempo") from exc
    except SigningError as exc:
        logger.warning("No se reunieron los datos de validación de la firma %s: %s", campo, exc)
        raise FirmaRechazada(_("No se pudieron reunir los datos de validación a largo plazo del certificado "
                               "«%(c)s»: su cadena no llega a una raíz de confianza configurada o no hay datos de "
                               "revocación. No se firmó nada; avise al personal del portal.")
                             % {"c": firmante.certificado.nombre}, campo="certificado") from exc
    return salida.getvalue()


# --- verification ------------------------------------------------------------------------------


@dataclass
class FirmaVerificada:
    campo: str
    certificado: DatosCertificado | None
    firmada_en: datetime | None
    sello_de_tiempo: bool
    intacta: bool  # the bytes it covers are the ones signed
    valida: bool  # the cryptographic signature checks
    confiable: bool  # its certificate chains to a configured root
    modificada_despues: bool  # the file changed (beyond what a later signature adds) after it
    razon: str = ""
    revocada: bool = False  # revocation data (configured, or carried in the file) says its certificate is revoked

    @property
    def correcta(self) -> bool:
        return self.intacta and self.valida and not self.modificada_despues


@dataclass
class ResultadoVerificacion:
    legible: bool
    firmas: list[FirmaVerificada]
    largo_plazo: bool = False  # the file carries validation data of its own (a document security store)

    @property
    def intacto(self) -> bool:
        return self.legible and bool(self.firmas) and all(f.correcta for f in self.firmas)


def _raices_asn1(raices: list[bytes]):
    salida = []
    for datos in raices:
        try:
            cert = _leer_certificado(datos)
        except FirmaRechazada:
            logger.warning("Una raíz de confianza configurada no es un certificado; se omite.")
            continue
        salida.append(asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)))
    return salida


def verificar_pdf(pdf: bytes, *, raices: Sequence[bytes] = (), crls: Sequence[bytes] = ()) -> ResultadoVerificacion:
    """Every signature of the file, validated offline against the given roots, with the given CRLs and the
    validation data the file carries."""
    return fuera_de_bucle(lambda: _verificar_pdf(pdf, raices=raices, crls=crls))


def _verificar_pdf(pdf: bytes, *, raices: Sequence[bytes] = (), crls: Sequence[bytes] = ()) -> ResultadoVerificacion:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        lector = PdfFileReader(io.BytesIO(pdf), strict=False)
        firmas = list(lector.embedded_signatures)
    except Exception:  # noqa: BLE001 - any unreadable file reads as "not a PDF we can check"
        return ResultadoVerificacion(legible=False, firmas=[])
    listas = listas_de_revocacion(crls, raices)
    argumentos = _argumentos_validacion(raices=raices, listas=listas, en_linea=False)
    contexto, largo_plazo = None, False
    try:
        dss = DocumentSecurityStore.read_dss(lector)
    except NoDSSFoundError:
        pass
    except Exception:  # noqa: BLE001 - a damaged store: validate as if it were not there
        logger.info("Almacén de validación ilegible", exc_info=True)
    else:
        # What the file carries (chains, CRLs, OCSP responses) joins what the portal is configured with.
        largo_plazo = True
        contexto = dss.as_validation_context(argumentos)
    if contexto is None:
        contexto = ValidationContext(**argumentos)
    resultado = []
    for firma in firmas:
        try:
            estado = validate_pdf_signature(firma, contexto)
        except Exception:  # noqa: BLE001 - a signature that cannot even be parsed is a broken one
            logger.info("Firma %s ilegible", firma.field_name, exc_info=True)
            resultado.append(FirmaVerificada(campo=firma.field_name, certificado=None, firmada_en=None,
                                             sello_de_tiempo=False, intacta=False, valida=False,
                                             confiable=False, modificada_despues=True))
            continue
        cert = x509.load_der_x509_certificate(estado.signing_cert.dump())
        cubre = estado.coverage
        nivel = estado.modification_level.name if estado.modification_level is not None else "NONE"
        modificada = cubre not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION) or (
            cubre == SignatureCoverageLevel.ENTIRE_REVISION and nivel not in ("NONE", "LTA_UPDATES", "FORM_FILLING"))
        ts = getattr(estado, "timestamp_validity", None)
        resultado.append(FirmaVerificada(
            campo=firma.field_name, certificado=datos_certificado(cert),
            firmada_en=(ts.timestamp if ts else estado.signer_reported_dt), sello_de_tiempo=ts is not None,
            intacta=bool(estado.intact), valida=bool(estado.valid), confiable=bool(estado.trusted),
            modificada_despues=bool(modificada), razon=str(firma.sig_object.get("/Reason", "") or ""),
            revocada=bool(estado.revoked) or revocado_segun(cert, listas) is not None))
    return ResultadoVerificacion(legible=True, firmas=resultado, largo_plazo=largo_plazo)
