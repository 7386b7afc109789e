"""The verification page checks an uploaded PDF: identical to what the portal issued (public documents
only: under embargo it reads as unknown), its seal intact or the file altered, and its state
(vigente, revocado). The code/QR lookup shows the same signature details."""

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from core import firma_digital, sellos
from core.models import DocumentoVerificable
from core.pdf import sha256_bytes
from evaluacion import services
from tests.evaluacion import builders_dictamen as bd
from tests.evaluacion.builders_dictamen import fixture_ciclo  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def sellado(autoridad_sellada, ciclo, django_capture_on_commit_callbacks):
    """Both rulings signed and rendered, the recognition sealed by the authority; returns its document."""
    with django_capture_on_commit_callbacks(execute=True):
        bd.firmar_todos(ciclo)
    return DocumentoVerificable.objects.get(tipo=DocumentoVerificable.Tipo.RECONOCIMIENTO)


def _bytes(doc):
    with doc.archivo.open("rb") as fh:
        return fh.read()


def _subir(client, contenido, nombre="reconocimiento.pdf"):
    return client.post(reverse("core:verificar_archivo"),
                       {"archivo": SimpleUploadedFile(nombre, contenido, content_type="application/pdf")})


def _despues(ciclo):
    return time_machine.travel(bd.antes_y_despues(ciclo)[1], tick=False)


def test_archivo_emitido_se_reconoce_con_su_sello_y_su_vigencia(client, sellado, ciclo, autoridad):
    with _despues(ciclo):
        resp = _subir(client, _bytes(sellado))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "El archivo es idéntico al documento que emitió este portal." in html
    assert sellado.folio in html and "Vigente" in html
    assert f"Sello de {autoridad.siglas}" in html and "Íntegra" in html
    assert "Certificado reconocido por el portal" in html


def test_un_byte_cambiado_se_reporta_alterado(client, sellado, ciclo):
    contenido = _bytes(sellado)
    posicion = contenido.index(b"stream") + 30
    alterado = contenido[:posicion] + bytes([contenido[posicion] ^ 0x01]) + contenido[posicion + 1:]
    with _despues(ciclo):
        resp = _subir(client, alterado)
    html = resp.content.decode()
    assert "El archivo fue alterado: no es el que se firmó." in html
    assert "Alterada o inválida" in html
    assert "El archivo es idéntico" not in html and reverse("core:verificar", args=[sellado.codigo]) not in html


def test_bajo_reserva_el_archivo_se_lee_como_desconocido(client, sellado, ciclo):
    with time_machine.travel(bd.antes_y_despues(ciclo)[0], tick=False):
        resp = _subir(client, _bytes(sellado))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "no coincide con ningún documento público de este portal" in html
    # Nothing from the portal's records: no code, no link, no state (what the file's own signature
    # says, such as its reason, is the uploader's file read back).
    assert sellado.codigo not in html and "El archivo es idéntico" not in html
    assert "Vigente" not in html and "Revocado" not in html


def test_revocado_se_entrega_con_sello_revocado_y_el_original_verifica_como_revocado(
        client, sellado, ciclo, django_capture_on_commit_callbacks):
    original = _bytes(sellado)
    reconocimiento = ciclo.dictamenes[0].reconocimiento
    with _despues(ciclo):
        with django_capture_on_commit_callbacks(execute=True):
            services.reconocimiento_revocar(reconocimiento=reconocimiento, usuario=ciclo.personal,
                                            motivo="La práctica dejó de publicarse.")
        sellado.refresh_from_db()
        nuevo = _bytes(sellado)
        assert nuevo != original and sellado.sha256_original == sha256_bytes(original)
        assert sellado.sha256 == sha256_bytes(nuevo)
        texto = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(nuevo)).pages)
        assert "REVOCADO" in texto and "La práctica dejó de publicarse." in texto
        assert firma_digital.verificar_pdf(nuevo, raices=sellos.raices()).intacto  # sealed again

        html_original = _subir(client, original).content.decode()
        html_nuevo = _subir(client, nuevo).content.decode()
    assert "la versión original de un documento que emitió este portal" in html_original
    assert "Revocado" in html_original and "La práctica dejó de publicarse." in html_original
    assert "El archivo es idéntico al documento que emitió este portal." in html_nuevo and "Revocado" in html_nuevo


def test_lo_que_no_es_pdf_se_rechaza_en_espanol_y_no_se_guarda(client, sellado, ciclo):
    resp = _subir(client, b"hola, no soy un PDF", nombre="texto.pdf")
    assert resp.status_code == 400
    assert "El archivo no es un PDF." in resp.content.decode()


def test_la_consulta_por_codigo_muestra_las_firmas(client, sellado, ciclo, autoridad):
    with _despues(ciclo):
        html = client.get(reverse("core:verificar", args=[sellado.codigo])).content.decode()
    assert "Firmas electrónicas del archivo" in html and f"Sello de {autoridad.siglas}" in html


def test_demasiadas_verificaciones_por_hora_se_detienen(client, settings, sellado, ciclo):
    settings.VERIFICAR_LIMITE_HORA = 2
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    for _ in range(2):
        assert _subir(client, b"%PDF-1.4 nada").status_code == 200
    resp = _subir(client, b"%PDF-1.4 nada")
    assert resp.status_code == 429 and "Intente más tarde" in resp.content.decode()
