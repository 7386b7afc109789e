"""Issue 15, part 3, and revocation by CRL: with an RFC 3161 time-stamping service configured, every
signature carries a trusted time and the data to validate it later (PAdES B-LT: chains and CRLs in the
document security store), checked here with pyHanko's own long-term validation, which reads nothing but
the file. The service is a real HTTP endpoint on a loopback port. A juror whose certificate a configured
CRL lists cannot sign, and the verification page says a revoked certificate is revoked."""

import io

import pytest
from asn1crypto import x509 as asn1_x509
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore

from core import firma_digital as fd
from core import sellos
from core.models import DocumentoVerificable
from tests import firmas
from tests.evaluacion import builders_dictamen as bd
from tests.evaluacion.builders_dictamen import fixture_ciclo  # noqa: F401
from tests.firmas.tsa import ServicioSelladoTiempo


@pytest.fixture
def servicio(ac):
    cert, clave = firmas.certificado_tsa(ac)
    with ServicioSelladoTiempo(cert, clave, cadena=[ac.certificado]) as s:
        yield s


@pytest.fixture
def configurado(settings, tmp_path, ac, servicio):
    """The portal's signing configuration: the test CA as root, its CRL, the loopback TSA."""
    settings.FIRMA_SELLOS_DIR = tmp_path / "sellos"
    settings.FIRMA_RAICES_DIR = tmp_path / "raices"
    settings.FIRMA_REVOCACION_DIR = tmp_path / "revocacion"
    for d in (settings.FIRMA_SELLOS_DIR, settings.FIRMA_RAICES_DIR, settings.FIRMA_REVOCACION_DIR):
        d.mkdir()
    (settings.FIRMA_RAICES_DIR / "ac.cer").write_bytes(ac.der)
    (settings.FIRMA_REVOCACION_DIR / "ac.crl").write_bytes(firmas.crl(ac))
    settings.FIRMA_TSA_URL = servicio.url
    sellos.olvidar()
    fd.sellador_de_tiempo.cache_clear()
    yield settings
    sellos.olvidar()


def _ltv(contenido, ac):
    """pyHanko's validation of every signature from the file's own validation data only (the DSS) and
    the root, requiring revocation data for every certificate on the way (hard-fail): what a reader can
    still check once the CA's services and the portal are gone."""
    lector = PdfFileReader(io.BytesIO(contenido))
    contexto = DocumentSecurityStore.read_dss(lector).as_validation_context({
        "trust_roots": [asn1_x509.Certificate.load(ac.der)], "allow_fetching": False, "revocation_mode": "hard-fail"})
    return [fd.fuera_de_bucle(lambda s=s: validate_pdf_signature(s, contexto)) for s in lector.embedded_signatures]


def _firmar(contenido, par, campo):
    firmante = fd.cargar_efirma(certificado=par.cer, clave_privada=par.key, contrasena=par.contrasena)
    return fd.firmar_pdf(contenido, firmante, campo=campo, razon="Firma del dictamen", **sellos.opciones_de_firma())


def test_con_servicio_de_sellado_cada_firma_trae_hora_confiable_y_datos_de_largo_plazo(
        configurado, servicio, ac, jurados, pdf):
    contenido = pdf
    for i, par in enumerate(jurados, start=1):
        contenido = _firmar(contenido, par, f"Jurado{i}")
    # Over HTTP: one sample token for the service's certificates, then one token per signature.
    assert servicio.solicitudes == 3

    estados = _ltv(contenido, ac)
    assert len(estados) == 2
    for estado in estados:
        assert estado.intact and estado.valid and estado.trusted and estado.bottom_line
        assert estado.timestamp_validity is not None and estado.timestamp_validity.trusted
    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(contenido)))
    assert len(dss.crls) >= 1 and len(list(dss.load_certs())) >= 3  # signers, TSA, CA

    resultado = fd.verificar_pdf(contenido, raices=[ac.der])
    assert resultado.intacto and resultado.largo_plazo
    assert all(f.sello_de_tiempo and f.confiable and not f.revocada for f in resultado.firmas)


