"""Each juror signs the ruling with their own e.firma: the PDF exists (rendered by the pipeline) before
anyone signs, each signing act adds one incremental PAdES signature to it, the ruling is issued with
that very file, and pyHanko's validation API finds every expected signer, intact and in order.
Refusals: a wrong passphrase, a pair that does not match, another person's or an expired certificate,
no e.firma at all; a draft that changes starts a new PDF to sign."""

import io

import pytest
from asn1crypto import x509 as asn1_x509
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from core import documentos as core_documentos
from core import firma_digital
from core.errors import ErrorDominio
from core.models import DocumentoVerificable
from evaluacion import services
from evaluacion.models import Dictamen
from tests import firmas
from tests.evaluacion import builders as be

pytestmark = pytest.mark.django_db


@pytest.fixture
def escena(autoridad, personal, sujeto_a, django_capture_on_commit_callbacks):
    """A call signed with e.firma, scoring closed: its draft ruling's PDF rendered for signing."""
    esc = be.en_evaluacion(autoridad=autoridad, personal=personal, n_practicas=1, n_jurado=3, sujetos=[sujeto_a])
    type(esc.convocatoria).objects.filter(pk=esc.convocatoria.pk).update(firma_electronica=True)
    be.calificar_todo(esc, lambda mi, pi, ci: 9)
    with django_capture_on_commit_callbacks(execute=True):
        services.calificacion_cerrar(convocatoria=esc.convocatoria, usuario=personal)
    dictamen = Dictamen.objects.get(practica=esc.practicas[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.dictamen_guardar(dictamen=dictamen, usuario=personal, decision=Dictamen.Decision.PROCEDENTE,
                                  motivos={}, consideraciones="Se evaluó conforme a la convocatoria.")
    esc.dictamen = Dictamen.objects.get(pk=dictamen.pk)
    return esc


def _efirma(ac, miembro, **kwargs):
    return firmas.efirma(ac, miembro.usuario.get_full_name(), rfc=f"JURA80010{miembro.orden}AB1", **kwargs)


def _cargar(par, **kwargs):
    return firma_digital.cargar_efirma(certificado=par.cer, clave_privada=par.key, contrasena=par.contrasena,
                                       **kwargs)


def _bytes(doc):
    with doc.archivo.open("rb") as fh:
        return fh.read()


def test_cada_jurado_firma_con_su_efirma_y_el_dictamen_emitido_es_ese_pdf(
        ac, escena, django_capture_on_commit_callbacks):
    dictamen = escena.dictamen
    doc = dictamen.documento
    assert doc is not None and doc.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA
    sin_firmar = _bytes(doc)
    pares = [_efirma(ac, m) for m in escena.miembros]
    with django_capture_on_commit_callbacks(execute=True):
        for miembro, par in zip(escena.miembros, pares, strict=True):
            dictamen = services.dictamen_firmar(dictamen=dictamen, usuario=miembro.usuario,
                                                efirma=_cargar(par, nombre_esperado=miembro.usuario.get_full_name()))
    assert dictamen.estado == Dictamen.Estado.FIRMADO and dictamen.documento_id == doc.pk
    doc.refresh_from_db()
    firmado = _bytes(doc)
    assert firmado.startswith(sin_firmar) and doc.firmado_por_personas and doc.sha256 == core_documentos.sha256_bytes(firmado)

    # Validated independently with pyHanko: every expected signer, intact, in seat order.
    lector = PdfFileReader(io.BytesIO(firmado))
    contexto = ValidationContext(trust_roots=[asn1_x509.Certificate.load(ac.der)], allow_fetching=False)
    firmas_pdf = list(lector.embedded_signatures)
    assert len(firmas_pdf) == 3
    for firma, par in zip(firmas_pdf, pares, strict=True):
        estado = firma_digital.fuera_de_bucle(lambda f=firma: validate_pdf_signature(f, contexto))
        assert estado.intact and estado.valid and estado.trusted
        assert estado.signing_cert.dump() == par.cer
    # What each signature records: the certificate's data, never the key.
    registradas = list(dictamen.firmas.order_by("miembro__orden"))
    assert [f.certificado["rfc"] for f in registradas] == [f"JURA80010{m.orden}AB1" for m in escena.miembros]
    assert all("clave" not in f.certificado for f in registradas)

    # The signed file is never rendered again (a rebuild would drop the jurors' signatures).
    core_documentos.documento_generar(documento_id=doc.pk, reconstruir=True)
    assert _bytes(DocumentoVerificable.objects.get(pk=doc.pk)) == firmado


def test_sin_efirma_en_una_convocatoria_con_efirma_no_se_firma(escena):
    miembro = escena.miembros[0]
    with pytest.raises(ErrorDominio, match="firma con e.firma"):
        services.dictamen_firmar(dictamen=escena.dictamen, usuario=miembro.usuario)
    assert not escena.dictamen.firmas.exists()


def test_el_borrador_que_cambia_retira_las_firmas_y_prepara_otro_pdf(ac, escena, personal,
                                                                    django_capture_on_commit_callbacks):
    primero = escena.miembros[0]
    services.dictamen_firmar(dictamen=escena.dictamen, usuario=primero.usuario, efirma=_cargar(_efirma(ac, primero)))
    viejo = Dictamen.objects.get(pk=escena.dictamen.pk).documento
    with django_capture_on_commit_callbacks(execute=True):
        services.dictamen_guardar(dictamen=escena.dictamen, usuario=personal, decision=Dictamen.Decision.PROCEDENTE,
                                  motivos={}, consideraciones="Consideraciones corregidas.")
    dictamen = Dictamen.objects.get(pk=escena.dictamen.pk)
    assert not dictamen.firmas.exists()
    assert dictamen.documento_id != viejo.pk and not DocumentoVerificable.objects.filter(pk=viejo.pk).exists()
    nuevo = _bytes(dictamen.documento)
    assert firma_digital.verificar_pdf(nuevo).firmas == []


# --- the panel's signing form -------------------------------------------------------------------------

def _post(client, dictamen, par, *, contrasena=None, cer=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("panel:dictamen_firmar", args=[dictamen.pk]), {
        "confirmar": "on", "contrasena": par.contrasena if contrasena is None else contrasena,
        "certificado": SimpleUploadedFile("firma.cer", cer or par.cer),
        "clave_privada": SimpleUploadedFile("firma.key", par.key),
    })


def test_el_formulario_firma_con_los_archivos_y_la_contrasena(client, ac, escena):
    miembro = escena.miembros[0]
    client.force_login(miembro.usuario)
    resp = _post(client, escena.dictamen, _efirma(ac, miembro))
    assert resp.status_code == 302
    firma = escena.dictamen.firmas.get()
    assert firma.miembro == miembro and firma.certificado["nombre"] == miembro.usuario.get_full_name()


@pytest.mark.parametrize(("caso", "mensaje"), [
    ("contrasena", "La contraseña de la clave privada no es correcta."),
    ("par", "El certificado y la clave privada no corresponden"),
    ("otra_persona", "cada quien firma con su propia e.firma"),
    ("vencido", "venció"),
])
def test_el_formulario_rechaza_en_espanol_junto_al_campo_y_no_firma(client, ac, escena, caso, mensaje):
    miembro, otro = escena.miembros[0], escena.miembros[1]
    client.force_login(miembro.usuario)
    par = _efirma(ac, miembro)
    if caso == "contrasena":
        resp = _post(client, escena.dictamen, par, contrasena="equivocada")
    elif caso == "par":
        resp = _post(client, escena.dictamen, par, cer=_efirma(ac, miembro).cer)
    elif caso == "otra_persona":
        resp = _post(client, escena.dictamen, _efirma(ac, otro))
    else:
        resp = _post(client, escena.dictamen, _efirma(ac, miembro, dias_validez=(-800, -2)))
    assert resp.status_code == 400
    html = resp.content.decode()
    assert mensaje in html and 'aria-invalid="true"' in html
    assert not escena.dictamen.firmas.exists()
    assert "Clave-De-Prueba" not in html  # the passphrase is never echoed back


def test_si_la_fecha_de_resultados_cambia_antes_de_firmar_el_dictamen_emitido_la_sigue(ac, escena):
    from datetime import timedelta

    conv = escena.convocatoria
    nueva = conv.fecha_resultados - timedelta(days=1)
    type(conv).objects.filter(pk=conv.pk).update(fecha_resultados=nueva)
    dictamen = escena.dictamen
    for miembro in escena.miembros:
        dictamen = services.dictamen_firmar(dictamen=Dictamen.objects.get(pk=dictamen.pk), usuario=miembro.usuario,
                                            efirma=_cargar(_efirma(ac, miembro)))
    assert DocumentoVerificable.objects.get(pk=dictamen.documento_id).visible_desde == nueva
