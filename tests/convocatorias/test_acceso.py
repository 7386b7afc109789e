"""The calls' panel through core.acceso: missing and unrelated calls, a document reached through
another call's address, and the per-call counts practicas adds to the list from its AppConfig."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from convocatorias import services
from convocatorias.models import DocumentoConvocatoria
from practicas import services as prac_services
from practicas.models import Soporte
from tests import factories


@pytest.fixture
def otro_personal(db):
    otra = factories.AutoridadFactory(siglas="INFONL", nombre="Instituto de Nuevo León")
    return factories.PersonalFactory(autoridad=otra, usuario__email="dgt@infonl.mx").usuario


def _documento(convocatoria, usuario, titulo):
    archivo = SimpleUploadedFile(f"{titulo}.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    return services.documento_agregar(convocatoria=convocatoria, usuario=usuario, titulo=titulo, archivo=archivo)


@pytest.mark.parametrize(("persona", "esperado"), [
    ("enlace_a", 403), ("jurado", 403), ("otro_personal", 404), ("personal", 404),
])
def test_convocatoria_inexistente_en_el_panel(client, personas, otro_personal, persona, esperado):
    """Outside the panel, 403 whatever the slug; inside it, a missing call is the 404 of another
    authority's."""
    client.force_login({**personas, "otro_personal": otro_personal}[persona])
    for nombre in ("panel:convocatoria_editar", "panel:practicas"):
        assert client.get(reverse(nombre, args=["no-existe"])).status_code == esperado, nombre


def test_documento_de_otra_convocatoria_por_su_direccion_es_404(client, autoridad, personal):
    """Staff manage both calls, but a document is only found under the call it belongs to."""
    una = factories.ConvocatoriaFactory(autoridad=autoridad, estado="borrador")
    otra = factories.ConvocatoriaFactory(autoridad=autoridad, estado="borrador")
    doc = _documento(otra, personal, "Anexo")
    client.force_login(personal)
    assert client.post(reverse("panel:convocatoria_documento_eliminar", args=[una.slug, doc.pk])).status_code == 404
    assert DocumentoConvocatoria.objects.filter(pk=doc.pk).exists()
    respuesta = client.post(reverse("panel:convocatoria_documento_eliminar", args=[otra.slug, doc.pk]))
    assert respuesta.status_code == 302
    assert not DocumentoConvocatoria.objects.filter(pk=doc.pk).exists()


def test_la_lista_cuenta_las_practicas_que_registra_practicas(client, convocatoria, personal, sujeto_a, enlace_a):
    factories.PracticaFactory(convocatoria=convocatoria, sujeto=sujeto_a, creada_por=enlace_a)
    for _ in range(2):
        practica = factories.PracticaFactory(convocatoria=convocatoria, sujeto=sujeto_a, creada_por=enlace_a)
        Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ENLACE, url="https://datos.ejemplo.gob.mx/p",
                               subido_por=enlace_a)
        prac_services.practica_enviar(practica=practica, usuario=enlace_a)
    client.force_login(personal)
    fila = client.get(reverse("panel:convocatorias")).context["convocatorias"][0]
    assert (fila.num_recibidas, fila.num_borradores) == (2, 1)