def test_sin_servicio_de_sellado_no_hay_datos_de_largo_plazo(settings, ac, jurados, pdf):
    settings.FIRMA_TSA_URL = ""
    contenido = _firmar(pdf, jurados[0], "Jurado1")
    resultado = fd.verificar_pdf(contenido, raices=[ac.der])
    assert resultado.intacto and not resultado.largo_plazo and not resultado.firmas[0].sello_de_tiempo


def test_servicio_de_sellado_caido_no_firma_y_lo_dice_en_espanol(configurado, servicio, jurados, pdf):
    servicio.caido = True
    with pytest.raises(fd.FirmaRechazada, match="El servicio de sellado de tiempo no respondió"):
        _firmar(pdf, jurados[0], "Jurado1")


def test_sin_raiz_para_los_datos_de_largo_plazo_no_firma_y_lo_dice(configurado, jurados, pdf):
    for archivo in configurado.FIRMA_RAICES_DIR.iterdir():
        archivo.unlink()
    with pytest.raises(fd.FirmaRechazada, match="datos de validación a largo plazo"):
        _firmar(pdf, jurados[0], "Jurado1")


def test_certificado_en_la_crl_no_firma(ac, jurados):
    par = jurados[1]
    crl = firmas.crl(ac, revocados=[par.certificado.serial_number])
    with pytest.raises(fd.FirmaRechazada, match="fue revocado el .* según la lista de revocación"):
        fd.cargar_efirma(certificado=par.cer, clave_privada=par.key, contrasena=par.contrasena,
                         crls=[crl], raices=[ac.der])
    # Another person's certificate of the same CA is not in that list.
    otro = jurados[0]
    fd.cargar_efirma(certificado=otro.cer, clave_privada=otro.key, contrasena=otro.contrasena,
                     crls=[crl], raices=[ac.der])


def test_una_crl_que_no_firmo_su_emisor_se_ignora(ac, jurados, caplog):
    par = jurados[1]
    falsa = firmas.crl(ac, revocados=[par.certificado.serial_number], firmada_por=firmas._clave())
    fd.cargar_efirma(certificado=par.cer, clave_privada=par.key, contrasena=par.contrasena,
                     crls=[falsa], raices=[ac.der])
    assert "no está firmada por su emisor" in caplog.text


@pytest.mark.django_db
def test_la_verificacion_dice_que_un_certificado_revocado_esta_revocado(client, settings, tmp_path, ac, jurados, pdf):
    contenido = _firmar(pdf, jurados[1], "Jurado1")
    settings.FIRMA_RAICES_DIR = tmp_path / "raices"
    settings.FIRMA_REVOCACION_DIR = tmp_path / "revocacion"
    settings.FIRMA_RAICES_DIR.mkdir()
    settings.FIRMA_REVOCACION_DIR.mkdir()
    (settings.FIRMA_RAICES_DIR / "ac.cer").write_bytes(ac.der)
    (settings.FIRMA_REVOCACION_DIR / "ac.crl").write_bytes(firmas.crl(ac, revocados=[jurados[1].certificado.serial_number]))
    html = client.post(reverse("core:verificar_archivo"), {
        "archivo": SimpleUploadedFile("dictamen.pdf", contenido, content_type="application/pdf")}).content.decode()
    assert "Certificado revocado" in html and "José Pérez Treviño" in html


@pytest.mark.django_db
def test_el_sello_del_reconocimiento_lleva_hora_confiable_y_datos_de_largo_plazo(
        configurado, servicio, ac, autoridad, monkeypatch, ciclo, django_capture_on_commit_callbacks):
    (configurado.FIRMA_SELLOS_DIR / f"{autoridad.slug}.p12").write_bytes(firmas.sello_pkcs12(ac, autoridad.siglas))
    monkeypatch.setenv(f"SELLO_{autoridad.slug.upper()}_CLAVE", firmas.CONTRASENA)
    with django_capture_on_commit_callbacks(execute=True):
        bd.firmar_todos(ciclo)
    doc = DocumentoVerificable.objects.get(tipo=DocumentoVerificable.Tipo.RECONOCIMIENTO)
    assert doc.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA, doc.error
    with doc.archivo.open("rb") as fh:
        contenido = fh.read()
    (estado,) = _ltv(contenido, ac)
    assert estado.bottom_line and estado.timestamp_validity.trusted
