"""Issue 10, item 5: the admin never answers 500. A verifiable document's change page links to the
permission-checked views (private storage has no URL); saving a signed ruling, from its change page
or by reverting a historical version, is a message on a read-only page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import DocumentoVerificable
from evaluacion.models import Dictamen
from tests import factories
from tests.evaluacion.builders_dictamen import fixture_ciclo, fixture_firmado  # noqa: F401


@pytest.fixture
def admin_cliente(client, db):
    client.force_login(factories.UsuarioFactory(is_superuser=True, is_staff=True))
    return client


def test_ficha_de_un_documento_verificable_enlaza_la_descarga_con_permisos(admin_cliente, firmado):
    doc = DocumentoVerificable.objects.filter(estado_pdf=DocumentoVerificable.EstadoPDF.LISTA).exclude(archivo="").first()
    assert doc is not None
    resp = admin_cliente.get(reverse("admin:core_documentoverificable_change", args=[doc.pk]))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert reverse("core:documento", kwargs={"codigo": doc.codigo}) in html
    assert reverse("core:verificar", kwargs={"codigo": doc.codigo}) in html
    assert 'name="_save"' not in html  # read-only
    assert admin_cliente.get(reverse("admin:core_documentoverificable_history", args=[doc.pk])).status_code == 200


def test_guardar_un_documento_verificable_en_el_admin_es_un_mensaje(admin_cliente, firmado):
    doc = DocumentoVerificable.objects.exclude(archivo="").first()
    url = reverse("admin:core_documentoverificable_change", args=[doc.pk])
    resp = admin_cliente.post(url, {"titulo": "Otro título"})
    assert resp.status_code == 302 and resp.url == url
    assert "solo se consulta aquí" in " ".join(str(m) for m in get_messages(resp.wsgi_request))
    doc.refresh_from_db()
    assert doc.titulo != "Otro título"


def test_ficha_de_un_dictamen_firmado_es_de_solo_lectura(admin_cliente, firmado):
    dictamen = Dictamen.objects.get(pk=firmado.dictamenes[0].pk)
    resp = admin_cliente.get(reverse("admin:evaluacion_dictamen_change", args=[dictamen.pk]))
    assert resp.status_code == 200
    assert 'name="_save"' not in resp.content.decode()


def test_guardar_un_dictamen_firmado_en_el_admin_es_un_mensaje_no_un_500(admin_cliente, firmado):
    dictamen = Dictamen.objects.get(pk=firmado.dictamenes[0].pk)
    url = reverse("admin:evaluacion_dictamen_change", args=[dictamen.pk])
    resp = admin_cliente.post(url, {"consideraciones": "Cambiado en el admin", "_save": "Guardar"}, follow=True)
    assert resp.status_code == 200
    assert "El dictamen está firmado: es definitivo e inapelable" in resp.content.decode()
    assert Dictamen.objects.get(pk=dictamen.pk).consideraciones != "Cambiado en el admin"


def test_revertir_un_dictamen_firmado_desde_su_historial_es_un_mensaje(admin_cliente, firmado):
    dictamen = Dictamen.objects.get(pk=firmado.dictamenes[0].pk)
    version = dictamen.history.order_by("history_date").first()
    url = reverse("admin:evaluacion_dictamen_simple_history", args=[dictamen.pk, version.history_id])
    assert admin_cliente.get(url).status_code == 200
    resp = admin_cliente.post(url, {"_save": "Guardar"}, follow=True)
    assert resp.status_code == 200
    assert "El dictamen está firmado: es definitivo e inapelable" in resp.content.decode()
    dictamen.refresh_from_db()
    assert dictamen.estado == Dictamen.Estado.FIRMADO
