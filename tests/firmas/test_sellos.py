"""core.sellos in the document pipeline: what an authority issues (recognitions, constancias, acuses)
carries its institutional seal after WeasyPrint, the stored hash is the sealed file's, the document says
whose clock dates the seal, and a seal that cannot be opened fails the render visibly."""

import io

import pytest
from pypdf import PdfReader

from core import documentos as core_documentos
from core import firma_digital, sellos
from core.errors import ErrorDominio
from core.models import DocumentoVerificable
from core.pdf import sha256_bytes
from jornadas import constancias
from tests import firmas
from tests.evaluacion import builders_dictamen as bd
from tests.evaluacion.builders_dictamen import fixture_ciclo  # noqa: F401
from tests.jornadas import builders as bj

pytestmark = pytest.mark.django_db


@pytest.fixture
def sellos_dir(settings, tmp_path, ac):
    settings.FIRMA_SELLOS_DIR = tmp_path / "sellos"
    settings.FIRMA_RAICES_DIR = tmp_path / "sellos" / "raices"
    settings.FIRMA_RAICES_DIR.mkdir(parents=True)
    (settings.FIRMA_RAICES_DIR / "ac.cer").write_bytes(ac.der)
    sellos.olvidar()
    yield settings.FIRMA_SELLOS_DIR
    sellos.olvidar()


def _sellar(sellos_dir, ac, autoridad, monkeypatch, *, clave=firmas.CONTRASENA):
    (sellos_dir / f"{autoridad.slug}.p12").write_bytes(firmas.sello_pkcs12(ac, autoridad.siglas))
    monkeypatch.setenv(f"SELLO_{autoridad.slug.upper().replace('-', '_')}_CLAVE", clave)


def _leer(campo) -> bytes:
    with campo.open("rb") as fh:
        return fh.read()


def _texto(contenido: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(contenido)).pages)


def test_reconocimiento_sale_sellado_y_su_huella_es_la_del_archivo_sellado(
        sellos_dir, ac, autoridad, monkeypatch, ciclo, django_capture_on_commit_callbacks):
    _sellar(sellos_dir, ac, autoridad, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        bd.firmar_todos(ciclo)
    doc = DocumentoVerificable.objects.get(tipo=DocumentoVerificable.Tipo.RECONOCIMIENTO)
    contenido = _leer(doc.archivo)
    assert doc.sha256 == sha256_bytes(contenido)

    resultado = firma_digital.verificar_pdf(contenido, raices=sellos.raices())
    assert resultado.intacto and len(resultado.firmas) == 1
    sello = resultado.firmas[0]
    assert sello.campo == sellos.CAMPO_SELLO and sello.confiable
    assert sello.certificado.nombre == f"Sello de {autoridad.siglas}"
    texto = _texto(contenido)
    assert "Sellado electrónicamente por" in texto and "es la del servidor del portal" in texto

    # The ruling is not the authority's act: the jurors sign it, the seal does not go on it.
    dictamen = DocumentoVerificable.objects.filter(tipo=DocumentoVerificable.Tipo.DICTAMEN).first()
    assert firma_digital.verificar_pdf(_leer(dictamen.archivo)).firmas == []


def test_con_sellado_de_tiempo_configurado_el_documento_lo_dice(sellos_dir, ac, autoridad, monkeypatch, settings,
                                                                ciclo):
    _sellar(sellos_dir, ac, autoridad, monkeypatch)
    settings.FIRMA_TSA_URL = "http://tsa.invalid/"
    bd.firmar_todos(ciclo)  # rendered below, with the timestamper configured
    doc = DocumentoVerificable.objects.get(tipo=DocumentoVerificable.Tipo.RECONOCIMIENTO)
    tipo = core_documentos.tipo_de(doc.tipo)
    assert core_documentos._contexto(tipo, doc)["sello"] == {"autoridad": autoridad, "sellado_de_tiempo": True}


def test_sin_sello_configurado_el_documento_sale_como_antes(sellos_dir, ciclo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bd.firmar_todos(ciclo)
    doc = DocumentoVerificable.objects.get(tipo=DocumentoVerificable.Tipo.RECONOCIMIENTO)
    contenido = _leer(doc.archivo)
    assert firma_digital.verificar_pdf(contenido).firmas == []
    assert "Sellado electrónicamente" not in _texto(contenido)


def test_sello_con_clave_equivocada_falla_la_generacion_con_su_motivo(sellos_dir, ac, autoridad, monkeypatch, ciclo):
    _sellar(sellos_dir, ac, autoridad, monkeypatch, clave="equivocada")
    bd.firmar_todos(ciclo)
    doc = DocumentoVerificable.objects.get(tipo=DocumentoVerificable.Tipo.RECONOCIMIENTO)
    with pytest.raises(ErrorDominio, match="No se pudo aplicar el sello institucional"):
        core_documentos.documento_generar(documento_id=doc.pk)
    doc.refresh_from_db()
    assert doc.estado_pdf == DocumentoVerificable.EstadoPDF.PENDIENTE and not doc.archivo


def test_la_clave_del_sello_se_lee_de_un_archivo(sellos_dir, ac, autoridad, monkeypatch, tmp_path):
    (sellos_dir).mkdir(exist_ok=True)
    (sellos_dir / f"{autoridad.slug}.p12").write_bytes(firmas.sello_pkcs12(ac, autoridad.siglas))
    secreto = tmp_path / "secreto"
    secreto.write_text(firmas.CONTRASENA + "\n")
    monkeypatch.setenv(f"SELLO_{autoridad.slug.upper()}_CLAVE_FILE", str(secreto))
    assert sellos.sello_de(autoridad).certificado.nombre == f"Sello de {autoridad.siglas}"


def test_cada_constancia_del_lote_sale_sellada(sellos_dir, ac, monkeypatch, personal,
                                              django_capture_on_commit_callbacks):
    jornada = bj.jornada_con_asistentes(3)
    _sellar(sellos_dir, ac, jornada.autoridad, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        constancias.constancias_emitir(usuario=personal, jornada=jornada)
    docs = list(DocumentoVerificable.objects.filter(tipo=DocumentoVerificable.Tipo.CONSTANCIA))
    assert len(docs) == 3
    for doc in docs:
        contenido = _leer(doc.archivo)
        assert doc.sha256 == sha256_bytes(contenido)
        resultado = firma_digital.verificar_pdf(contenido, raices=sellos.raices())
        assert resultado.intacto and resultado.firmas[0].confiable
        assert doc.folio in _texto(contenido) and "Sellada electrónicamente" in _texto(contenido)


def test_el_acuse_sale_sellado(sellos_dir, ac, autoridad, monkeypatch, practica_a, django_capture_on_commit_callbacks):
    from practicas import services as practicas_services

    _sellar(sellos_dir, ac, autoridad, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        practicas_services.practica_enviar(practica=practica_a, usuario=practica_a.creada_por)
    practica_a.refresh_from_db()
    contenido = _leer(practica_a.acuse.archivo)
    resultado = firma_digital.verificar_pdf(contenido, raices=sellos.raices())
    assert resultado.intacto and resultado.firmas[0].certificado.nombre == f"Sello de {autoridad.siglas}"

