"""Issue 15, part 5: the acuse carries a verification code and a QR of its own, and the verification page
finds it by that code and by an upload of its file, with its seal, as it finds a ruling or a recognition.
Downloading it again from there stays with whoever may see the practice."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core import documentos, sitio
from practicas import services
from practicas.models import Acuse
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def acuse(autoridad_sellada, practica_a, django_capture_on_commit_callbacks):
    """Body A's practice submitted; its acuse rendered and sealed by the authority."""
    with django_capture_on_commit_callbacks(execute=True):
        services.practica_enviar(practica=practica_a, usuario=practica_a.creada_por)
    return Acuse.objects.select_related("practica").get(practica=practica_a)


def _bytes(acuse):
    with acuse.archivo.open("rb") as fh:
        return fh.read()


def _texto(contenido: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(contenido)).pages)


def _subir(client, contenido):
    return client.post(reverse("core:verificar_archivo"),
                       {"archivo": SimpleUploadedFile("acuse.pdf", contenido, content_type="application/pdf")})


def test_cada_acuse_tiene_su_propio_codigo_de_verificacion(acuse, convocatoria, sujeto_b, enlace_b):
    otra = factories.borrador_enviable(b"a,b\n1,2\n")[0]
    services.practica_enviar(practica=otra, usuario=otra.creada_por)
    codigos = list(Acuse.objects.values_list("codigo", flat=True))
    assert len(codigos) == 2 and len(set(codigos)) == 2
    assert all(len(c) >= 22 for c in codigos)  # 128 random bits, unrelated to the folio
    assert acuse.practica.folio not in acuse.codigo


def test_el_acuse_imprime_su_codigo_su_qr_y_la_hora_con_segundos(acuse):
    assert acuse.estado_pdf == Acuse.Estado.LISTA, acuse.error
    contenido = _bytes(acuse)
    texto = _texto(contenido)
    url = sitio.url_de("core:verificar", acuse.codigo)
    assert acuse.codigo in texto
    assert url in texto.replace(" ", "") or url in texto
    recibida = acuse.practica.enviada_en
    assert f"{timezone.localtime(recibida):%H:%M:%S}" in texto
    # The QR the template draws encodes this acuse's verification address.
    contexto = documentos._contexto(documentos.tipo_de(Acuse.TIPO_DOCUMENTO), acuse)
    assert contexto["url_verificacion"] == url and contexto["qr"] == documentos.qr_data_uri(url)


def test_la_consulta_por_codigo_muestra_lo_que_el_acuse_dice_y_su_sello(client, acuse, autoridad,
                                                                        django_assert_num_queries):
    with django_assert_num_queries(2):  # no document has the code; the acuse with its relations
        respuesta = client.get(reverse("core:verificar", args=[acuse.codigo]))
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert "Acuse de recibo" in html and acuse.practica.folio in html and acuse.practica.nombre in html
    assert "Fecha y hora de recepción" in html and acuse.sha256 in html
    assert f"Sello de {autoridad.siglas}" in html  # the seal's certificate, read from the stored file
    # Nobody signed in: what the acuse says, not the file.
    assert reverse("practicas:acuse", args=[acuse.practica_id]) not in html


def test_subir_el_acuse_lo_reconoce_y_un_byte_cambiado_no(client, acuse, autoridad):
    contenido = _bytes(acuse)
    html = _subir(client, contenido).content.decode()
    assert "El archivo es idéntico al documento que emitió este portal." in html
    assert acuse.practica.folio in html and f"Sello de {autoridad.siglas}" in html

    i = contenido.index(b"/Contents") - 40
    alterado = contenido[:i] + bytes([contenido[i] ^ 0x01]) + contenido[i + 1:]
    html = _subir(client, alterado).content.decode()
    assert "El archivo es idéntico" not in html


def test_solo_quien_puede_ver_la_practica_ve_la_descarga_en_la_verificacion(
        client, acuse, enlace_a, enlace_b, personal, otro_personal):
    descarga = reverse("practicas:acuse", args=[acuse.practica_id])
    pagina = reverse("core:verificar", args=[acuse.codigo])
    for usuario, la_ve in ((enlace_a, True), (personal, True), (enlace_b, False), (otro_personal, False)):
        client.force_login(usuario)
        assert (descarga in client.get(pagina).content.decode()) is la_ve, usuario
        assert client.get(descarga).status_code == (200 if la_ve else 404), usuario


def test_un_codigo_desconocido_o_un_acuse_pendiente_no_se_encuentran(client, acuse):
    assert client.get(reverse("core:verificar", args=["x" * 22])).status_code == 404
    # Before its file exists, nobody holds its code: the page knows nothing of it yet.
    Acuse.objects.filter(pk=acuse.pk).update(estado_pdf=Acuse.Estado.PENDIENTE, archivo="", sha256="",
                                             generado_en=None)
    assert client.get(reverse("core:verificar", args=[acuse.codigo])).status_code == 404
