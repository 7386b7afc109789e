"""Demonstration certificates for `cargar_demo`: a demo certification authority, marked as such in
every name, one e.firma per demo juror, and one institutional seal per demo authority (core.sellos reads them from
FIRMA_SELLOS_DIR; the demo CA goes to FIRMA_RAICES_DIR so the verification page of *this* demo
trusts it). Never trusted outside the demonstration: no operating system or PDF reader knows this CA,
and a real portal configures its own seals and roots (README, «Firma electrónica»).

Files already written are kept, so the seals stay the same from one `make run` to the next."""

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from . import firma_digital, sellos
from .firma_digital import OID_RFC

# The demonstration's one password: its accounts' and its e.firma keys' (printed by cargar_demo).
CONTRASENA = "Reconoce-2026!"  # noqa: S105
NOMBRE_AC = "AC de DEMOSTRACIÓN de Reconoce (no confiable)"
AVISO = "DEMOSTRACIÓN - sin validez"


def _clave():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _uso(*, ca: bool):
    return x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def _ac(directorio: Path):
    """The demo CA: read back when written before, made once otherwise (its key stays beside the
    seals, readable only by the portal's user)."""
    cer, key = directorio / "ac-demo.cer", directorio / "ac-demo.key"
    if cer.is_file() and key.is_file():
        return x509.load_der_x509_certificate(cer.read_bytes()), serialization.load_der_private_key(
            key.read_bytes(), password=None)
    clave = _clave()
    ahora = datetime.now(UTC)
    nombre = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NOMBRE_AC),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, AVISO),
                        x509.NameAttribute(NameOID.COUNTRY_NAME, "MX")])
    cert = (x509.CertificateBuilder().subject_name(nombre).issuer_name(nombre).public_key(clave.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(ahora - timedelta(days=1))
            .not_valid_after(ahora + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_uso(ca=True), critical=True).sign(clave, hashes.SHA256()))
    key.write_bytes(clave.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()))
    key.chmod(0o600)
    cer.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    return cert, clave


def preparar(autoridades) -> list[str]:
    """Seals for the given authorities (those without one); returns the slugs sealed now."""
    directorio = Path(settings.FIRMA_SELLOS_DIR)
    raices = Path(settings.FIRMA_RAICES_DIR)
    directorio.mkdir(parents=True, exist_ok=True)
    raices.mkdir(parents=True, exist_ok=True)
    ac_cert, ac_clave = _ac(directorio)
    raiz = raices / "ac-demo.cer"
    if not raiz.is_file():
        raiz.write_bytes(ac_cert.public_bytes(serialization.Encoding.DER))
    hechos = []
    for autoridad in autoridades:
        if sellos.tiene_sello(autoridad):
            continue
        clave = _clave()
        ahora = datetime.now(UTC)
        sujeto = x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, f"Sello de {autoridad.siglas} ({AVISO})"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, autoridad.nombre[:64]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, AVISO),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX")])
        cert = (x509.CertificateBuilder().subject_name(sujeto).issuer_name(ac_cert.subject)
                .public_key(clave.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(ahora - timedelta(days=1)).not_valid_after(ahora + timedelta(days=730))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(_uso(ca=False), critical=True).sign(ac_clave, hashes.SHA256()))
        secreto = secrets.token_urlsafe(18)
        p12 = directorio / f"{autoridad.slug}.p12"
        p12.write_bytes(pkcs12.serialize_key_and_certificates(
            autoridad.slug.encode(), clave, cert, [ac_cert], serialization.BestAvailableEncryption(secreto.encode())))
        p12.chmod(0o600)
        archivo_clave = directorio / f"{autoridad.slug}.clave"  # the demo only: a real portal uses the environment
        archivo_clave.write_text(secreto + "\n")
        archivo_clave.chmod(0o600)
        hechos.append(autoridad.slug)
    sellos.olvidar()
    return hechos


def _emitido_por(der: bytes, ac_cert: x509.Certificate) -> bool:
    try:
        x509.load_der_x509_certificate(der).verify_directly_issued_by(ac_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def preparar_efirmas(usuarios, *, contrasena: str) -> Path:
    """A demo e.firma per juror account, in the SAT's shape (``<correo>.cer`` in DER, ``<correo>.key``
    as PKCS#8 DER encrypted with the demo password), in the person's name, issued by the demo CA, in
    DEMO_EFIRMA_DIR; kept when written before. Returns that folder."""
    destino = Path(settings.DEMO_EFIRMA_DIR)
    destino.mkdir(parents=True, exist_ok=True)
    ac_cert, ac_clave = _ac(Path(settings.FIRMA_SELLOS_DIR))
    for i, usuario in enumerate(usuarios, start=1):
        cer, key = destino / f"{usuario.email}.cer", destino / f"{usuario.email}.key"
        if cer.is_file() and key.is_file() and _emitido_por(cer.read_bytes(), ac_cert):
            continue  # kept: issued by today's demo CA (a CA made anew, e.g. var/sellos removed, issues anew)
        clave = _clave()
        ahora = datetime.now(UTC)
        nombre = usuario.get_full_name().strip()
        sujeto = x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, nombre[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, AVISO),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
            # Made-up RFC and CURP in the SAT's places (XEXX010101000 is the SAT's generic foreign RFC).
            x509.NameAttribute(OID_RFC, "XEXX010101000"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, f"DEMO{i:02d}0101HNLXXX0{i % 10}")])
        cert = (x509.CertificateBuilder().subject_name(sujeto).issuer_name(ac_cert.subject)
                .public_key(clave.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(ahora - timedelta(days=1)).not_valid_after(ahora + timedelta(days=4 * 365))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(_uso(ca=False), critical=True).sign(ac_clave, hashes.SHA256()))
        cer.write_bytes(cert.public_bytes(serialization.Encoding.DER))
        key.write_bytes(clave.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                            serialization.BestAvailableEncryption(contrasena.encode())))
        key.chmod(0o600)
    return destino


def efirma(usuario, *, contrasena: str) -> firma_digital.Firmante:
    """The juror's demo e.firma (made by preparar_efirmas), opened and checked as the signing form
    checks a real one: passphrase, pair, validity and the account's name."""
    destino = Path(settings.DEMO_EFIRMA_DIR)
    return firma_digital.cargar_efirma(
        certificado=(destino / f"{usuario.email}.cer").read_bytes(),
        clave_privada=(destino / f"{usuario.email}.key").read_bytes(), contrasena=contrasena,
        nombre_esperado=usuario.get_full_name())
