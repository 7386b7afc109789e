"""core.firma_digital: an e.firma checked before it signs, PAdES signatures one after another on a
WeasyPrint PDF, validated independently with pyHanko's validation API, and a one-byte change caught."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from core import firma_digital as fd
from tests import firmas


def _validar(contenido, ac):
    from asn1crypto import x509 as asn1_x509

    lector = PdfFileReader(io.BytesIO(contenido))
    contexto = ValidationContext(trust_roots=[asn1_x509.Certificate.load(ac.der)], allow_fetching=False)
    # pyHanko's synchronous API cannot run inside the event loop Playwright leaves in this thread.
    return [(s.field_name, fd.fuera_de_bucle(lambda s=s: validate_pdf_signature(s, contexto)))
            for s in lector.embedded_signatures]


def test_dos_firmas_incrementales_se_validan_con_pyhanko_intactas_y_en_orden(ac, jurados, pdf):
    contenido = pdf
    for i, par in enumerate(jurados, start=1):
        firmante = fd.cargar_efirma(certificado=par.cer, clave_privada=par.key, contrasena=par.contrasena)
        contenido = fd.firmar_pdf(contenido, firmante, campo=f"Jurado{i}", razon="Firma del dictamen")
    assert contenido.startswith(pdf)  # incremental: the rendered bytes are kept as they were

    estados = _validar(contenido, ac)
    assert [campo for campo, _ in estados] == ["Jurado1", "Jurado2"]
    for (_, estado), par in zip(estados, jurados, strict=True):
        assert estado.intact and estado.valid and estado.trusted and estado.bottom_line
        assert estado.signing_cert.dump() == par.cer

    resultado = fd.verificar_pdf(contenido, raices=[ac.der])
    assert resultado.intacto
    assert [f.certificado.nombre for f in resultado.firmas] == ["María López Garza", "José Pérez Treviño"]
    assert [f.certificado.rfc for f in resultado.firmas] == ["LOGM800101AB1", "PETJ750505CD2"]
    assert all(f.confiable and not f.sello_de_tiempo and f.firmada_en for f in resultado.firmas)


def test_un_byte_cambiado_se_reporta_alterado(ac, jurados, pdf):
    par = jurados[0]
    firmado = fd.firmar_pdf(pdf, fd.cargar_efirma(certificado=par.cer, clave_privada=par.key,
                                                  contrasena=par.contrasena), campo="Jurado1")
    # One byte inside the rendered page content (covered by the signature).
    posicion = firmado.index(b"stream") + 20
    alterado = firmado[:posicion] + bytes([firmado[posicion] ^ 0x01]) + firmado[posicion + 1:]
    resultado = fd.verificar_pdf(alterado, raices=[ac.der])
    assert not resultado.intacto
    assert resultado.firmas and not resultado.firmas[0].intacta


def test_contenido_agregado_despues_de_la_firma_se_reporta(ac, jurados, pdf):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    par = jurados[0]
    firmado = fd.firmar_pdf(pdf, fd.cargar_efirma(certificado=par.cer, clave_privada=par.key,
                                                  contrasena=par.contrasena), campo="Jurado1")
    escritor = IncrementalPdfFileWriter(io.BytesIO(firmado))
    escritor.root["/Reconoce"] = generic.pdf_string("cambio posterior")  # an unsigned update
    escritor.update_root()
    salida = io.BytesIO()
    escritor.write(salida)
    resultado = fd.verificar_pdf(salida.getvalue(), raices=[ac.der])
    assert resultado.firmas[0].intacta and resultado.firmas[0].modificada_despues
    assert not resultado.intacto


def test_sin_raiz_configurada_la_firma_es_valida_pero_no_confiable(jurados, pdf):
    par = jurados[0]
    firmado = fd.firmar_pdf(pdf, fd.cargar_efirma(certificado=par.cer, clave_privada=par.key,
                                                  contrasena=par.contrasena), campo="Jurado1")
    firma = fd.verificar_pdf(firmado).firmas[0]
    assert firma.intacta and firma.valida and not firma.confiable


def test_contrasena_equivocada_se_rechaza_en_espanol(jurados):
    par = jurados[0]
    with pytest.raises(fd.FirmaRechazada) as exc:
        fd.cargar_efirma(certificado=par.cer, clave_privada=par.key, contrasena="otra")
    assert exc.value.campo == "contrasena" and "contraseña" in exc.value.mensaje


def test_certificado_y_clave_de_pares_distintos_se_rechazan(jurados):
    with pytest.raises(fd.FirmaRechazada) as exc:
        fd.cargar_efirma(certificado=jurados[0].cer, clave_privada=jurados[1].key,
                         contrasena=jurados[1].contrasena)
    assert exc.value.campo == "clave_privada" and "no corresponden" in exc.value.mensaje


def test_certificado_vencido_o_aun_no_valido_se_rechaza(ac):
    vencido = firmas.efirma(ac, "Ana Ruiz", dias_validez=(-800, -1))
    with pytest.raises(fd.FirmaRechazada, match="venció"):
        fd.cargar_efirma(certificado=vencido.cer, clave_privada=vencido.key, contrasena=vencido.contrasena)
    futuro = firmas.efirma(ac, "Ana Ruiz", dias_validez=(2, 700))
    with pytest.raises(fd.FirmaRechazada, match="aún no es válido"):
        fd.cargar_efirma(certificado=futuro.cer, clave_privada=futuro.key, contrasena=futuro.contrasena)
    # The same certificate is valid at a moment inside its validity.
    fd.cargar_efirma(certificado=futuro.cer, clave_privada=futuro.key, contrasena=futuro.contrasena,
                     ahora=datetime.now(UTC) + timedelta(days=3))


def test_certificado_de_otra_persona_se_rechaza_y_el_nombre_se_compara_sin_acentos(jurados):
    par = jurados[0]
    with pytest.raises(fd.FirmaRechazada, match="cada quien firma con su propia e.firma"):
        fd.cargar_efirma(certificado=par.cer, clave_privada=par.key, contrasena=par.contrasena,
                         nombre_esperado="José Pérez Treviño")
    firmante = fd.cargar_efirma(certificado=par.cer, clave_privada=par.key, contrasena=par.contrasena,
                                nombre_esperado="maria  lopez garza")
    assert firmante.certificado.nombre == "María López Garza"


def test_certificado_revocado_se_rechaza(jurados):
    par = jurados[0]
    with pytest.raises(fd.FirmaRechazada, match="revocado"):
        fd.cargar_efirma(certificado=par.cer, clave_privada=par.key, contrasena=par.contrasena,
                         revocados=frozenset({par.certificado.serial_number}))


def test_archivos_que_no_son_certificado_ni_clave_se_rechazan(jurados):
    par = jurados[0]
    with pytest.raises(fd.FirmaRechazada) as exc:
        fd.cargar_efirma(certificado=b"no es un certificado", clave_privada=par.key, contrasena=par.contrasena)
    assert exc.value.campo == "certificado"
    with pytest.raises(fd.FirmaRechazada) as exc:
        fd.cargar_efirma(certificado=par.cer, clave_privada=b"no es una clave", contrasena=par.contrasena)
    assert exc.value.campo == "clave_privada"


def test_sello_pkcs12_firma_y_se_verifica(ac, pdf):
    p12 = firmas.sello_pkcs12(ac, "Instituto de Pruebas")
    sello = fd.cargar_sello(pkcs12_datos=p12, contrasena=firmas.CONTRASENA)
    firmado = fd.firmar_pdf(pdf, sello, campo="SelloInstitucional")
    firma = fd.verificar_pdf(firmado, raices=[ac.der]).firmas[0]
    assert firma.correcta and firma.confiable and firma.certificado.nombre == "Sello de Instituto de Pruebas"
    with pytest.raises(fd.FirmaRechazada, match="sello institucional"):
        fd.cargar_sello(pkcs12_datos=p12, contrasena="otra")


def test_un_archivo_que_no_es_pdf_no_es_legible():
    resultado = fd.verificar_pdf(b"hola")
    assert not resultado.legible and not resultado.intacto
