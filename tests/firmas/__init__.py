"""Certificates for the tests, made with `cryptography`: a test CA, e.firma pairs in the SAT's shape
(the certificate `.cer` in DER, the private key `.key` as encrypted PKCS#8 DER) and an institution's
seal as PKCS#12. Small RSA keys: these only ever sign test files."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from core.firma_digital import OID_RFC

CONTRASENA = "Clave-De-Prueba-2026"
# Where the certificates say their CA publishes its CRL (as real ones do): nothing answers there, so
# revocation data comes only from what a test configures or what a file carries.
_DISTRIBUCION_CRL = x509.CRLDistributionPoints([x509.DistributionPoint(
    full_name=[x509.UniformResourceIdentifier("http://127.0.0.1:9/ac-pruebas.crl")], relative_name=None,
    reasons=None, crl_issuer=None)])


@dataclass
class ParEfirma:
    cer: bytes  # DER
    key: bytes  # encrypted PKCS#8 DER
    contrasena: str
    certificado: x509.Certificate


@dataclass
class Autoridad:
    clave: rsa.RSAPrivateKey
    certificado: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.certificado.public_bytes(serialization.Encoding.DER)


def _clave():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def autoridad_certificadora(nombre="AC de pruebas de Reconoce") -> Autoridad:
    clave = _clave()
    sujeto = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, nombre),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pruebas")])
    ahora = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(sujeto).issuer_name(sujeto).public_key(clave.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(ahora - timedelta(days=365)).not_valid_after(ahora + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(clave, hashes.SHA256()))
    return Autoridad(clave=clave, certificado=cert)


def _emitir(ac: Autoridad, sujeto: x509.Name, clave, *, desde: datetime, hasta: datetime) -> x509.Certificate:
    return (x509.CertificateBuilder().subject_name(sujeto).issuer_name(ac.certificado.subject)
            .public_key(clave.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(desde).not_valid_after(hasta)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_DISTRIBUCION_CRL, critical=False)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(ac.clave, hashes.SHA256()))


def efirma(ac: Autoridad, nombre: str, *, rfc="PEPJ800101AB1", curp="PEPJ800101MNLRRN09", dias_validez=(-30, 1460),
           contrasena=CONTRASENA) -> ParEfirma:
    """An e.firma in the SAT's shape: CN the person's name, x500UniqueIdentifier the RFC,
    serialNumber the CURP."""
    clave = _clave()
    ahora = datetime.now(UTC)
    sujeto = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, nombre),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, nombre),
                        x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
                        x509.NameAttribute(OID_RFC, rfc), x509.NameAttribute(NameOID.SERIAL_NUMBER, curp)])
    cert = _emitir(ac, sujeto, clave, desde=ahora + timedelta(days=dias_validez[0]),
                   hasta=ahora + timedelta(days=dias_validez[1]))
    key = clave.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.BestAvailableEncryption(contrasena.encode()))
    return ParEfirma(cer=cert.public_bytes(serialization.Encoding.DER), key=key, contrasena=contrasena,
                     certificado=cert)


def sello_pkcs12(ac: Autoridad, institucion: str, *, contrasena=CONTRASENA) -> bytes:
    clave = _clave()
    ahora = datetime.now(UTC)
    sujeto = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Sello de {institucion}"[:64]),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, institucion[:64]),
                        x509.NameAttribute(NameOID.COUNTRY_NAME, "MX")])
    cert = _emitir(ac, sujeto, clave, desde=ahora - timedelta(days=1), hasta=ahora + timedelta(days=730))
    return pkcs12.serialize_key_and_certificates(
        b"sello", clave, cert, [ac.certificado], serialization.BestAvailableEncryption(contrasena.encode()))


def certificado_tsa(ac: Autoridad, nombre="Sellado de tiempo de pruebas"):
    """A time-stamping authority's certificate (extended key usage timeStamping, critical, as RFC 3161 asks)
    and its key."""
    clave = _clave()
    ahora = datetime.now(UTC)
    sujeto = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, nombre),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pruebas")])
    cert = (x509.CertificateBuilder().subject_name(sujeto).issuer_name(ac.certificado.subject)
            .public_key(clave.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(ahora - timedelta(days=1)).not_valid_after(ahora + timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_DISTRIBUCION_CRL, critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(ac.clave, hashes.SHA256()))
    return cert, clave


def crl(ac: Autoridad, revocados=(), *, firmada_por=None) -> bytes:
    """The CA's certificate revocation list (DER), revoking the given serials a day ago."""
    ahora = datetime.now(UTC)
    lista = (x509.CertificateRevocationListBuilder().issuer_name(ac.certificado.subject)
             .last_update(ahora - timedelta(hours=1)).next_update(ahora + timedelta(days=7)))
    for serie in revocados:
        lista = lista.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serie).revocation_date(ahora - timedelta(days=1)).build())
    return lista.sign(firmada_por or ac.clave, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
